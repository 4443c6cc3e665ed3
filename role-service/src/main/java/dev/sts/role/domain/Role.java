package dev.sts.role.domain;

import java.time.Instant;
import java.util.List;

/** A role as the domain sees it. {@code permissionsBoundary} is the boundary policy's ARN, or null. */
public record Role(String roleId, String accountId, String roleName, String path, String arn, String trustPolicy,
        String description, int maxSessionDuration, String permissionsBoundary, List<Tag> tags, long revision,
        Instant createdAt) {

    public record Tag(String key, String value) {
        public Tag {
            value = value == null ? "" : value;
        }
    }

    public Role {
        tags = List.copyOf(tags);
    }

    public Role withTrustPolicy(String document) {
        return new Role(roleId, accountId, roleName, path, arn, document, description, maxSessionDuration,
                permissionsBoundary, tags, revision, createdAt);
    }

    public Role withDescription(String text) {
        return new Role(roleId, accountId, roleName, path, arn, trustPolicy, text, maxSessionDuration,
                permissionsBoundary, tags, revision, createdAt);
    }

    public Role withMaxSessionDuration(int seconds) {
        return new Role(roleId, accountId, roleName, path, arn, trustPolicy, description, seconds,
                permissionsBoundary, tags, revision, createdAt);
    }

    public Role withPermissionsBoundary(String policyArn) {
        return new Role(roleId, accountId, roleName, path, arn, trustPolicy, description, maxSessionDuration,
                policyArn, tags, revision, createdAt);
    }

    public Role withTags(List<Tag> newTags) {
        return new Role(roleId, accountId, roleName, path, arn, trustPolicy, description, maxSessionDuration,
                permissionsBoundary, newTags, revision, createdAt);
    }

    public Role withRevision(long newRevision) {
        return new Role(roleId, accountId, roleName, path, arn, trustPolicy, description, maxSessionDuration,
                permissionsBoundary, tags, newRevision, createdAt);
    }
}
