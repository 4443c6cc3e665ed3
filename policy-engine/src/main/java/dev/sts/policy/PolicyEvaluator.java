package dev.sts.policy;

/**
 * The one evaluator interface: a request (who, what action, which resource, context, the
 * policies in force) in, a {@link Decision} out. Implementations are stateless and thread-safe.
 */
public interface PolicyEvaluator {

    Decision evaluate(EvaluationRequest request);

    /** The AWS IAM evaluation logic (see {@link IamPolicyEvaluator}). */
    static PolicyEvaluator iam() {
        return IamPolicyEvaluator.INSTANCE;
    }
}
