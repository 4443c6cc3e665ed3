package dev.sts.kit.auth;

import dev.sts.policy.Effect;
import dev.sts.policy.PolicyType;

/**
 * One statement behind a decision, named as the contract's {@code StatementRef} names it.
 *
 * @param sourcePolicyId a managed policy's ARN, {@code inline:<role>/<name>}, {@code session} (the
 *     inline session policy), {@code boundary:<arn>} or {@code ResourcePolicy}
 * @param type the kind of policy it is in
 * @param statementId the statement's Sid, or {@code #<index>} (0-based) when it has none
 * @param effect Allow or Deny
 */
public record DecidingStatement(String sourcePolicyId, PolicyType type, String statementId, Effect effect) {
}
