package dev.sts.role.domain;

/** Where a managed policy is used: attached to roles, or as their permissions boundary. */
public record PolicyUsage(int attachments, int boundaries) {
    public static final PolicyUsage NONE = new PolicyUsage(0, 0);
}
