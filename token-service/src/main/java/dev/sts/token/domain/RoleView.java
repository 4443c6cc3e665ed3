package dev.sts.token.domain;

import java.util.Map;

/**
 * What token-service needs of a role.
 *
 * @param tags the role's tags (its sessions' principal tags), when the source knows them
 */
public record RoleView(String arn, String roleId, String roleName, String accountId, String trustPolicy,
        int maxSessionDuration, Map<String, String> tags) {
    public RoleView {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public RoleView(String arn, String roleId, String roleName, String accountId, String trustPolicy,
            int maxSessionDuration) {
        this(arn, roleId, roleName, accountId, trustPolicy, maxSessionDuration, Map.of());
    }
}
