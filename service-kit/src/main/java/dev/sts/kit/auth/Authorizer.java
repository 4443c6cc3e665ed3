package dev.sts.kit.auth;

import dev.sts.kit.config.StsConfig;
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
import dev.sts.policy.TraceEntry;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.Tag;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a caller may perform an action on a resource, and refuses with AWS's
 * {@code AccessDenied} message otherwise.
 * <ul>
 * <li>Bootstrap principals may do everything (they are the account root's equivalent).</li>
 * <li>The system's own services (static credentials listed in {@code sts.auth.internal-principals})
 * may read roles of this account, {@code iam:Get*} / {@code iam:List*} on a role ARN, and nothing
 * else.</li>
 * <li>A role session may do what its session's effective permissions allow, evaluated by the policy
 * engine with AWS's logic: the role's inline and attached policies, within its permissions boundary
 * and its session policy, from the {@link PermissionView} (no call to role-service). The session is
 * the principal; the context carries the keys AWS derives from it.</li>
 * <li>Anyone else is refused.</li>
 * </ul>
 * Every doubt denies: a view that has not caught up with the topic, a role it does not hold, a role
 * deleted and created again under the same name (another RoleId), a session policy the token
 * records but does not carry or that does not parse.
 *
 * <p>The message is AWS's ("Troubleshooting access denied error messages", IAM User Guide):
 * {@code User: <caller ARN> is not authorized to perform: <action> on resource: <resource>}
 * followed by {@code because no <policy type> allows the <action> action} for an implicit deny or
 * {@code with an explicit deny in <a policy type>} for an explicit one, where the policy type is
 * "identity-based policy", "permissions boundary" or "session policy" (AWS prints "sessions policy"
 * in one example of that page; this uses the singular of its other examples). When several types
 * refuse, AWS names one; so does this, in the order identity, boundary, session. Refusals that are
 * not evaluations (an unknown role, a view not caught up) read as "no identity-based policy
 * allows", so that a caller cannot tell them apart from an ordinary denial; the real reason is in
 * the {@link AccessDeniedException}.
 */
@ApplicationScoped
public class Authorizer {
    private final Set<String> internal;
    private final String rolePrefix;
    private final PermissionView view;
    private final InstantSource clock;
    private final PolicyEvaluator evaluator = PolicyEvaluator.iam();

    @Inject
    public Authorizer(StsConfig config, PermissionView view, InstantSource clock) {
        this.internal = Set.copyOf(config.auth().internalPrincipals().orElse(List.of()));
        this.rolePrefix = "arn:" + config.partition() + ":iam::" + config.accountId() + ":role/";
        this.view = view;
        this.clock = clock;
    }

    /**
     * Returns when the caller may perform {@code action} on {@code resource}.
     *
     * @throws AccessDeniedException ({@code AccessDenied}, PERMISSION_DENIED) otherwise
     */
    public void require(CallerIdentity caller, String action, String resource) {
        if (caller.bootstrap()) {
            return;
        }
        if (caller.isSession()) {
            requireForSession(caller, action, resource);
            return;
        }
        if (internal.contains(caller.arn()) && isRoleRead(action, resource)) {
            return;
        }
        throw denied(caller, action, resource, Kind.IDENTITY, false,
                "no policy applies to " + caller.type() + " callers that are neither bootstrap nor internal", null);
    }

    private void requireForSession(CallerIdentity caller, String action, String resource) {
        SessionClaims session = caller.session();
        if (!view.caughtUp()) {
            throw denied(caller, action, resource, Kind.IDENTITY, false,
                    "the permission view has not caught up with the topic", null);
        }
        Optional<RoleState> role = view.role(session.roleArn());
        Optional<EffectivePermissions> permissions = view.permissionsOf(session.roleArn());
        if (role.isEmpty() || permissions.isEmpty()) {
            throw denied(caller, action, resource, Kind.IDENTITY, false, role.isEmpty()
                    ? "the session's role is not in the permission view (deleted, or never existed)"
                    : "the session's role has policies that do not parse", null);
        }
        // A role deleted and created again under the same name has another RoleId: the old role's
        // sessions must not inherit what the new role may do.
        if (!role.get().getRoleId().equals(session.roleId())) {
            throw denied(caller, action, resource, Kind.IDENTITY, false,
                    "the session belongs to an earlier role of that name (RoleId " + session.roleId() + ", now "
                            + role.get().getRoleId() + ")", null);
        }
        Policy sessionPolicy = null;
        if (session.sessionPolicy() != null) {
            try {
                sessionPolicy = Policy.parse(session.sessionPolicy(), PolicyType.SESSION, "session policy");
            } catch (MalformedPolicyException e) {
                throw denied(caller, action, resource, Kind.SESSION, false,
                        "the session policy in the token does not parse: " + e.getMessage(), null);
            }
        } else if (session.sessionPolicySha256() != null) {
            throw denied(caller, action, resource, Kind.SESSION, false,
                    "the token records a session policy but does not carry it", null);
        }
        EffectivePermissions p = permissions.get();
        EvaluationRequest.Builder request = EvaluationRequest.builder()
                .principal(caller.arn())
                .action(action)
                .resource(resource)
                .context(context(caller, role.get()))
                .identityPolicies(p.identityPolicies());
        p.boundary().ifPresent(request::permissionsBoundary);
        if (sessionPolicy != null) {
            request.sessionPolicy(sessionPolicy);
        }
        Decision decision = evaluator.evaluate(request.build());
        if (decision.isAllowed()) {
            return;
        }
        boolean explicit = decision.outcome() == Outcome.EXPLICIT_DENY;
        throw denied(caller, action, resource, refusingKind(decision, explicit), explicit,
                decision.outcome().wireName() + ": " + decision.reason(), decision);
    }

    /** The request context AWS builds for a call by this session. */
    private RequestContext context(CallerIdentity caller, RoleState role) {
        RequestContext.Builder ctx = RequestContext.builder();
        Map<String, String> roleTags = new LinkedHashMap<>();
        for (Tag t : role.getTagsList()) {
            roleTags.put(t.getKey(), t.getValue());
        }
        PrincipalContextKeys.put(ctx, caller, roleTags);
        Instant now = clock.instant();
        ctx.put("aws:CurrentTime", now.toString());
        ctx.put("aws:EpochTime", Long.toString(now.getEpochSecond()));
        dev.sts.kit.grpc.RequestContext call = dev.sts.kit.grpc.RequestContext.current();
        if (call.sourceIp() != null && !call.sourceIp().isEmpty()) {
            ctx.put("aws:SourceIp", call.sourceIp());
        }
        call.secureTransport().ifPresent(tls -> ctx.put("aws:SecureTransport", Boolean.toString(tls)));
        return ctx.build();
    }

    /** The kinds of policy that can refuse, in the order AWS's message names them. */
    enum Kind {
        IDENTITY("identity-based policy", "an identity-based policy"),
        BOUNDARY("permissions boundary", "a permissions boundary"),
        SESSION("session policy", "a session policy");

        final String implicit;
        final String explicit;

        Kind(String implicit, String explicit) {
            this.implicit = implicit;
            this.explicit = explicit;
        }

        static Kind of(PolicyType type) {
            return switch (type) {
                case BOUNDARY -> BOUNDARY;
                case SESSION -> SESSION;
                default -> IDENTITY;
            };
        }
    }

    /**
     * Explicit: the kind of the first matching Deny. Implicit: the first kind, in AWS's evaluation
     * order, without a matching Allow (identity; then the boundary, when there is one; then the
     * session policy, when there is one).
     */
    static Kind refusingKind(Decision decision, boolean explicit) {
        Set<Kind> present = EnumSet.noneOf(Kind.class);
        Set<Kind> allowing = EnumSet.noneOf(Kind.class);
        for (TraceEntry t : decision.trace()) {
            Kind k = Kind.of(t.policyType());
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
        if (!allowing.contains(Kind.IDENTITY)) {
            return Kind.IDENTITY;
        }
        for (Kind k : List.of(Kind.BOUNDARY, Kind.SESSION)) {
            if (present.contains(k) && !allowing.contains(k)) {
                return k;
            }
        }
        return Kind.IDENTITY;
    }

    static String message(String callerArn, String action, String resource, Kind kind, boolean explicit) {
        String base = "User: " + callerArn + " is not authorized to perform: " + action + " on resource: " + resource;
        return explicit ? base + " with an explicit deny in " + kind.explicit
                : base + " because no " + kind.implicit + " allows the " + action + " action";
    }

    private static AccessDeniedException denied(CallerIdentity caller, String action, String resource, Kind kind,
            boolean explicit, String reason, Decision decision) {
        return new AccessDeniedException(message(caller.arn(), action, resource, kind, explicit), reason, decision);
    }

    /** {@code iam:Get*} or {@code iam:List*} (actions are case-insensitive in IAM) on a role of this account. */
    private boolean isRoleRead(String action, String resource) {
        String a = action.toLowerCase(Locale.ROOT);
        boolean read = a.startsWith("iam:get") || a.startsWith("iam:list");
        return read && resource != null && resource.startsWith(rolePrefix) && resource.length() > rolePrefix.length();
    }
}
