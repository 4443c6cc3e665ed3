package dev.sts.token.domain;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.policy.StatementRef;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Port: records every AssumeRole decision durably. The returned {@link Uni} completes only once
 * the record is stored (the events adapter waits for the broker's acknowledgement), so the domain
 * answers no caller whose decision is not on record, and fails closed otherwise.
 */
public interface DecisionLog {

    /** Which policy decided, as the audit trail's {@code source_policy_type}. */
    enum PolicySource {
        TRUST, SESSION
    }

    /** A session was issued; {@code deciding} are the trust-policy statements that allowed it. */
    record Issuance(CallerIdentity caller, CallContext call, AssumeRoleService.Command request, SignedSession session,
            List<StatementRef> deciding) {
    }

    /**
     * A request was refused. {@code errorMessage} is what the caller was told; {@code reason} is
     * the real reason, for the audit trail only.
     */
    record Denial(CallerIdentity caller, CallContext call, AssumeRoleService.Command request, String errorCode,
            String errorMessage, String reason, PolicySource decidedBy, List<StatementRef> deciding) {
    }

    Uni<Void> issued(Issuance issuance);

    Uni<Void> denied(Denial denial);
}
