package dev.sts.role.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A managed policy with its versions and where it is used.
 *
 * @param versions newest first
 * @param attachmentCount roles the policy is attached to
 * @param boundaryUsageCount roles that use it as permissions boundary
 * @param awsManaged whether it is an AWS-managed policy of the catalogue (never changed here)
 */
public record PolicyDetails(ManagedPolicy policy, List<PolicyVersion> versions, int attachmentCount,
        int boundaryUsageCount, boolean awsManaged) {

    public PolicyDetails {
        versions = versions.stream().sorted(Comparator.comparingInt(PolicyVersion::number).reversed()).toList();
    }

    public PolicyVersion defaultVersion() {
        return version(policy.defaultVersion()).orElseThrow(
                () -> new IllegalStateException("policy " + policy.arn() + " has no default version"));
    }

    public Optional<PolicyVersion> version(int number) {
        return versions.stream().filter(v -> v.number() == number).findFirst();
    }

    public PolicyDetails withUsage(int attachments, int boundaries) {
        return new PolicyDetails(policy, versions, attachments, boundaries, awsManaged);
    }
}
