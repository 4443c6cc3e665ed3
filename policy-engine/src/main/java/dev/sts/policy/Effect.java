package dev.sts.policy;

/** A statement's {@code Effect}. */
public enum Effect {
    ALLOW("Allow"),
    DENY("Deny");

    private final String json;

    Effect(String json) {
        this.json = json;
    }

    /** As written in a policy. */
    public String json() {
        return json;
    }

    /** Parses the exact (case-sensitive) policy spelling; null otherwise. */
    static Effect fromJson(String s) {
        return switch (s) {
            case "Allow" -> ALLOW;
            case "Deny" -> DENY;
            default -> null;
        };
    }
}
