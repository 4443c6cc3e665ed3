package dev.sts.token.domain;

import dev.sts.policy.Decision;
import dev.sts.policy.EvaluationRequest;
import dev.sts.policy.MalformedPolicyException;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicyEvaluator;
import dev.sts.policy.PolicyType;
import dev.sts.policy.RequestKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Evaluates a role's trust policy for an AssumeRole request with the policy engine, against the
 * request context AWS would build ({@link AssumeRoleContext}).
 */
@ApplicationScoped
public class TrustCheck {
    private final PolicyEvaluator evaluator = PolicyEvaluator.iam();

    Decision evaluate(AssumeRoleContext r, String trustPolicy) {
        Policy trust;
        try {
            trust = Policy.parse(trustPolicy, PolicyType.TRUST, "trust:" + r.roleArn());
        } catch (MalformedPolicyException e) {
            // A stored trust policy that no longer parses trusts nobody.
            return new Decision(dev.sts.policy.Outcome.IMPLICIT_DENY, List.of(),
                    "the role's trust policy is malformed: " + e.getMessage(), List.of());
        }
        EvaluationRequest request = EvaluationRequest.builder()
                .kind(RequestKind.ASSUME_ROLE)
                .principal(r.caller().arn())
                .action("sts:AssumeRole")
                .resource(r.roleArn())
                .resourceAccount(r.roleAccount())
                .context(r.build())
                .resourcePolicy(trust)
                .build();
        return evaluator.evaluate(request);
    }
}
