package dev.sts.kit.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sts.kit.iam.EffectivePermissions;
import dev.sts.kit.iam.PermissionView;
import dev.sts.policy.Decision;
import dev.sts.policy.Effect;
import dev.sts.policy.EvaluationRequest;
import dev.sts.policy.MalformedPolicyException;
import dev.sts.policy.Outcome;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicyEvaluator;
import dev.sts.policy.PolicyType;
import dev.sts.policy.RequestContext;
import dev.sts.policy.RequestKind;
import dev.sts.policy.StatementRef;
import dev.sts.policy.TraceEntry;
import dev.sts.proto.v1.ManagedPolicyState;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.Tag;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a role session may do: the policy engine over the session's effective permissions, with
 * AWS's logic. One evaluation serves the {@link Authorizer} (may this caller call this RPC?) and
 * token-service's {@code Authorize} (may this session do this, asked by another service).
 * <ul>
 * <li>Identity policies: the role's inline and attached policies, from the {@link PermissionView}.</li>
 * <li>Its permissions boundary, when it has one.</li>
 * <li>Session policies: the inline one the token carries ({@code session_policy}) and the managed
 * ones it names ({@code policy_arns}), each resolved from the view now.</li>
 * <li>The resource's policy and owning account, when the question names them (cross-account: both
 * the identity side and the resource policy must allow).</li>
 * <li>The context: what the question supplies, then what AWS derives from the session
 * ({@link PrincipalContextKeys}, {@code aws:CurrentTime}, {@code aws:EpochTime}), which wins. Keys
 * compare case-insensitively, as AWS condition keys do; a supplied key in the session's own
 * namespace ({@code aws:Principal*}, {@code aws:userid}, {@code aws:SourceIdentity},
 * {@code aws:TokenIssueTime}, {@code aws:MultiFactorAuth*}, ...) is dropped even when the session
 * derives no value for it, so that a caller cannot add a principal tag the session does not have.</li>
 * </ul>
 * Every doubt is a deny, never an error: a view that has not caught up, a role it does not hold, a
 * role deleted and created again under the same name (another RoleId), a session policy the token
 * records but does not carry or that does not parse, a managed session policy that no longer
 * exists. The reason says which, for logs and the audit trail only.
 */
@ApplicationScoped
public class SessionEvaluator {
    /** Caller-supplied keys starting with these (lower case) describe the principal: derived only. */
    private static final List<String> DERIVED_PREFIXES = List.of("aws:principal", "aws:multifactorauth");
    /** Further caller-supplied keys (lower case) that only the session or the clock may supply. */
    private static final Set<String> DERIVED_KEYS = Set.of("aws:userid", "aws:username", "aws:sourceidentity",
            "aws:tokenissuetime", "aws:currenttime", "aws:epochtime", "aws:federatedprovider", "aws:assumedroot",
            "sts:rolesessionname", "sts:sourceidentity");
    static final String INLINE_SESSION_POLICY = "session policy";

    private final PermissionView view;
    private final InstantSource clock;
    private final PolicyEvaluator evaluator = PolicyEvaluator.iam();
    /** Parsed managed session policies, by ARN and revision: large AWS-managed ones parse once. */
    private final Cache<String, Policy> managedSessionPolicies = Caffeine.newBuilder().maximumSize(1_000).build();

    @Inject
    public SessionEvaluator(PermissionView view, InstantSource clock) {
        this.view = view;
        this.clock = clock;
    }

    /**
     * A question about a session.
     *
     * @param context keys the asker supplies (the session's own are added, and win)
     * @param resourcePolicy the resource's policy, parsed as a resource policy; or null
     * @param resourceAccount 12 digits, or null: the account in the resource ARN, else the session's
     */
    public record Question(String action, String resource, RequestContext context, Policy resourcePolicy,
            String resourceAccount) {
        public Question {
            context = context == null ? RequestContext.empty() : context;
        }

        public static Question of(String action, String resource) {
            return new Question(action, resource, RequestContext.empty(), null, null);
        }
    }

    /**
     * The answer.
     *
     * @param outcome Allow, ExplicitDeny or ImplicitDeny (refusals that are not evaluations are implicit)
     * @param decision the engine's decision, when policies were evaluated
     * @param refusedBy for a denial: the kind of policy AWS's message names
     * @param reason why, for logs and the audit trail; never sent to the session's holder
     * @param decidingStatements the statements that decided, named as the contract names them
     */
    public record Evaluation(Outcome outcome, Optional<Decision> decision, PolicyKind refusedBy, String reason,
            List<DecidingStatement> decidingStatements) {
        public boolean allowed() {
            return outcome == Outcome.ALLOW;
        }

        static Evaluation refused(PolicyKind kind, String reason) {
            return new Evaluation(Outcome.IMPLICIT_DENY, Optional.empty(), kind, reason, List.of());
        }
    }

