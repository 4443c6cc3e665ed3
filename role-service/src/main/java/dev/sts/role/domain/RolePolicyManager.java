package dev.sts.role.domain;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.policy.PolicySize;
import dev.sts.role.config.RoleConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A role's permission policies: inline policies, attached managed policies, and its permissions
 * boundary. Every change goes through {@link RoleChanges}: authorized on the role, guarded by its
 * revision, stored with its events.
 */
@ApplicationScoped
public class RolePolicyManager {
    private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
    static final String INLINE_LIST = "role-policies";
    static final String ATTACHED_LIST = "attached-role-policies";
    private final RoleChanges changes;
    private final PolicyTargets targets;
    private final RoleConfig config;

    public RolePolicyManager(RoleChanges changes, PolicyTargets targets, RoleConfig config) {
        this.changes = changes;
        this.targets = targets;
        this.config = config;
    }

    /** An inline policy of a role. */
    public record InlinePolicy(String roleName, String policyName, String document) {
    }

    /** A managed policy attached to a role, named as ListAttachedRolePolicies names it. */
    public record Attached(String policyName, String policyArn, String path) {
        static Attached of(String arn) {
            int slash = arn.lastIndexOf('/');
            int policy = arn.indexOf(":policy/");
            return new Attached(arn.substring(slash + 1), arn, arn.substring(policy + ":policy".length(), slash + 1));
        }

        String key() {
            // A space sorts before every character of names and ARNs: name order, then ARN order.
            return policyName.toLowerCase(Locale.ROOT) + " " + policyArn;
        }
    }

    /**
     * PutRolePolicy: adds or overwrites an inline policy. The document passes the policy engine's
     * grammar for identity-based policies; all inline policies of the role together stay within
     * IAM's quota: "Role policy size cannot exceed 10,240 characters", whitespace not counted
     * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), which IAM
     * answers with LimitExceeded "Maximum policy size of 10240 bytes exceeded for role ...".
     */
    public Uni<Void> putInline(Call call, String roleName, String policyName, String document) {
        RoleValidation.policyName(policyName);
        RoleValidation.rawDocument(document, "policy_document");
        Map<String, Object> params = Map.of("roleName", roleName, "policyName", policyName, "policyDocument", document);
        return changes.change(call, "PutRolePolicy", "iam:PutRolePolicy", roleName, params, before -> {
            String quota = "Maximum policy size of " + PolicySize.ROLE_INLINE_POLICIES_TOTAL_MAX
                    + " bytes exceeded for role " + before.role().roleName();
            RoleValidation.identityPolicy(document, "policy_document", PolicySize.ROLE_INLINE_POLICIES_TOTAL_MAX, quota);
            RoleDetails after = before.withInlinePolicy(policyName, document);
            if (PolicySize.total(after.inlinePolicies().values()) > PolicySize.ROLE_INLINE_POLICIES_TOTAL_MAX) {
                throw new StsException(ErrorCode.LIMIT_EXCEEDED, quota, "policy_document");
            }
            return RoleChanges.Outcome.changed(after);
        }).replaceWithVoid();
    }

    public Uni<InlinePolicy> getInline(Call call, String roleName, String policyName) {
        RoleValidation.policyName(policyName);
        return changes.read(call, "GetRolePolicy", "iam:GetRolePolicy", roleName,
                Map.of("roleName", roleName, "policyName", policyName)).map(role -> {
                    String document = role.inlinePolicies().get(policyName);
                    if (document == null) {
                        throw noSuchInline(policyName);
                    }
                    return new InlinePolicy(role.role().roleName(), policyName, document);
                });
    }

    public Uni<Void> deleteInline(Call call, String roleName, String policyName) {
        RoleValidation.policyName(policyName);
        Map<String, Object> params = Map.of("roleName", roleName, "policyName", policyName);
        return changes.change(call, "DeleteRolePolicy", "iam:DeleteRolePolicy", roleName, params, before -> {
            if (!before.inlinePolicies().containsKey(policyName)) {
                throw noSuchInline(policyName);
            }
            return RoleChanges.Outcome.changed(before.withoutInlinePolicy(policyName));
        }).replaceWithVoid();
    }

    /** ListRolePolicies: inline policy names in name order, paged by name. */
    public Uni<Page<String>> listInline(Call call, String roleName, int pageSize, String pageToken) {
        int size = PageTokens.pageSize(pageSize);
        List<String> after = PageTokens.decode(INLINE_LIST, pageToken, k -> POLICY_NAME.matcher(k).matches());
        return changes.read(call, "ListRolePolicies", "iam:ListRolePolicies", roleName, Map.of("roleName", roleName))
                .map(role -> PageTokens.page(List.copyOf(role.inlinePolicies().keySet()), size, n -> n,
                        Comparator.naturalOrder(), after == null ? null : after.get(0), INLINE_LIST));
    }

