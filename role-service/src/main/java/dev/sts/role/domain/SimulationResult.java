package dev.sts.role.domain;

import dev.sts.policy.Effect;
import dev.sts.policy.Outcome;
import dev.sts.policy.PolicyType;
import java.util.List;

/**
 * The decision for one action on one resource, with what AWS's {@code EvaluationResult} reports
 * about it.
 *
 * @param actionName the action
 * @param resourceName the resource ARN, or {@code "*"}
 * @param decision allowed, explicit deny or implicit deny
 * @param matchedStatements the statements that decided: every applicable Deny for an explicit deny,
 *     the Allows that granted for an allow, none for an implicit deny (AWS: "if only one statement
 *     denies that operation ... the deny statement is the only entry included in the result")
 * @param missingContextValues condition keys that statements applying to this action and resource
 *     test but the request did not supply, each once, in evaluation order
 * @param trace why: the reason, then each statement whose action and resource matched
 */
public record SimulationResult(String actionName, String resourceName, Outcome decision,
        List<MatchedStatement> matchedStatements, List<String> missingContextValues, List<String> trace) {

    public SimulationResult {
        matchedStatements = List.copyOf(matchedStatements);
        missingContextValues = List.copyOf(missingContextValues);
        trace = List.copyOf(trace);
    }

    /**
     * A deciding statement, as AWS's {@code Statement} in {@code MatchedStatements}.
     *
     * @param sourcePolicyId which policy: a managed policy's ARN, {@code inline:<role>/<name>},
     *     {@code boundary:<arn>}, {@code PolicyInputList.<n>},
     *     {@code PermissionsBoundaryPolicyInputList.<n>} or {@code ResourcePolicy}
     * @param sourcePolicyType IDENTITY, BOUNDARY or RESOURCE
     * @param statementId the statement's Sid, or {@code #<index>} (0-based) when it has none
     * @param effect Allow or Deny
     */
    public record MatchedStatement(String sourcePolicyId, PolicyType sourcePolicyType, String statementId,
            Effect effect) {
    }
}
