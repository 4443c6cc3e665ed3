package dev.sts.policy;

/**
 * What a policy document is attached to. The type decides which elements are required or
 * prohibited (IAM JSON policy grammar notes) and which size quota applies.
 */
public enum PolicyType {
    /** Attached to a user, group or role (managed or inline). No Principal; Resource required. */
    IDENTITY("an identity-based policy", PolicySize.ROLE_INLINE_POLICIES_TOTAL_MAX),
    /** Attached to a resource (bucket policy, key policy, ...). Principal and Resource required. */
    RESOURCE("a resource-based policy", 0),
    /** A role's trust policy: who may assume it. Principal required; Resource and NotPrincipal prohibited. */
    TRUST("a role trust policy", PolicySize.TRUST_POLICY_MAX),
    /** A session policy passed to AssumeRole* / GetFederationToken. Same grammar as identity policies. */
    SESSION("a session policy", PolicySize.SESSION_POLICY_MAX),
    /** A permissions boundary (always a managed policy). Same grammar as identity policies. */
    BOUNDARY("a permissions boundary", PolicySize.MANAGED_POLICY_MAX);

    private final String description;
    private final int maxSize;

    PolicyType(String description, int maxSize) {
        this.description = description;
        this.maxSize = maxSize;
    }

    /** For messages: "an identity-based policy", "a role trust policy", ... */
    public String description() {
        return description;
    }

    /**
     * The largest size (non-whitespace characters) one document of this type may have, or 0 when
     * this engine imposes none. IDENTITY uses the largest identity quota (a role's inline total);
     * callers enforce the tighter managed (6,144) and per-entity totals with {@link PolicySize}.
     */
    public int maxSize() {
        return maxSize;
    }

    /** Identity-style grammar: Principal/NotPrincipal prohibited, Resource required, no Id. */
    public boolean isIdentityStyle() {
        return this == IDENTITY || this == SESSION || this == BOUNDARY;
    }

    /** IAM-managed documents take only alphanumeric Sids; other services' resource policies are freer. */
    boolean alphanumericSid() {
        return this != RESOURCE;
    }
}
