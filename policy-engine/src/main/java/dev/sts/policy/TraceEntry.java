package dev.sts.policy;

import dev.sts.policy.condition.ConditionClause;
import dev.sts.policy.condition.ConditionContext;

/**
 * What happened to one statement during an evaluation. The human-readable {@link #detail()} is
 * built on demand, so tracing costs almost nothing when nobody reads it.
 */
public final class TraceEntry {

    private final StatementRef statement;
    private final PolicyType policyType;
    private final Effect effect;
    private final Statement.Result result;
    private final ConditionClause failedCondition;
    private final ConditionContext context;
    private final String note;
    private String detail;

    TraceEntry(StatementRef statement, PolicyType policyType, Effect effect, Statement.Result result,
               ConditionClause failedCondition, ConditionContext context, String note) {
        this.statement = statement;
        this.policyType = policyType;
        this.effect = effect;
        this.result = result;
        this.failedCondition = failedCondition;
        this.context = context;
        this.note = note;
    }

    public StatementRef statement() {
        return statement;
    }

    public PolicyType policyType() {
        return policyType;
    }

    public Effect effect() {
        return effect;
    }

    /** {@code APPLIES} when the statement matched the request; otherwise the first mismatch. */
    public Statement.Result result() {
        return result;
    }

    public boolean matched() {
        return result == Statement.Result.APPLIES;
    }

    /** Why: e.g. "condition StringEquals aws:PrincipalTag/env: request value ["prod"] matches none of ["dev"]". */
    public String detail() {
        String d = detail;
        if (d == null) {
            d = switch (result) {
                case APPLIES -> "matched" + (note != null ? " (" + note + ")" : "");
                case ACTION_NOT_MATCHED -> "action not matched";
                case RESOURCE_NOT_MATCHED -> "resource not matched";
                case PRINCIPAL_NOT_MATCHED -> note != null ? note : "principal not matched";
                case CONDITION_FAILED -> "condition " + failedCondition.explainFailure(context);
            };
            detail = d;
        }
        return d;
    }

    @Override
    public String toString() {
        return statement + " [" + effect.json() + "] " + detail();
    }
}
