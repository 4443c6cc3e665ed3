package dev.sts.role.domain;

import java.time.Instant;
import java.util.List;

/**
 * A managed policy's metadata. Customer-managed policies live in this service's database;
 * AWS-managed ones ({@code accountId} "aws") come from the catalogue every service ships.
 *
 * @param defaultVersion the number of the default version ("v3" is 3)
 * @param nextVersion the number the next version gets; version numbers are never reused
 * @param revision increases with every change of the policy or its versions
 */
public record ManagedPolicy(String policyId, String accountId, String policyName, String path, String arn,
        String description, int defaultVersion, int nextVersion, List<Role.Tag> tags, long revision,
        Instant createdAt, Instant updatedAt) {

    public ManagedPolicy {
        tags = List.copyOf(tags);
    }

    public String defaultVersionId() {
        return PolicyVersion.id(defaultVersion);
    }

    public ManagedPolicy withVersions(int newDefault, int newNext, long newRevision, Instant at) {
        return new ManagedPolicy(policyId, accountId, policyName, path, arn, description, newDefault, newNext, tags,
                newRevision, createdAt, at);
    }
}