    /**
     * AttachRolePolicy: a customer-managed policy of this account or an AWS-managed one. IAM
     * answers a policy that does not exist with NoSuchEntity "Policy ... does not exist or is not
     * attachable.", and more than the role's quota of managed policies with LimitExceeded
     * "Cannot exceed quota for PoliciesPerRole: 10". Attaching an attached policy changes nothing.
     */
    public Uni<Void> attach(Call call, String roleName, String policyArn) {
        RoleValidation.roleName(roleName);
        PolicyArn arn = PolicyArn.parse(policyArn, "policy_arn");
        Supplier<StsException> missing = () -> new StsException(ErrorCode.NO_SUCH_ENTITY,
                "Policy " + arn.arn() + " does not exist or is not attachable.", "policy_arn");
        Map<String, Object> params = Map.of("roleName", roleName, "policyArn", arn.arn());
        return targets.lookup(arn, missing).flatMap(target -> changes.change(call, "AttachRolePolicy",
                "iam:AttachRolePolicy", roleName, params, before -> {
                    target.require(missing);
                    if (before.attachedPolicyArns().contains(target.arn())) {
                        return RoleChanges.Outcome.unchanged();
                    }
                    int quota = config.maxAttachedPolicies();
                    if (before.attachedPolicyArns().size() >= quota) {
                        throw new StsException(ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for PoliciesPerRole: " + quota,
                                "policy_arn");
                    }
                    return RoleChanges.Outcome.changed(before.withAttached(target.arn()), target.reference());
                })).replaceWithVoid();
    }

    /** DetachRolePolicy: IAM answers a policy that is not attached with NoSuchEntity "Policy ... was not found." */
    public Uni<Void> detach(Call call, String roleName, String policyArn) {
        PolicyArn arn = PolicyArn.parse(policyArn, "policy_arn");
        Map<String, Object> params = Map.of("roleName", roleName, "policyArn", arn.arn());
        return changes.change(call, "DetachRolePolicy", "iam:DetachRolePolicy", roleName, params, before -> {
            if (!before.attachedPolicyArns().contains(arn.arn())) {
                throw new StsException(ErrorCode.NO_SUCH_ENTITY, "Policy " + arn.arn() + " was not found.", "policy_arn");
            }
            return RoleChanges.Outcome.changed(before.withoutAttached(arn.arn()));
        }).replaceWithVoid();
    }

    /** ListAttachedRolePolicies: in name order (then ARN), optionally under a path prefix. */
    public Uni<Page<Attached>> listAttached(Call call, String roleName, String pathPrefix, int pageSize, String pageToken) {
        String prefix = RoleValidation.pathPrefix(pathPrefix);
        int size = PageTokens.pageSize(pageSize);
        List<String> after = PageTokens.decode(ATTACHED_LIST, pageToken, k -> k.length() <= 900);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("roleName", roleName);
        params.put("pathPrefix", prefix);
        return changes.read(call, "ListAttachedRolePolicies", "iam:ListAttachedRolePolicies", roleName, params)
                .map(role -> {
                    List<Attached> attached = new ArrayList<>(role.attachedPolicyArns().stream().map(Attached::of)
                            .filter(a -> a.path().startsWith(prefix)).toList());
                    attached.sort(Comparator.comparing(Attached::key));
                    return PageTokens.page(attached, size, Attached::key, Comparator.naturalOrder(),
                            after == null ? null : after.get(0), ATTACHED_LIST);
                });
    }

    /**
     * PutRolePermissionsBoundary: an existing managed policy, customer- or AWS-managed; one that
     * does not exist answers NoSuchEntity.
     */
    public Uni<Void> putBoundary(Call call, String roleName, String policyArn) {
        RoleValidation.roleName(roleName);
        PolicyArn arn = PolicyArn.parse(policyArn, "permissions_boundary");
        Supplier<StsException> missing = () -> new StsException(ErrorCode.NO_SUCH_ENTITY,
                "Policy " + arn.arn() + " does not exist or is not attachable.", "permissions_boundary");
        Map<String, Object> params = Map.of("roleName", roleName, "permissionsBoundary", arn.arn());
        return targets.lookup(arn, missing).flatMap(target -> changes.change(call, "PutRolePermissionsBoundary",
                "iam:PutRolePermissionsBoundary", roleName, params, before -> {
                    target.require(missing);
                    if (target.arn().equals(before.role().permissionsBoundary())) {
                        return RoleChanges.Outcome.unchanged();
                    }
                    return RoleChanges.Outcome.changed(
                            before.withRole(before.role().withPermissionsBoundary(target.arn())), target.reference());
                })).replaceWithVoid();
    }

    /** DeleteRolePermissionsBoundary: a role without a boundary stays as it is. */
    public Uni<Void> deleteBoundary(Call call, String roleName) {
        return changes.change(call, "DeleteRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary", roleName,
                Map.of("roleName", roleName), before -> before.role().permissionsBoundary() == null
                        ? RoleChanges.Outcome.unchanged()
                        : RoleChanges.Outcome.changed(before.withRole(before.role().withPermissionsBoundary(null))))
                .replaceWithVoid();
    }

    static StsException noSuchInline(String policyName) {
        return new StsException(ErrorCode.NO_SUCH_ENTITY, "The role policy with name " + policyName + " cannot be found.",
                "policy_name");
    }
}
