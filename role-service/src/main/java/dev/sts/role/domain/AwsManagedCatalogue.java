package dev.sts.role.domain;

import java.util.List;
import java.util.Optional;

/**
 * The AWS-managed policies ({@code arn:<partition>:iam::aws:policy/...}): listed, attachable and
 * usable as boundary, never changed or deleted here. Their usage counts are zero in what this
 * returns; the store counts them.
 */
public interface AwsManagedCatalogue {
    /** Every AWS-managed policy, in ARN order, each with its one (default) version. */
    List<PolicyDetails> all();

    Optional<PolicyDetails> find(String policyArn);
}
