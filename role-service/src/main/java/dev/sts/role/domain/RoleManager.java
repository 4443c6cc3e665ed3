package dev.sts.role.domain;

import dev.sts.kit.arn.Arns;
import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.id.Ids;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The role use cases: authorize the caller, validate, persist with the change's events. */
@ApplicationScoped
public class RoleManager {
    private static final Pattern NAME_KEY = Pattern.compile("[a-z0-9_+=,.@-]{1,64}");
    static final String ROLES_LIST = "roles";
    private final RoleStore store;
    private final RoleChanges changes;
    private final Access access;
    private final RoleChangeEvents events;
    private final PolicyTargets targets;
    private final StsConfig config;
    private final InstantSource clock;

    public RoleManager(RoleStore store, RoleChanges changes, Access access, RoleChangeEvents events,
            PolicyTargets targets, StsConfig config, InstantSource clock) {
        this.store = store;
        this.changes = changes;
        this.access = access;
        this.events = events;
        this.targets = targets;
        this.config = config;
        this.clock = clock;
    }

    public record CreateRole(String roleName, String path, String trustPolicy, String description,
            int maxSessionDuration, String permissionsBoundary, List<Role.Tag> tags) {
    }

    public Uni<Role> create(Call call, CreateRole cmd) {
        // Cheap checks of everything the caller sent first: the refusal event carries them too.
        RoleValidation.roleName(cmd.roleName());
        String path = RoleValidation.path(cmd.path());
        RoleValidation.rawDocument(cmd.trustPolicy(), "assume_role_policy_document");
        RoleValidation.description(cmd.description());
        int maxSession = RoleValidation.maxSessionDuration(cmd.maxSessionDuration());
        RoleValidation.tags(cmd.tags());
        boolean hasBoundary = cmd.permissionsBoundary() != null && !cmd.permissionsBoundary().isEmpty();
        PolicyArn boundary = hasBoundary ? PolicyArn.parse(cmd.permissionsBoundary(), "permissions_boundary") : null;
        String arn = Arns.role(config.partition(), config.accountId(), path, cmd.roleName());
        String description = cmd.description() == null ? "" : cmd.description();

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("roleName", cmd.roleName());
        params.put("path", path);
        params.put("assumeRolePolicyDocument", cmd.trustPolicy());
        params.put("description", description);
        params.put("maxSessionDuration", maxSession);
        if (boundary != null) {
            params.put("permissionsBoundary", boundary.arn());
        }
        if (!cmd.tags().isEmpty()) {
            params.put("tags", tagParameters(cmd.tags()));
        }
        return access.audited(call, "CreateRole", params, () -> {
            access.require(call, "iam:CreateRole", arn);
            RoleValidation.trustPolicy(cmd.trustPolicy(), "assume_role_policy_document");
            // CreateRole has no NoSuchEntity among its errors: IAM answers a boundary that does not
            // exist with InvalidInput (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
            Supplier<StsException> missing = () -> new StsException(ErrorCode.INVALID_INPUT,
                    "Scope ARN: " + boundary.arn() + " does not exist or is not attachable.", "permissions_boundary");
            Uni<Optional<PolicyReference>> resolvedBoundary = boundary == null
                    ? Uni.createFrom().item(Optional.empty())
                    : targets.lookup(boundary, missing).map(t -> Optional.ofNullable(t.require(missing).reference()));
            return resolvedBoundary.flatMap(reference -> {
                Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                Role role = new Role(Ids.iamId("AROA"), config.accountId(), cmd.roleName(), path, arn,
                        cmd.trustPolicy(), description, maxSession, boundary == null ? null : boundary.arn(), cmd.tags(),
                        1, now);
                RoleDetails details = RoleDetails.of(role);
                List<OutboxEvent> written = List.of(
                        events.roleChanged("CreateRole", arn, role.roleId(), role.revision(), call.caller(),
                                call.request(), now, params),
                        events.roleState(details, now));
                // Checked last, so that bad input and denials keep their own answers during an outage.
                List<PolicyReference> references = reference.map(List::of).orElse(List.of());
                return events.requireRecordable()
                        .chain(() -> store.insert(details, written, references))
                        .map(RoleDetails::role);
            });
        });
    }

    public Uni<Role> get(Call call, String roleName) {
        RoleValidation.roleName(roleName);
        return access.audited(call, "GetRole", Map.of("roleName", roleName), () -> store
                .findByName(config.accountId(), roleName)
                .map(found -> {
                    String arn = found.map(Role::arn).orElseGet(() -> changes.impliedArn(roleName));
                    access.require(call, "iam:GetRole", arn);
                    return found.orElseThrow(() -> RoleChanges.noSuchRole(roleName));
                }));
    }

    /**
     * Roles whose path starts with the prefix, in name order (ignoring case, as names are unique),
     * paged by name: a token is the last name of its page.
     */
    public Uni<Page<Role>> list(Call call, String pathPrefix, int pageSize, String pageToken) {
        String prefix = RoleValidation.pathPrefix(pathPrefix);
        int size = PageTokens.pageSize(pageSize);
        List<String> after = PageTokens.decode(ROLES_LIST, pageToken, k -> NAME_KEY.matcher(k).matches());
        // IAM: ListRoles is authorized on arn:aws:iam::<account>:role<path prefix>*.
        String resource = "arn:" + config.partition() + ":iam::" + config.accountId() + ":role" + prefix + "*";
        return access.audited(call, "ListRoles", Map.of("pathPrefix", prefix), () -> {
            access.require(call, "iam:ListRoles", resource);
            return store.list(config.accountId(), prefix, after == null ? null : after.get(0), size + 1).map(rows -> {
                if (rows.size() <= size) {
                    return new Page<>(rows, "");
                }
                List<Role> items = rows.subList(0, size);
                String last = items.get(size - 1).roleName().toLowerCase(Locale.ROOT);
                return new Page<>(items, PageTokens.encode(ROLES_LIST, last));
            });
        });
    }

