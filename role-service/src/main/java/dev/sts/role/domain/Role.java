package dev.sts.role.domain;

import java.time.Instant;
import java.util.List;

/** A role as the domain sees it. */
public record Role(String roleId, String accountId, String roleName, String path, String arn, String trustPolicy,
        String description, int maxSessionDuration, String permissionsBoundary, List<Tag> tags, long revision,
        Instant createdAt) {

    public record Tag(String key, String value) {
    }

    public Role {
        tags = List.copyOf(tags);
    }
}
