package dev.sts.policy.condition;

import dev.sts.policy.match.VariableSource;

/**
 * The compiled policy values of one condition key, in the positive sense of the operator: does
 * one request value match any of the policy values (values are ORed)? Negation, missing keys,
 * {@code IfExists} and the set qualifiers are applied around it by {@link ConditionClause}.
 */
public interface ValueMatcher {

    boolean matches(String requestValue, VariableSource variables);
}
