package dev.sts.role.domain;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;

/**
 * The authorizer refused the call: {@code AccessDenied} with the authorizer's message, plus the
 * action and resource it was refused on, so that the refusal can be audited.
 */
public final class Denied extends StsException {
    private final String action;
    private final String resourceArn;

    Denied(StsException refusal, String action, String resourceArn) {
        super(ErrorCode.ACCESS_DENIED, refusal.getMessage(), refusal.field(), refusal.metadata(), null);
        this.action = action;
        this.resourceArn = resourceArn;
    }

    /**
     * The refusal of a change of an AWS-managed policy, whoever asks: such a policy belongs to
     * AWS ("You cannot change the permissions defined in AWS managed policies"), so, as for a
     * resource of another account, no identity here may change it.
     */
    static Denied awsManaged(Call call, String action, String policyArn) {
        return new Denied(StsException.accessDenied("User: " + call.caller().arn() + " is not authorized to perform: "
                + action + " on resource: policy " + policyArn + " because AWS-managed policies cannot be changed"),
                action, policyArn);
    }

    public String action() {
        return action;
    }

    public String resourceArn() {
        return resourceArn;
    }
}
