package dev.sts.kit.auth;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.policy.Decision;
import dev.sts.policy.StatementRef;
import java.util.List;
import java.util.Optional;

/**
 * A refused authorization: {@code AccessDenied} with AWS's message, which is all the caller sees.
 * The real reason and, when policies were evaluated, the decision with its deciding statements stay
 * on the server for the audit trail: none of it is in the error's metadata, which travels to the
 * caller (denials are uniform, and policy names are the account's business).
 */
public final class AccessDeniedException extends StsException {
    private final String reason;
    private final transient Decision decision;

    AccessDeniedException(String message, String reason, Decision decision) {
        super(ErrorCode.ACCESS_DENIED, message);
        this.reason = reason;
        this.decision = decision;
    }

    /** Why, for the audit trail and logs: e.g. "the role is not in the permission view". */
    public String reason() {
        return reason;
    }

    /** The policy engine's decision, when policies were evaluated. */
    public Optional<Decision> decision() {
        return Optional.ofNullable(decision);
    }

    /** The statements that decided an explicit deny (empty for an implicit one). */
    public List<StatementRef> decidingStatements() {
        return decision == null ? List.of() : decision.decidingStatements();
    }
}
