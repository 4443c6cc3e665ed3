package dev.sts.token.domain;

/** What token-service needs of a role. */
public record RoleView(String arn, String roleId, String roleName, String accountId, String trustPolicy,
        int maxSessionDuration) {
}
