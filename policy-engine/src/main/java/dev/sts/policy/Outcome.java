package dev.sts.policy;

/** The result of an evaluation. */
public enum Outcome {
    /** At least one applicable allow, no explicit deny, every limiting policy agrees. */
    ALLOW("Allow"),
    /** A Deny statement in some policy applies: nothing can override it. */
    EXPLICIT_DENY("ExplicitDeny"),
    /** Nothing (or not enough) allows the request: the default. */
    IMPLICIT_DENY("ImplicitDeny");

    private final String wireName;

    Outcome(String wireName) {
        this.wireName = wireName;
    }

    /** "Allow", "ExplicitDeny", "ImplicitDeny" (the conformance-case and audit spelling). */
    public String wireName() {
        return wireName;
    }

    public boolean isAllowed() {
        return this == ALLOW;
    }
}
