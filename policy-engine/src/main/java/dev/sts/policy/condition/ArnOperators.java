package dev.sts.policy.condition;

import dev.sts.policy.match.ArnPattern;
import dev.sts.policy.match.Template;
import java.util.List;

/**
 * {@code ArnEquals}, {@code ArnLike} (identical), {@code ArnNotEquals}, {@code ArnNotLike}:
 * case-sensitive, each of the six colon-delimited ARN fields matched separately, wildcards
 * allowed in each. Policy variables are substituted.
 */
final class ArnOperators {

    private ArnOperators() {
    }

    static ValueMatcher compile(List<Template> values) {
        Object[] compiled = new Object[values.size()];
        for (int i = 0; i < compiled.length; i++) {
            Template t = values.get(i);
            Template.Resolved r = t.staticResolved();
            compiled[i] = r == null ? t : ArnPattern.fromParts(r.text(), r.literal());
        }
        return (value, vars) -> {
            for (Object c : compiled) {
                ArnPattern p;
                if (c instanceof ArnPattern ap) {
                    p = ap;
                } else {
                    Template.Resolved r = ((Template) c).resolve(vars);
                    if (r == null) {
                        continue;
                    }
                    p = ArnPattern.fromParts(r.text(), r.literal());
                }
                if (p.matches(value)) {
                    return true;
                }
            }
            return false;
        };
    }
}
