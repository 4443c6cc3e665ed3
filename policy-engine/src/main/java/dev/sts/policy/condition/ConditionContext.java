package dev.sts.policy.condition;

import dev.sts.policy.match.VariableSource;
import java.util.List;

/** The request context as conditions see it: case-insensitive keys, one or many values. */
public interface ConditionContext extends VariableSource {

    /** The values of a key ({@code lowerKey} already lower case), or null when it is absent. */
    List<String> values(String lowerKey);
}
