package dev.sts.policy;

import dev.sts.policy.condition.ConditionBlock;
import dev.sts.policy.condition.ConditionContext;

/**
 * One compiled statement. Immutable; evaluation allocates nothing unless a policy variable has to
 * be substituted.
 *
 * @param index      0-based position in the policy's Statement list
 * @param sid        the Sid, or null
 * @param effect     Allow or Deny
 * @param principal  Principal / NotPrincipal, or null (identity-style policies)
 * @param action     Action / NotAction
 * @param resource   Resource / NotResource, or null when absent (trust policies: the role itself)
 * @param conditions the Condition element (possibly empty)
 */
public record Statement(int index, String sid, Effect effect, PrincipalBlock principal, ActionBlock action,
                        ResourceBlock resource, ConditionBlock conditions) {

    /** Why a statement does not apply; {@code APPLIES} when it does. */
    public enum Result { APPLIES, ACTION_NOT_MATCHED, RESOURCE_NOT_MATCHED, PRINCIPAL_NOT_MATCHED, CONDITION_FAILED }

    boolean coversAction(String action) {
        return this.action.covers(action);
    }

    boolean coversResource(String resourceArn, ConditionContext ctx) {
        return resource == null || resource.covers(resourceArn, ctx);
    }
}
