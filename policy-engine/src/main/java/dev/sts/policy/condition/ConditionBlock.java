package dev.sts.policy.condition;

import java.util.List;

/**
 * A statement's whole {@code Condition} element: every clause must hold (operators are ANDed,
 * keys within an operator are ANDed).
 */
public final class ConditionBlock {

    private static final ConditionBlock EMPTY = new ConditionBlock(List.of());

    private final ConditionClause[] clauses;

    private ConditionBlock(List<ConditionClause> clauses) {
        this.clauses = clauses.toArray(new ConditionClause[0]);
    }

    public static ConditionBlock of(List<ConditionClause> clauses) {
        return clauses.isEmpty() ? EMPTY : new ConditionBlock(clauses);
    }

    public static ConditionBlock empty() {
        return EMPTY;
    }

    public List<ConditionClause> clauses() {
        return List.of(clauses);
    }

    public boolean isEmpty() {
        return clauses.length == 0;
    }

    /** The index of the first clause that does not hold, or -1 when the whole block holds. */
    public int firstFailureIndex(ConditionContext ctx) {
        ConditionClause[] cs = clauses;
        for (int i = 0; i < cs.length; i++) {
            if (!cs[i].evaluate(ctx)) {
                return i;
            }
        }
        return -1;
    }

    /** The first clause that does not hold, or null when the whole block holds. */
    public ConditionClause firstFailure(ConditionContext ctx) {
        for (ConditionClause c : clauses) {
            if (!c.evaluate(ctx)) {
                return c;
            }
        }
        return null;
    }
}
