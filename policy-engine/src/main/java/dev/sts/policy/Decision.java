package dev.sts.policy;

import java.util.List;

/**
 * The answer: {@code Allow}, {@code ExplicitDeny} or {@code ImplicitDeny}; the statements that
 * decided it (the matching Deny statements, or the Allow statements that together granted); a
 * one-line reason; and the trace of every statement looked at (what matched, what did not and
 * why), for SimulatePrincipalPolicy and the audit trail.
 */
public record Decision(Outcome outcome, List<StatementRef> decidingStatements, String reason, List<TraceEntry> trace) {

    public Decision {
        decidingStatements = decidingStatements instanceof ImmutableRefs ? decidingStatements : List.copyOf(decidingStatements);
        // the evaluator's trace is built lazily and never modified after the decision is made
        trace = trace instanceof EvaluationTrace ? trace : List.copyOf(trace);
    }

    /** Marker for deciding-statement lists the evaluator builds and never changes again. */
    interface ImmutableRefs {
    }

    public boolean isAllowed() {
        return outcome == Outcome.ALLOW;
    }

    /** A multi-line human-readable account of the decision. */
    public String explain() {
        StringBuilder sb = new StringBuilder();
        sb.append(outcome.wireName()).append(": ").append(reason).append('\n');
        for (StatementRef r : decidingStatements) {
            sb.append("  decided by ").append(r).append('\n');
        }
        for (TraceEntry t : trace) {
            sb.append("  ").append(t).append('\n');
        }
        return sb.toString();
    }
}
