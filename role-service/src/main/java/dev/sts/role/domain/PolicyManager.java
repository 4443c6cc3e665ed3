package dev.sts.role.domain;

import dev.sts.kit.arn.Arns;
import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.id.Ids;
import dev.sts.policy.PolicySize;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Managed policies and their versions. Customer-managed policies are stored here; AWS-managed ones
 * come from the catalogue and are only read: "You cannot change the permissions defined in AWS
 * managed policies" (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html),
 * so every change of one answers AccessDenied, as for a resource of another account.
 */
@ApplicationScoped
public class PolicyManager {
    /** IAM: "A managed policy can have up to five versions." */
    static final int MAX_VERSIONS = 5;
    static final String POLICIES_LIST = "policies";
    static final String VERSIONS_LIST = "policy-versions";
    private static final Pattern NAME_KEY = Pattern.compile("[a-z0-9_+=,.@-]{1,128}");
    private static final Pattern VERSION_NUMBER = Pattern.compile("[1-9][0-9]{0,8}");
    private static final String MANAGED_QUOTA = "Cannot exceed quota for PolicySize: " + PolicySize.MANAGED_POLICY_MAX;
    private final PolicyStore store;
    private final AwsManagedCatalogue catalogue;
    private final Access access;
    private final RoleChangeEvents events;
    private final StsConfig config;
    private final InstantSource clock;

