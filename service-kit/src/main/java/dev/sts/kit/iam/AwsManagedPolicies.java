package dev.sts.kit.iam;

import dev.sts.proto.v1.ManagedPolicyState;
import java.util.List;
import java.util.Optional;

/**
 * The AWS-managed policies every service ships as data ({@code arn:aws:iam::aws:policy/...}),
 * with AWS's documents: listed and attachable in role-service, never editable or deletable, and
 * resolved by the permission view without the topic.
 *
 * <p>Placeholder of the seam: the catalogue (resources under {@code dev/sts/kit/iam/aws-managed/})
 * is filled in by the permission-view work.
 */
public final class AwsManagedPolicies {
    /** The account part of every AWS-managed policy ARN. */
    public static final String AWS_ACCOUNT = "aws";

    private AwsManagedPolicies() {
    }

    /** Every AWS-managed policy of the catalogue, in ARN order. */
    public static List<ManagedPolicyState> all() {
        return List.of();
    }

    /** The AWS-managed policy with this ARN, if the catalogue has it. */
    public static Optional<ManagedPolicyState> find(String policyArn) {
        return all().stream().filter(p -> p.getArn().equals(policyArn)).findFirst();
    }

    /** Whether the ARN names an AWS-managed policy (of any partition), whether or not it is in the catalogue. */
    public static boolean isAwsManaged(String policyArn) {
        return policyArn != null && policyArn.matches("arn:[a-z-]+:iam::aws:policy/.*");
    }
}