    /** UpdateRole: the description and the maximum session duration, each only when given. */
    public Uni<Role> update(Call call, String roleName, Optional<String> description, OptionalInt maxSessionDuration) {
        description.ifPresent(RoleValidation::description);
        maxSessionDuration.ifPresent(RoleValidation::explicitMaxSessionDuration);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("roleName", roleName);
        description.ifPresent(d -> params.put("description", d));
        maxSessionDuration.ifPresent(s -> params.put("maxSessionDuration", s));
        return changes.change(call, "UpdateRole", "iam:UpdateRole", roleName, params, before -> {
            Role role = before.role();
            Role after = role;
            if (description.isPresent()) {
                after = after.withDescription(description.get());
            }
            if (maxSessionDuration.isPresent()) {
                after = after.withMaxSessionDuration(maxSessionDuration.getAsInt());
            }
            return after.equals(role) ? RoleChanges.Outcome.unchanged() : RoleChanges.Outcome.changed(before.withRole(after));
        }).map(RoleDetails::role);
    }

    /**
     * DeleteRole. IAM: "Before attempting to delete a role, remove the following attached items:
     * Inline policies (DeleteRolePolicy), Attached managed policies (DetachRolePolicy), Instance
     * profile" (https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html). A
     * permissions boundary is not on that list: it is not an attachment, does not grant anything,
     * and goes with the role, as in IAM.
     */
    public Uni<Void> delete(Call call, String roleName) {
        return changes.change(call, "DeleteRole", "iam:DeleteRole", roleName, Map.of("roleName", roleName), before -> {
            if (!before.inlinePolicies().isEmpty()) {
                throw new StsException(ErrorCode.DELETE_CONFLICT, "Cannot delete entity, must delete policies first.",
                        "role_name");
            }
            if (!before.attachedPolicyArns().isEmpty()) {
                throw new StsException(ErrorCode.DELETE_CONFLICT,
                        "Cannot delete entity, must detach all policies first.", "role_name");
            }
            return RoleChanges.Outcome.deleted();
        }).replaceWithVoid();
    }

    /** UpdateAssumeRolePolicy: the new trust policy passes the same checks as CreateRole's. */
    public Uni<Void> updateTrustPolicy(Call call, String roleName, String document) {
        RoleValidation.rawDocument(document, "policy_document");
        Map<String, Object> params = Map.of("roleName", roleName, "policyDocument", document);
        return changes.change(call, "UpdateAssumeRolePolicy", "iam:UpdateAssumeRolePolicy", roleName, params, before -> {
            RoleValidation.trustPolicy(document, "policy_document");
            return RoleChanges.Outcome.changed(before.withRole(before.role().withTrustPolicy(document)));
        }).replaceWithVoid();
    }

    /**
     * TagRole: adds or overwrites tags; keys match ignoring case, as IAM's do. At most 50 tags
     * per role: "Cannot exceed quota for TagsPerRole" answers LimitExceeded.
     */
    public Uni<Void> tag(Call call, String roleName, List<Role.Tag> tags) {
        if (tags.isEmpty()) {
            throw StsException.invalid("tags", "at least one tag is required");
        }
        RoleValidation.tags(tags);
        Map<String, Object> params = Map.of("roleName", roleName, "tags", tagParameters(tags));
        return changes.change(call, "TagRole", "iam:TagRole", roleName, params, before -> {
            Set<String> replaced = tags.stream().map(t -> t.key().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
            List<Role.Tag> merged = new ArrayList<>(before.role().tags().stream()
                    .filter(t -> !replaced.contains(t.key().toLowerCase(Locale.ROOT))).toList());
            merged.addAll(tags);
            if (merged.size() > RoleValidation.MAX_TAGS) {
                throw new StsException(ErrorCode.LIMIT_EXCEEDED,
                        "Cannot exceed quota for TagsPerRole: " + RoleValidation.MAX_TAGS, "tags");
            }
            if (Set.copyOf(merged).equals(Set.copyOf(before.role().tags()))) {
                return RoleChanges.Outcome.unchanged();
            }
            return RoleChanges.Outcome.changed(before.withRole(before.role().withTags(merged)));
        }).replaceWithVoid();
    }

    /** UntagRole: removes the tags with these keys (ignoring case); keys the role does not have are ignored. */
    public Uni<Void> untag(Call call, String roleName, List<String> keys) {
        RoleValidation.tagKeys(keys);
        Map<String, Object> params = Map.of("roleName", roleName, "tagKeys", List.copyOf(keys));
        Set<String> removed = keys.stream().map(k -> k.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return changes.change(call, "UntagRole", "iam:UntagRole", roleName, params, before -> {
            List<Role.Tag> kept = before.role().tags().stream()
                    .filter(t -> !removed.contains(t.key().toLowerCase(Locale.ROOT))).toList();
            if (kept.size() == before.role().tags().size()) {
                return RoleChanges.Outcome.unchanged();
            }
            return RoleChanges.Outcome.changed(before.withRole(before.role().withTags(kept)));
        }).replaceWithVoid();
    }

    static List<Map<String, String>> tagParameters(List<Role.Tag> tags) {
        return tags.stream().map(t -> Map.of("key", t.key(), "value", t.value())).toList();
    }
}