    public PolicyManager(PolicyStore store, AwsManagedCatalogue catalogue, Access access, RoleChangeEvents events,
            StsConfig config, InstantSource clock) {
        this.store = store;
        this.catalogue = catalogue;
        this.access = access;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    /** IAM's ListPolicies Scope. */
    public enum Scope {
        ALL("All"), AWS("AWS"), LOCAL("Local");

        private final String iamName;

        Scope(String iamName) {
            this.iamName = iamName;
        }

        /** As IAM's request parameter spells it. */
        public String iamName() {
            return iamName;
        }
    }

    /** A version with the number of its policy's default version. */
    public record VersionOf(PolicyVersion version, int defaultVersion) {
    }

    public record CreatePolicy(String policyName, String path, String document, String description, List<Role.Tag> tags) {
    }

    /**
     * CreatePolicy: version v1 is the default. The document passes the engine's grammar for
     * identity-based policies within IAM's quota "Managed policy size cannot exceed 6,144
     * characters" (whitespace not counted); names are unique in the account ignoring case.
     */
    public Uni<PolicyDetails> create(Call call, CreatePolicy cmd) {
        RoleValidation.policyName(cmd.policyName());
        String path = RoleValidation.path(cmd.path());
        RoleValidation.rawDocument(cmd.document(), "policy_document");
        RoleValidation.description(cmd.description());
        RoleValidation.tags(cmd.tags());
        String arn = Arns.policy(config.partition(), config.accountId(), path, cmd.policyName());
        String description = cmd.description() == null ? "" : cmd.description();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("policyName", cmd.policyName());
        params.put("path", path);
        params.put("policyDocument", cmd.document());
        params.put("description", description);
        if (!cmd.tags().isEmpty()) {
            params.put("tags", RoleManager.tagParameters(cmd.tags()));
        }
        return access.audited(call, "CreatePolicy", params, () -> {
            access.require(call, "iam:CreatePolicy", arn);
            RoleValidation.identityPolicy(cmd.document(), "policy_document", PolicySize.MANAGED_POLICY_MAX, MANAGED_QUOTA);
            Instant now = now();
            ManagedPolicy policy = new ManagedPolicy(Ids.iamId("ANPA"), config.accountId(), cmd.policyName(), path, arn,
                    description, 1, 2, cmd.tags(), 1, now, now);
            PolicyDetails details = new PolicyDetails(policy, List.of(new PolicyVersion(1, cmd.document(), now)), 0, 0,
                    false);
            List<OutboxEvent> written = List.of(
                    events.roleChanged("CreatePolicy", arn, null, 1, call.caller(), call.request(), now, params),
                    events.policyState(details, now));
            return events.requireRecordable().chain(() -> store.insert(details, written));
        });
    }

    public Uni<PolicyDetails> get(Call call, String policyArn) {
        PolicyArn arn = PolicyArn.parse(policyArn, "policy_arn");
        return access.audited(call, "GetPolicy", Map.of("policyArn", arn.arn()), () -> {
            access.require(call, "iam:GetPolicy", arn.arn());
            return find(arn).map(found -> found.orElseThrow(() -> noSuchPolicy(arn)));
        });
    }

    /**
     * ListPolicies: customer-managed, AWS-managed or both, in name order (then ARN), paged by that
     * key. IAM authorizes ListPolicies on no particular resource ("*").
     */
    public Uni<Page<PolicyDetails>> list(Call call, Scope scope, String pathPrefix, boolean onlyAttached, int pageSize,
            String pageToken) {
        String prefix = RoleValidation.pathPrefix(pathPrefix);
        int size = PageTokens.pageSize(pageSize);
        List<String> after = PageTokens.decode(POLICIES_LIST, pageToken, k -> NAME_KEY.matcher(k).matches(),
                k -> k.length() <= PolicyArn.MAX_LENGTH && k.startsWith("arn:"));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("scope", scope.iamName());
        params.put("pathPrefix", prefix);
        params.put("onlyAttached", onlyAttached);
        String afterName = after == null ? null : after.get(0);
        String afterArn = after == null ? null : after.get(1);
        return access.audited(call, "ListPolicies", params, () -> {
            access.require(call, "iam:ListPolicies", "*");
            Uni<List<PolicyDetails>> local = scope == Scope.AWS ? Uni.createFrom().item(List.of())
                    : store.list(config.accountId(), prefix, onlyAttached, afterName, afterArn, size + 1);
            return local.flatMap(customer -> awsManaged(scope, prefix, onlyAttached, afterName, afterArn, size + 1).map(aws -> {
                List<PolicyDetails> merged = new ArrayList<>(customer);
                merged.addAll(aws);
                merged.sort(Comparator.comparing(PolicyManager::nameKey).thenComparing(p -> p.policy().arn()));
                if (merged.size() <= size) {
                    return new Page<>(merged, "");
                }
                List<PolicyDetails> items = merged.subList(0, size);
                PolicyDetails last = items.get(size - 1);
                return new Page<>(items, PageTokens.encode(POLICIES_LIST, nameKey(last), last.policy().arn()));
            }));
        });
    }

    /**
     * The AWS-managed policies of a page: those after the position, in list order, at most
     * {@code limit}, with their usage (counted for the candidates only; when only attached ones
     * are wanted, for every candidate, since the count decides which are).
     */
    private Uni<List<PolicyDetails>> awsManaged(Scope scope, String prefix, boolean onlyAttached, String afterName,
            String afterArn, int limit) {
        if (scope == Scope.LOCAL) {
            return Uni.createFrom().item(List.of());
        }
        List<PolicyDetails> candidates = catalogue.all().stream()
                .filter(p -> p.policy().path().startsWith(prefix))
                .filter(p -> afterName == null || compareKey(p, afterName, afterArn) > 0)
                .sorted(Comparator.comparing(PolicyManager::nameKey).thenComparing(p -> p.policy().arn()))
                .limit(onlyAttached ? Long.MAX_VALUE : limit)
                .toList();
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return store.usage(candidates.stream().map(p -> p.policy().arn()).toList()).map(usage -> candidates.stream()
                .map(p -> withUsage(p, usage))
                .filter(p -> !onlyAttached || p.attachmentCount() > 0)
                .limit(limit)
                .toList());
    }

    private static int compareKey(PolicyDetails p, String afterName, String afterArn) {
        int byName = nameKey(p).compareTo(afterName);
        return byName != 0 ? byName : p.policy().arn().compareTo(afterArn);
    }

    private static String nameKey(PolicyDetails p) {
        return p.policy().policyName().toLowerCase(Locale.ROOT);
    }

    /**
     * DeletePolicy. IAM: "Before you can delete a managed policy, you must first detach the policy
     * from all users, groups, and roles that it is attached to. In addition, you must delete all the
     * policy's versions" except the default, which goes with the policy
     * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicy.html). A policy used
     * as a permissions boundary counts as attached: deleting it would silently change what the
     * roles it bounds may do.
     */
    public Uni<Void> delete(Call call, String policyArn) {
        PolicyArn arn = PolicyArn.parse(policyArn, "policy_arn");
        return change(call, "DeletePolicy", "iam:DeletePolicy", arn, Map.of("policyArn", arn.arn()), before -> {
            if (before.attachmentCount() > 0 || before.boundaryUsageCount() > 0) {
                throw new StsException(ErrorCode.DELETE_CONFLICT, "Cannot delete a policy attached to entities.",
                        "policy_arn");
            }
            if (before.versions().size() > 1) {
                throw new StsException(ErrorCode.DELETE_CONFLICT, "This policy has more than one version. Before you "
                        + "delete a policy, you must delete the policy's versions. The default version is deleted with "
                        + "the policy.", "policy_arn");
            }
            return null;
        }).replaceWithVoid();
    }

    /**
     * CreatePolicyVersion: at most five versions ("A managed policy can have up to 5 versions.
     * Before you create a new version, you must delete an existing version."), each within the
     * managed-policy quota; {@code setAsDefault} makes it the policy's document.
     */
    public Uni<PolicyVersion> createVersion(Call call, String policyArn, String document, boolean setAsDefault) {
        PolicyArn arn = PolicyArn.parse(policyArn, "policy_arn");
        RoleValidation.rawDocument(document, "policy_document");
        Map<String, Object> params = Map.of("policyArn", arn.arn(), "policyDocument", document, "setAsDefault",
                setAsDefault);
        return change(call, "CreatePolicyVersion", "iam:CreatePolicyVersion", arn, params, before -> {
            RoleValidation.identityPolicy(document, "policy_document", PolicySize.MANAGED_POLICY_MAX, MANAGED_QUOTA);
            if (before.versions().size() >= MAX_VERSIONS) {
                throw new StsException(ErrorCode.LIMIT_EXCEEDED, "A managed policy can have up to " + MAX_VERSIONS
                        + " versions. Before you create a new version, you must delete an existing version.", "policy_arn");
            }
            ManagedPolicy p = before.policy();
            Instant at = now();
            PolicyVersion created = new PolicyVersion(p.nextVersion(), document, at);
            List<PolicyVersion> versions = new ArrayList<>(before.versions());
            versions.add(created);
            return new PolicyDetails(p.withVersions(setAsDefault ? created.number() : p.defaultVersion(),
                    p.nextVersion() + 1, p.revision() + 1, at), versions, before.attachmentCount(),
                    before.boundaryUsageCount(), false);
        }).map(after -> after.versions().get(0));
    }

    public Uni<VersionOf> getVersion(Call call, String policyArn, String versionId) {
        PolicyArn arn = PolicyArn.parse(policyArn, "policy_arn");
        int number = RoleValidation.versionNumber(versionId);
        return access.audited(call, "GetPolicyVersion", Map.of("policyArn", arn.arn(), "versionId", versionId), () -> {
            access.require(call, "iam:GetPolicyVersion", arn.arn());
            return find(arn).map(found -> {
                PolicyDetails policy = found.orElseThrow(() -> noSuchPolicy(arn));
                PolicyVersion version = policy.version(number).orElseThrow(() -> noSuchVersion(arn, versionId));
                return new VersionOf(version, policy.policy().defaultVersion());
            });
        });
    }

    /** ListPolicyVersions: newest first, paged by version number. */
    public Uni<Page<VersionOf>> listVersions(Call call, String policyArn, int pageSize, String pageToken) {
        PolicyArn arn = PolicyArn.parse(policyArn, "policy_arn");
        int size = PageTokens.pageSize(pageSize);
        List<String> after = PageTokens.decode(VERSIONS_LIST, pageToken, k -> VERSION_NUMBER.matcher(k).matches());
        return access.audited(call, "ListPolicyVersions", Map.of("policyArn", arn.arn()), () -> {
            access.require(call, "iam:ListPolicyVersions", arn.arn());
            return find(arn).map(found -> {
                PolicyDetails policy = found.orElseThrow(() -> noSuchPolicy(arn));
                // Newest first: a version "comes after" the token's when its number is smaller.
                Comparator<String> newestFirst = Comparator.comparingInt((String n) -> Integer.parseInt(n)).reversed();
                List<VersionOf> versions = policy.versions().stream()
                        .map(v -> new VersionOf(v, policy.policy().defaultVersion())).toList();
                return PageTokens.page(versions, size, v -> Integer.toString(v.version().number()), newestFirst,
                        after == null ? null : after.get(0), VERSIONS_LIST);
            });
        });
    }

    public Uni<Void> setDefaultVersion(Call call, String policyArn, String versionId) {
        PolicyArn arn = PolicyArn.parse(policyArn, "policy_arn");
        int number = RoleValidation.versionNumber(versionId);
        Map<String, Object> params = Map.of("policyArn", arn.arn(), "versionId", versionId);
        return change(call, "SetDefaultPolicyVersion", "iam:SetDefaultPolicyVersion", arn, params, before -> {
            before.version(number).orElseThrow(() -> noSuchVersion(arn, versionId));
            ManagedPolicy p = before.policy();
            if (p.defaultVersion() == number) {
                return before;
            }
            return new PolicyDetails(p.withVersions(number, p.nextVersion(), p.revision() + 1, now()), before.versions(),
                    before.attachmentCount(), before.boundaryUsageCount(), false);
        }).replaceWithVoid();
    }

    /**
     * DeletePolicyVersion: "You cannot delete the default version from a policy using this
     * operation. To delete the default version from a policy, use DeletePolicy."
     * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicyVersion.html)
     */
    public Uni<Void> deleteVersion(Call call, String policyArn, String versionId) {
        PolicyArn arn = PolicyArn.parse(policyArn, "policy_arn");
        int number = RoleValidation.versionNumber(versionId);
        Map<String, Object> params = Map.of("policyArn", arn.arn(), "versionId", versionId);
        return change(call, "DeletePolicyVersion", "iam:DeletePolicyVersion", arn, params, before -> {
            before.version(number).orElseThrow(() -> noSuchVersion(arn, versionId));
            ManagedPolicy p = before.policy();
            if (p.defaultVersion() == number) {
                throw new StsException(ErrorCode.DELETE_CONFLICT, "Cannot delete the default version of a policy.",
                        "version_id");
            }
            return new PolicyDetails(p.withVersions(p.defaultVersion(), p.nextVersion(), p.revision() + 1, now()),
                    before.versions().stream().filter(v -> v.number() != number).toList(), before.attachmentCount(),
                    before.boundaryUsageCount(), false);
        }).replaceWithVoid();
    }

    /**
     * A change of a customer-managed policy: authorized on its ARN, then decided on the policy as
     * read under the store's lock. {@code decide} answers the policy afterwards (the same object
     * when nothing changes; null to delete it). The policy's state is published when it is
     * deleted or its default version changed.
     */
    private Uni<PolicyDetails> change(Call call, String eventName, String action, PolicyArn arn,
            Map<String, ?> params, Function<PolicyDetails, PolicyDetails> decide) {
        return access.audited(call, eventName, params, () -> {
            if (arn.awsManaged()) {
                access.require(call, action, arn.arn());
                throw Denied.awsManaged(call, action, arn.arn());
            }
            return store.update(config.accountId(), arn.arn(), found -> {
                access.require(call, action, arn.arn());
                PolicyDetails before = found.orElseThrow(() -> noSuchPolicy(arn));
                PolicyDetails after = decide.apply(before);
                if (after == before) {
                    return new PolicyWrite<>(null, Optional.empty(), List.of(), before);
                }
                Instant now = now();
                List<OutboxEvent> written = new ArrayList<>();
                long revision = after == null ? 0 : after.policy().revision();
                written.add(events.roleChanged(eventName, arn.arn(), null, revision, call.caller(), call.request(), now,
                        params));
                if (after == null) {
                    written.add(events.deleted(arn.arn()));
                } else if (after.policy().defaultVersion() != before.policy().defaultVersion()) {
                    written.add(events.policyState(after, now));
                }
                return new PolicyWrite<>(before, Optional.ofNullable(after), written, after);
            }, events::requireRecordable);
        });
    }

    /** The policy with its versions and usage: AWS-managed from the catalogue, customer-managed from the store. */
    private Uni<Optional<PolicyDetails>> find(PolicyArn arn) {
        if (arn.awsManaged()) {
            Optional<PolicyDetails> found = catalogue.find(arn.arn());
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.empty());
            }
            return store.usage(List.of(arn.arn())).map(usage -> Optional.of(withUsage(found.get(), usage)));
        }
        if (!arn.partition().equals(config.partition()) || !arn.account().equals(config.accountId())) {
            return Uni.createFrom().item(Optional.empty());
        }
        return store.find(config.accountId(), arn.arn());
    }

    private static PolicyDetails withUsage(PolicyDetails p, Map<String, PolicyUsage> usage) {
        PolicyUsage u = usage.getOrDefault(p.policy().arn(), PolicyUsage.NONE);
        return p.withUsage(u.attachments(), u.boundaries());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static StsException noSuchPolicy(PolicyArn arn) {
        return new StsException(ErrorCode.NO_SUCH_ENTITY, "Policy " + arn.arn() + " was not found.", "policy_arn");
    }

    static StsException noSuchVersion(PolicyArn arn, String versionId) {
        return new StsException(ErrorCode.NO_SUCH_ENTITY,
                "Policy " + arn.arn() + " version " + versionId + " does not exist or is not attachable.", "version_id");
    }
}
