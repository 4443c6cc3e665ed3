package dev.sts.policy.match;

/** Where policy variables get their values: the request context. */
public interface VariableSource {

    /**
     * The single value of a context key ({@code lowerKey} is already lower case), or null when the
     * key is absent or multi-valued (a multi-valued key cannot be used as a policy variable).
     */
    String singleValue(String lowerKey);
}
