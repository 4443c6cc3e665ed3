package dev.sts.policy.condition;

/** The set operator prefix of a condition operator ({@code ForAllValues:} / {@code ForAnyValue:}). */
public enum SetQualifier {
    NONE(""),
    FOR_ALL_VALUES("ForAllValues:"),
    FOR_ANY_VALUE("ForAnyValue:");

    private final String prefix;

    SetQualifier(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }
}
