package dev.sts.token.domain;

import dev.sts.kit.auth.SessionClaims;
import dev.sts.policy.Decision;
import dev.sts.policy.EvaluationRequest;
import dev.sts.policy.MalformedPolicyException;
import dev.sts.policy.Outcome;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicyEvaluator;
import dev.sts.policy.PolicyType;
import dev.sts.policy.RequestContext;
import dev.sts.policy.RequestKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The identity side of role chaining for a session that carries a session policy. AWS's policy
 * evaluation logic: a session's effective permissions are the intersection of its role's
 * identity-based policies and its session policy ("Session policies limit permissions for a
 * created session, but do not grant permissions",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session and
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 * So the session policy must allow {@code sts:AssumeRole} on the target role, plus
 * {@code sts:TagSession} when tags are passed and {@code sts:SetSourceIdentity} when a source
 * identity is passed (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_permissions-required,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html).
 *
 * <p>Only the session-policy half is evaluated today: roles have no permission policies yet. The
 * identity-policy half joins when the permission view (role policies from role events) exists;
 * until then a session without a session policy is limited by its role's trust relationships only.
 */
@ApplicationScoped
public class SessionPolicyCheck {
    private final PolicyEvaluator evaluator = PolicyEvaluator.iam();

    /**
     * Allowed when the caller is not a session, or its session carries no session policy, or its
     * session policy allows every action the request needs. A session whose token records a
     * session-policy hash but not the policy (issued before tokens carried it) is refused: the
     * policy cannot be enforced, so the session may not chain.
     */
    Decision evaluate(AssumeRoleContext r) {
        if (!r.caller().isSession()) {
            return allow();
        }
        SessionClaims session = r.caller().session();
        if (session.sessionPolicy() == null) {
            return session.sessionPolicySha256() == null ? allow()
                    : deny("the calling session's token does not carry its session policy");
        }
        Policy policy;
        try {
            policy = Policy.parse(session.sessionPolicy(), PolicyType.SESSION, "session");
        } catch (MalformedPolicyException e) {
            return deny("the calling session's session policy does not parse: " + e.getMessage());
        }
        RequestContext context = r.build();
        List<String> actions = new ArrayList<>(List.of("sts:AssumeRole"));
        if (!r.tags().isEmpty() || !r.transitiveTagKeys().isEmpty()) {
            actions.add("sts:TagSession");
        }
        if (r.sourceIdentity() != null) {
            actions.add("sts:SetSourceIdentity");
        }
        Decision last = null;
        for (String action : actions) {
            // The session policy stands in for the whole identity side until roles have
            // permission policies (see the class comment).
            last = evaluator.evaluate(EvaluationRequest.builder()
                    .kind(RequestKind.AUTHORIZATION)
                    .principal(r.caller().arn())
                    .action(action)
                    .resource(r.roleArn())
                    .resourceAccount(r.roleAccount())
                    .context(context)
                    .identityPolicy(policy)
                    .build());
            if (!last.isAllowed()) {
                return new Decision(last.outcome(), last.decidingStatements(), action + ": " + last.reason(), List.of());
            }
        }
        return last;
    }

    private static Decision allow() {
        return new Decision(Outcome.ALLOW, List.of(), "no session policy", List.of());
    }

    private static Decision deny(String reason) {
        return new Decision(Outcome.IMPLICIT_DENY, List.of(), reason, List.of());
    }
}
