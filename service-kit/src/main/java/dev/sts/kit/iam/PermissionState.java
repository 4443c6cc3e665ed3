package dev.sts.kit.iam;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sts.policy.MalformedPolicyException;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicyType;
import dev.sts.proto.v1.InlinePolicy;
import dev.sts.proto.v1.ManagedPolicyState;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.StsEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The roles and customer-managed policies read from {@code sts.permission-state.v1}, and each
 * role's effective permissions, parsed when a record changes them so that a lookup is a map read.
 *
 * <p>One thread applies records ({@link #apply}); any number read. A role's effective permissions
 * are recomputed when the role changes and when a managed policy it uses changes (a reverse index
 * from policy ARN to roles), so a policy that arrives after the role that attaches it (records of
 * different ARNs live in different partitions) is picked up.
 *
 * <p>Fail closed, everywhere a record is not what it should be:
 * <ul>
 * <li>an attached managed policy that is not (or no longer) in the view grants nothing;</li>
 * <li>a permissions boundary that is not in the view allows nothing (an empty boundary), never
 * "no boundary";</li>
 * <li>a role one of whose documents does not parse has no effective permissions at all: skipping
 * only that document could drop a Deny and widen what the role may do;</li>
 * <li>AWS-managed policy ARNs on the topic are ignored: the catalogue every service ships
 * ({@link AwsManagedPolicies}) is their only source, so a writer of the topic cannot redefine
 * AdministratorAccess.</li>
 * </ul>
 */
final class PermissionState {
    private static final Logger LOG = Logger.getLogger(PermissionState.class);
    /** The boundary of a role whose boundary policy is missing: it allows nothing. */
    private static final String EMPTY_DOCUMENT = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";

    /** What became of one record. */
    enum Result {
        /** A role or customer-managed policy was stored. */
        APPLIED,
        /** A tombstone removed a role or policy (or named one the view did not hold). */
        REMOVED,
        /** The value is not a serialized StsEvent. */
        UNDECODABLE,
        /** The record has no key, or its key is not the ARN of the state it carries. */
        MISMATCHED_KEY,
        /** An event other than RoleState / ManagedPolicyState, or state for an AWS-managed policy. */
        UNEXPECTED,
        /** Larger than {@code sts.permission-view.max-record-bytes}; never decoded. */
        TOO_LARGE,
        /** Applying it threw (a defect): skipped so that it does not stop the view. */
        FAILED
    }

    private final Map<String, RoleState> roles = new ConcurrentHashMap<>();
    private final Map<String, ManagedPolicyState> policies = new ConcurrentHashMap<>();
    private final Map<String, EffectivePermissions> effective = new ConcurrentHashMap<>();
    /** Writer only: policy ARN -> roles that attach it or use it as their boundary. */
    private final Map<String, Set<String>> rolesByPolicy = new HashMap<>();
    /** Writer only: parsed managed policies, by ARN, for the revision they were parsed from. */
    private final Map<String, ParsedPolicy> parsed = new HashMap<>();
    /** Roles whose documents did not all parse (they have no effective permissions). */
    private final Set<String> unusable = ConcurrentHashMap.newKeySet();

    /** A managed policy's document, parsed as an identity policy and as a boundary when first needed. */
    private static final class ParsedPolicy {
        final long revision;
        Policy identity;
        Policy boundary;

        ParsedPolicy(long revision) {
            this.revision = revision;
        }
    }

    /** Applies one record of the topic: a value is the new state of the key's ARN, no value deletes it. */
    Result apply(String key, byte[] value) {
        if (key == null || key.isEmpty()) {
            return Result.MISMATCHED_KEY;
        }
        if (value == null) {
            return remove(key);
        }
        StsEvent event;
        try {
            event = StsEvent.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            return Result.UNDECODABLE;
        }
        switch (event.getEventCase()) {
            case ROLE_STATE -> {
                RoleState role = event.getRoleState();
                if (!key.equals(role.getArn())) {
                    return Result.MISMATCHED_KEY;
                }
                putRole(role);
                return Result.APPLIED;
            }
            case MANAGED_POLICY_STATE -> {
                ManagedPolicyState policy = event.getManagedPolicyState();
                if (!key.equals(policy.getArn())) {
                    return Result.MISMATCHED_KEY;
                }
                if (AwsManagedPolicies.isAwsManaged(key)) {
                    return Result.UNEXPECTED;
                }
                putPolicy(policy);
                return Result.APPLIED;
            }
            default -> {
                return Result.UNEXPECTED;
            }
        }
    }

    Optional<RoleState> role(String roleArn) {
        return roleArn == null ? Optional.empty() : Optional.ofNullable(roles.get(roleArn));
    }

    Optional<ManagedPolicyState> managedPolicy(String policyArn) {
        if (policyArn == null) {
            return Optional.empty();
        }
        if (AwsManagedPolicies.isAwsManaged(policyArn)) {
            return AwsManagedPolicies.find(policyArn);
        }
        return Optional.ofNullable(policies.get(policyArn));
    }

    Optional<EffectivePermissions> permissionsOf(String roleArn) {
        return roleArn == null ? Optional.empty() : Optional.ofNullable(effective.get(roleArn));
    }

    int roleCount() {
        return roles.size();
    }

    int policyCount() {
        return policies.size();
    }

    /** Roles held whose documents do not all parse, and so may do nothing. */
    int unusableRoleCount() {
        return unusable.size();
    }

    private void putRole(RoleState role) {
        String arn = role.getArn();
        RoleState previous = roles.put(arn, role);
        if (previous != null) {
            unindex(previous);
        }
        index(role);
        recompute(role);
    }

    private void putPolicy(ManagedPolicyState policy) {
        policies.put(policy.getArn(), policy);
        parsed.remove(policy.getArn());
        recomputeUsersOf(policy.getArn());
    }

    private Result remove(String arn) {
        RoleState role = roles.remove(arn);
        if (role != null) {
            unindex(role);
            effective.remove(arn);
            unusable.remove(arn);
        }
        if (policies.remove(arn) != null) {
            parsed.remove(arn);
            recomputeUsersOf(arn);
        }
        return Result.REMOVED;
    }

    private void index(RoleState role) {
        for (String policyArn : usedPolicies(role)) {
            rolesByPolicy.computeIfAbsent(policyArn, k -> new HashSet<>()).add(role.getArn());
        }
    }

    private void unindex(RoleState role) {
        for (String policyArn : usedPolicies(role)) {
            Set<String> users = rolesByPolicy.get(policyArn);
            if (users != null && users.remove(role.getArn()) && users.isEmpty()) {
                rolesByPolicy.remove(policyArn);
            }
        }
    }

    private static Set<String> usedPolicies(RoleState role) {
        Set<String> used = new HashSet<>(role.getAttachedPolicyArnsList());
        if (!role.getPermissionsBoundaryArn().isEmpty()) {
            used.add(role.getPermissionsBoundaryArn());
        }
        return used;
    }

    private void recomputeUsersOf(String policyArn) {
        Set<String> users = rolesByPolicy.get(policyArn);
        if (users == null) {
            return;
        }
        for (String roleArn : List.copyOf(users)) {
            RoleState role = roles.get(roleArn);
            if (role != null) {
                recompute(role);
            }
        }
    }

    private void recompute(RoleState role) {
        String arn = role.getArn();
        try {
            effective.put(arn, compute(role));
            unusable.remove(arn);
        } catch (MalformedPolicyException e) {
            // The role-service validated every document before publishing it, so this is a record
            // written by something else, or an engine that became stricter. The location and reason
            // name the element at fault, never the document's contents.
            effective.remove(arn);
            unusable.add(arn);
            LOG.warnf("permission view: role %s (revision %d) may do nothing: a policy of it does not parse (%s)",
                    arn, role.getRevision(), e.getMessage());
        }
    }

    private EffectivePermissions compute(RoleState role) {
        List<Policy> identity = new ArrayList<>();
        for (InlinePolicy inline : role.getInlinePoliciesList()) {
            identity.add(Policy.parse(inline.getPolicyDocument(), PolicyType.IDENTITY, inline.getPolicyName()));
        }
        for (String policyArn : role.getAttachedPolicyArnsList()) {
            managedPolicy(policyArn).ifPresent(p -> identity.add(parsed(p, PolicyType.IDENTITY)));
        }
        Optional<Policy> boundary = Optional.empty();
        String boundaryArn = role.getPermissionsBoundaryArn();
        if (!boundaryArn.isEmpty()) {
            boundary = Optional.of(managedPolicy(boundaryArn).map(p -> parsed(p, PolicyType.BOUNDARY))
                    .orElseGet(() -> Policy.parse(EMPTY_DOCUMENT, PolicyType.BOUNDARY, boundaryArn)));
        }
        return new EffectivePermissions(role.getArn(), role.getRevision(), identity, boundary);
    }

    /** The policy's default document parsed as {@code type}, once per revision. */
    private Policy parsed(ManagedPolicyState policy, PolicyType type) {
        ParsedPolicy p = parsed.get(policy.getArn());
        if (p == null || p.revision != policy.getRevision()) {
            p = new ParsedPolicy(policy.getRevision());
            parsed.put(policy.getArn(), p);
        }
        boolean awsManaged = AwsManagedPolicies.isAwsManaged(policy.getArn());
        if (type == PolicyType.BOUNDARY) {
            if (p.boundary == null) {
                p.boundary = parse(policy, type, awsManaged);
            }
            return p.boundary;
        }
        if (p.identity == null) {
            p.identity = parse(policy, type, awsManaged);
        }
        return p.identity;
    }

    private static Policy parse(ManagedPolicyState policy, PolicyType type, boolean awsManaged) {
        return awsManaged
                ? Policy.parseAwsManaged(policy.getDefaultDocument(), type, policy.getArn())
                : Policy.parse(policy.getDefaultDocument(), type, policy.getArn());
    }
}
