package dev.sts.token.domain;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.policy.Decision;
import dev.sts.policy.PolicyType;
import dev.sts.policy.StatementRef;
import dev.sts.policy.TraceEntry;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;

/**
 * Port: records every AssumeRole decision durably. The returned {@link Uni} completes only once
 * the record is stored (the events adapter waits for the broker's acknowledgement), so the domain
 * answers no caller whose decision is not on record, and fails closed otherwise.
 */
public interface DecisionLog {

    /** Which kind of policy a statement belongs to, as the audit trail's {@code source_policy_type}. */
    enum PolicySource {
        TRUST("the role's trust policy"),
        IDENTITY("the caller's identity-based policies"),
        BOUNDARY("the caller's permissions boundary"),
        SESSION("the calling session's session policy");

        private final String label;

        PolicySource(String label) {
            this.label = label;
        }

        /** How the audit trail's reason names it. */
        public String label() {
            return label;
        }

        static PolicySource of(PolicyType type) {
            return switch (type) {
                case TRUST, RESOURCE -> TRUST;
                case BOUNDARY -> BOUNDARY;
                case SESSION -> SESSION;
                case IDENTITY -> IDENTITY;
            };
        }
    }

    /** A statement that decided, with the kind of policy it is in. */
    record Deciding(StatementRef statement, PolicySource source) {
        /** The decision's deciding statements, each typed by the evaluation's trace. */
        static List<Deciding> of(Decision decision) {
            List<Deciding> out = new ArrayList<>(decision.decidingStatements().size());
            for (StatementRef ref : decision.decidingStatements()) {
                PolicySource source = PolicySource.TRUST;
                for (TraceEntry t : decision.trace()) {
                    if (t.statement().equals(ref)) {
                        source = PolicySource.of(t.policyType());
                        break;
                    }
                }
                out.add(new Deciding(ref, source));
            }
            return List.copyOf(out);
        }
    }

    /** A session was issued; {@code deciding} are the statements that allowed it. */
    record Issuance(CallerIdentity caller, CallContext call, AssumeRoleService.Command request, SignedSession session,
            List<Deciding> deciding) {
    }

    /**
     * A request was refused. {@code errorMessage} is what the caller was told; {@code reason} is
     * the real reason, for the audit trail only.
     */
    record Denial(CallerIdentity caller, CallContext call, AssumeRoleService.Command request, String errorCode,
            String errorMessage, String reason, PolicySource decidedBy, List<Deciding> deciding) {
    }

    Uni<Void> issued(Issuance issuance);

    Uni<Void> denied(Denial denial);
}
