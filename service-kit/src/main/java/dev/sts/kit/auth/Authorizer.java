package dev.sts.kit.auth;

import dev.sts.kit.auth.SessionEvaluator.PolicyKind;
import dev.sts.kit.config.StsConfig;
import dev.sts.kit.iam.PermissionView;
import dev.sts.policy.Decision;
import dev.sts.policy.Outcome;
import dev.sts.policy.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a caller may perform an action on a resource, and refuses with AWS's
 * {@code AccessDenied} message otherwise.
 * <ul>
 * <li>Bootstrap principals may do everything (they are the account root's equivalent).</li>
 * <li>The system's own services (static credentials listed in {@code sts.auth.internal-principals})
 * may read roles of this account, {@code iam:Get*} / {@code iam:List*} on a role ARN, and nothing
 * else.</li>
 * <li>A role session may do what its session's effective permissions allow, evaluated by the
 * {@link SessionEvaluator} (the same evaluation token-service's Authorize answers with): the role's
 * inline and attached policies, within its permissions boundary and its session policies, from the
 * {@link PermissionView} (no call to role-service). The session is the principal; the context
 * carries the keys AWS derives from it and, from the call, {@code aws:SourceIp} and
 * {@code aws:SecureTransport}.</li>
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
    private final SessionEvaluator sessions;

    @Inject
    public Authorizer(StsConfig config, SessionEvaluator sessions) {
        this.internal = Set.copyOf(config.auth().internalPrincipals().orElse(List.of()));
        this.rolePrefix = "arn:" + config.partition() + ":iam::" + config.accountId() + ":role/";
        this.sessions = sessions;
    }

    /** With a {@link SessionEvaluator} over this view and clock (unit tests). */
    public Authorizer(StsConfig config, PermissionView view, InstantSource clock) {
        this(config, new SessionEvaluator(view, clock));
    }

    /**
     * Returns when the caller may perform {@code action} on {@code resource}.
     *
     * @throws AccessDeniedException ({@code AccessDenied}, PERMISSION_DENIED) otherwise
     */
    public void require(CallerIdentity caller, String action, String resource) {
        require(caller, action, resource, dev.sts.kit.grpc.RequestContext.current());
    }

    /**
     * As {@link #require(CallerIdentity, String, String)}, with the facts of the call (source
     * address, TLS) given rather than read from the gRPC context: for calls that did not arrive as
     * gRPC (the AWS Query APIs) and for use cases that continue on another thread.
     */
    public void require(CallerIdentity caller, String action, String resource, dev.sts.kit.grpc.RequestContext call) {
        if (caller.bootstrap()) {
            return;
        }
        if (caller.isSession()) {
            requireForSession(caller, action, resource, call);
            return;
        }
        if (internal.contains(caller.arn()) && isRoleRead(action, resource)) {
            return;
        }
        throw denied(caller, action, resource, PolicyKind.IDENTITY, false,
                "no policy applies to " + caller.type() + " callers that are neither bootstrap nor internal", null);
    }

    private void requireForSession(CallerIdentity caller, String action, String resource,
            dev.sts.kit.grpc.RequestContext call) {
        SessionEvaluator.Evaluation e = sessions.evaluate(caller.session(),
                new SessionEvaluator.Question(action, resource, callContext(call), null, null));
        if (e.allowed()) {
            return;
        }
        throw denied(caller, action, resource, e.refusedBy(), e.outcome() == Outcome.EXPLICIT_DENY, e.reason(),
                e.decision().orElse(null));
    }

    /** What AWS takes from the call itself: the address it came from and whether it used TLS. */
    private static RequestContext callContext(dev.sts.kit.grpc.RequestContext call) {
        RequestContext.Builder ctx = RequestContext.builder();
        if (call.sourceIp() != null && !call.sourceIp().isEmpty()) {
            ctx.put("aws:SourceIp", call.sourceIp());
        }
        call.secureTransport().ifPresent(tls -> ctx.put("aws:SecureTransport", Boolean.toString(tls)));
        return ctx.build();
    }

    static String message(String callerArn, String action, String resource, PolicyKind kind, boolean explicit) {
        String base = "User: " + callerArn + " is not authorized to perform: " + action + " on resource: " + resource;
        return explicit ? base + " with an explicit deny in " + kind.explicit
                : base + " because no " + kind.implicit + " allows the " + action + " action";
    }

    private static AccessDeniedException denied(CallerIdentity caller, String action, String resource, PolicyKind kind,
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