    /** The kinds of policy that can refuse, in the order AWS's message names them. */
    public enum PolicyKind {
        IDENTITY("identity-based policy", "an identity-based policy"),
        BOUNDARY("permissions boundary", "a permissions boundary"),
        SESSION("session policy", "a session policy"),
        RESOURCE("resource-based policy", "a resource-based policy");

        /** As in "because no <implicit> allows the <action> action". */
        public final String implicit;
        /** As in "with an explicit deny in <explicit>". */
        public final String explicit;

        PolicyKind(String implicit, String explicit) {
            this.implicit = implicit;
            this.explicit = explicit;
        }

        static PolicyKind of(PolicyType type) {
            return switch (type) {
                case BOUNDARY -> BOUNDARY;
                case SESSION -> SESSION;
                case RESOURCE -> RESOURCE;
                default -> IDENTITY;
            };
        }
    }

    /** Whether a caller-supplied context key belongs to what is derived from the session (and is dropped). */
    public static boolean isDerivedKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (DERIVED_KEYS.contains(k)) {
            return true;
        }
        for (String prefix : DERIVED_PREFIXES) {
            if (k.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a session brings to any evaluation: its role (as the view holds it), the role's identity
     * policies and boundary, and the session's own policies (the inline one its token carries and
     * its managed ones, as they are now); or, at the first doubt, the kind of policy that refuses
     * and why. Used for every RPC's authorization and for AssumeRole by a session (role chaining).
     */
    public record SessionPolicies(RoleState role, EffectivePermissions permissions, List<Policy> sessionPolicies,
            PolicyKind refusedBy, String refusal) {
        static SessionPolicies refused(PolicyKind kind, String why) {
            return new SessionPolicies(null, null, List.of(), kind, why);
        }

        public boolean refused() {
            return refusal != null;
        }
    }

    public SessionPolicies policiesOf(SessionClaims session) {
        if (!view.caughtUp()) {
            return SessionPolicies.refused(PolicyKind.IDENTITY, "the permission view has not caught up with the topic");
        }
        Optional<RoleState> role = view.role(session.roleArn());
        Optional<EffectivePermissions> permissions = view.permissionsOf(session.roleArn());
        if (role.isEmpty() || permissions.isEmpty()) {
            return SessionPolicies.refused(PolicyKind.IDENTITY, role.isEmpty()
                    ? "the session's role is not in the permission view (deleted, or never existed)"
                    : "the session's role has policies that do not parse");
        }
        // A role deleted and created again under the same name has another RoleId: the old role's
        // sessions must not inherit what the new role may do.
        if (!role.get().getRoleId().equals(session.roleId())) {
            return SessionPolicies.refused(PolicyKind.IDENTITY, "the session belongs to an earlier role of that name (RoleId "
                    + session.roleId() + ", now " + role.get().getRoleId() + ")");
        }
        List<Policy> sessionPolicies = new ArrayList<>();
        if (session.sessionPolicy() != null) {
            try {
                sessionPolicies.add(Policy.parse(session.sessionPolicy(), PolicyType.SESSION, INLINE_SESSION_POLICY));
            } catch (MalformedPolicyException e) {
                return SessionPolicies.refused(PolicyKind.SESSION,
                        "the session policy in the token does not parse: " + e.getMessage());
            }
        } else if (session.sessionPolicySha256() != null) {
            return SessionPolicies.refused(PolicyKind.SESSION, "the token records a session policy but does not carry it");
        }
        for (String arn : session.policyArns()) {
            Optional<Policy> p = managedSessionPolicy(arn);
            if (p.isEmpty()) {
                // AWS evaluates the session with the policy as it is now; one that is gone grants
                // nothing, and the session may do only what its other session policies allow.
                // Refusing outright is the closed side of that.
                return SessionPolicies.refused(PolicyKind.SESSION,
                        "the managed session policy " + arn + " no longer exists or does not parse");
            }
            sessionPolicies.add(p.get());
        }
        return new SessionPolicies(role.get(), permissions.get(), List.copyOf(sessionPolicies), null, null);
    }

    public Evaluation evaluate(SessionClaims session, Question q) {
        SessionPolicies mine = policiesOf(session);
        if (mine.refused()) {
            return Evaluation.refused(mine.refusedBy(), mine.refusal());
        }
        List<Policy> sessionPolicies = mine.sessionPolicies();
        EffectivePermissions p = mine.permissions();
        CallerIdentity caller = CallerIdentity.ofSession(session);
        EvaluationRequest.Builder request = EvaluationRequest.builder()
                .kind(RequestKind.AUTHORIZATION)
                .principal(session.assumedRoleArn())
                .action(q.action())
                .resource(q.resource())
                .resourceAccount(q.resourceAccount())
                .context(context(caller, mine.role(), q.context()))
                .identityPolicies(p.identityPolicies())
                .sessionPolicies(sessionPolicies);
        p.boundary().ifPresent(request::permissionsBoundary);
        if (q.resourcePolicy() != null) {
            request.resourcePolicy(q.resourcePolicy());
        }
        Decision decision = evaluator.evaluate(request.build());
        boolean explicit = decision.outcome() == Outcome.EXPLICIT_DENY;
        return new Evaluation(decision.outcome(), Optional.of(decision),
                decision.isAllowed() ? null : refusingKind(decision, explicit),
                decision.outcome().wireName() + ": " + decision.reason(), deciding(decision, mine.role()));
    }

    /**
     * The default document of a managed policy (customer-managed from the view, AWS-managed from the
     * catalogue) as a session policy, or empty when it is gone or broken. Parsed once per revision.
     */
    public Optional<Policy> managedSessionPolicy(String arn) {
        Optional<ManagedPolicyState> state = view.managedPolicy(arn);
        if (state.isEmpty()) {
            return Optional.empty();
        }
        ManagedPolicyState m = state.get();
        String key = m.getArn() + "\n" + m.getRevision() + "\n" + m.getDefaultVersionId();
        try {
            // A managed session policy counts by its ARN, not its document (AWS); the document was
            // checked against the managed-policy quota when it was stored, so only the grammar is
            // checked here.
            return Optional.of(managedSessionPolicies.get(key,
                    k -> Policy.parseAwsManaged(m.getDefaultDocument(), PolicyType.SESSION, m.getArn())));
        } catch (MalformedPolicyException e) {
            return Optional.empty();
        }
    }

    /** The asker's keys, then what AWS derives from the session (which replaces any same key, in any case). */
    private RequestContext context(CallerIdentity caller, RoleState role, RequestContext supplied) {
        RequestContext.Builder ctx = RequestContext.builder();
        supplied.asMap().forEach((key, values) -> {
            if (isDerivedKey(key)) {
                return;
            }
            if (supplied.isMultiValued(key)) {
                ctx.putMulti(key, values);
            } else {
                ctx.put(key, values.get(0));
            }
        });
        Map<String, String> roleTags = new LinkedHashMap<>();
        for (Tag t : role.getTagsList()) {
            roleTags.put(t.getKey(), t.getValue());
        }
        PrincipalContextKeys.put(ctx, caller, roleTags);
        Instant now = clock.instant();
        ctx.put("aws:CurrentTime", now.toString());
        ctx.put("aws:EpochTime", Long.toString(now.getEpochSecond()));
        return ctx.build();
    }

    /**
     * Explicit: the kind of the first matching Deny. Implicit: the first kind, in AWS's evaluation
     * order, without a matching Allow (identity; then the boundary, when there is one; then the
     * session policy, when there is one). A resource policy that allows on its own (same account)
     * is not what refused.
     */
    static PolicyKind refusingKind(Decision decision, boolean explicit) {
        Set<PolicyKind> present = EnumSet.noneOf(PolicyKind.class);
        Set<PolicyKind> allowing = EnumSet.noneOf(PolicyKind.class);
        for (TraceEntry t : decision.trace()) {
            PolicyKind k = PolicyKind.of(t.policyType());
            present.add(k);
            if (t.matched()) {
                if (explicit && t.effect() == Effect.DENY) {
                    return k;
                }
                if (t.effect() == Effect.ALLOW) {
                    allowing.add(k);
                }
            }
        }
        if (!allowing.contains(PolicyKind.IDENTITY)) {
            return PolicyKind.IDENTITY;
        }
        for (PolicyKind k : List.of(PolicyKind.BOUNDARY, PolicyKind.SESSION, PolicyKind.RESOURCE)) {
            if (present.contains(k) && !allowing.contains(k)) {
                return k;
            }
        }
        return PolicyKind.IDENTITY;
    }

    /**
     * The deciding statements, each with the kind of policy it was evaluated as (the trace knows;
     * the same managed policy can be both attached and the boundary), named as the contract names
     * policies.
     */
    private static List<DecidingStatement> deciding(Decision decision, RoleState role) {
        Set<DecidingStatement> out = new LinkedHashSet<>();
        for (StatementRef ref : decision.decidingStatements()) {
            for (TraceEntry t : decision.trace()) {
                if (t.matched() && t.statement().equals(ref)) {
                    out.add(new DecidingStatement(sourcePolicyId(t.policyType(), ref.policy(), role), t.policyType(),
                            ref.sid() != null && !ref.sid().isEmpty() ? ref.sid() : "#" + ref.index(), t.effect()));
                }
            }
        }
        return List.copyOf(out);
    }

    private static String sourcePolicyId(PolicyType type, String name, RoleState role) {
        return switch (type) {
            case BOUNDARY -> "boundary:" + name;
            case RESOURCE -> "ResourcePolicy";
            case SESSION -> INLINE_SESSION_POLICY.equals(name) ? "session" : name;
            default -> name != null && name.startsWith("arn:") ? name : "inline:" + role.getRoleName() + "/" + name;
        };
    }
}
