package dev.sts.token.domain;

import dev.sts.policy.StatementRef;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Port: records every AssumeRoleWithWebIdentity decision durably, as {@link DecisionLog} does for
 * AssumeRole: the {@link Uni} completes only once the record is stored, so no credential leaves
 * whose issuance is not on record. The web identity token is never part of a record.
 */
public interface WebIdentityLog {

    /** A session was issued to a verified web identity; {@code deciding} are the trust statements that allowed it. */
    record Issuance(CallContext call, AssumeRoleWithWebIdentityService.Command request, WebIdentity identity,
            SignedSession session, List<StatementRef> deciding) {
    }

    /**
     * A request was refused. {@code identity} is null when the token was not verified (then only
     * {@code providerArn}, the provider its issuer names, is known, or nothing); {@code errorMessage}
     * is what the caller was told, {@code reason} the real reason.
     */
    record Denial(CallContext call, AssumeRoleWithWebIdentityService.Command request, String providerArn,
            WebIdentity identity, String errorCode, String errorMessage, String reason, List<StatementRef> deciding) {
    }

    Uni<Void> issued(Issuance issuance);

    Uni<Void> denied(Denial denial);
}
