package dev.sts.policy;

/** What is being decided. */
public enum RequestKind {
    /** An ordinary API call against a resource (the resource policy is optional). */
    AUTHORIZATION,
    /**
     * An {@code sts:AssumeRole*} call: the resource policy is the role's trust policy, which must
     * allow the caller even within the same account.
     */
    ASSUME_ROLE
}
