package dev.sts.token.domain;

import dev.sts.kit.arn.Arns;
import dev.sts.kit.auth.Authorizer;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.id.Ids;
import dev.sts.kit.revocation.RevocationRules.Kind;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * RevokeSessions (docs/adr/013): validates, authorizes ({@code sts:RevokeSessions} on the role ARN,
 * or {@code *} for the other selectors), stores the revocation, publishes its
 * {@code SessionsRevoked} on the compacted revocations topic and answers only after the broker
 * acknowledged it. A publication that fails answers {@code ServiceUnavailable}; the stored
 * revocation is published by the relay when the broker is back (it errs on the side of revoking).
 */
@ApplicationScoped
public class RevocationService {
    public static final String ACTION = "sts:RevokeSessions";
    /** The longest a session lives (AssumeRole's 43,200-second maximum). */
    static final Duration MAX_SESSION = Duration.ofSeconds(AssumeRoleValidation.MAX_DURATION);
    /**
     * Added to a revocation's lifetime: verifiers accept a token up to 30 s past its expiry (clock
     * skew), and clocks of replicas differ; five minutes covers both with room.
     */
    static final Duration EXPIRY_MARGIN = Duration.ofMinutes(5);
    /** How far in the future an issued-before may lie (clock skew between the caller and us). */
    static final Duration FUTURE_SKEW = Duration.ofSeconds(5);
    static final int REASON_MAX = 1000;
    /** IAM's limit for an ARN. */
    static final int ARN_MAX = 2048;
    /** A session id is a token's jti: a lower-case UUID (Ids.sessionId). */
    private static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * What the caller asked for: exactly one of the selectors, as sent.
     *
     * @param issuedBefore {@code null} unless that selector was chosen
     */
    public record Command(Kind kind, String value, Instant issuedBefore, String reason) {
    }

    private final Authorizer authorizer;
    private final RevocationStore store;
    private final RevocationLog log;
    private final InstantSource clock;

    public RevocationService(Authorizer authorizer, RevocationStore store, RevocationLog log, InstantSource clock) {
        this.authorizer = authorizer;
        this.store = store;
        this.log = log;
        this.clock = clock;
    }

    public Uni<Revocation> revoke(CallerIdentity caller, CallContext call, Command cmd) {
        return Uni.createFrom().deferred(() -> {
            Instant now = clock.instant();
            validate(cmd, now);
            authorizer.require(caller, ACTION, cmd.kind() == Kind.ROLE_ARN ? cmd.value() : "*");
            Revocation revocation = revocation(cmd, now);
            byte[] event = log.encode(revocation, caller, call);
            // The gate keeps a broker outage from storing revocations that could not be published now;
            // an outage after it is covered by the relay (ADR 013).
            return log.requireRecordable()
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .invoke(() -> store.insert(revocation, caller.arn(), event))
                    .chain(() -> log.publish(revocation.id(), event))
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .invoke(() -> store.markPublished(revocation.id(), clock.instant()))
                    .replaceWith(revocation);
        });
    }

    /**
     * The revocation the command asks for. {@code revokedAt} is rounded up to a whole second: a
     * session's issue time is its token's {@code iat} in whole seconds, so with a cut-off inside a
     * second a session issued later in that second would be covered; on a whole second, every
     * session issued before the request is covered and every one issued from {@code revokedAt} on
     * is not.
     */
    static Revocation revocation(Command cmd, Instant now) {
        Instant revokedAt = now.truncatedTo(ChronoUnit.SECONDS);
        if (revokedAt.isBefore(now)) {
            revokedAt = revokedAt.plusSeconds(1);
        }
        Instant cutOff = cmd.kind() == Kind.ISSUED_BEFORE ? cmd.issuedBefore() : revokedAt;
        return new Revocation(Ids.eventId(), cmd.kind(), cmd.kind() == Kind.ISSUED_BEFORE ? null : cmd.value(), cutOff,
                revokedAt, cutOff.plus(MAX_SESSION).plus(EXPIRY_MARGIN), cmd.reason());
    }

    static void validate(Command cmd, Instant now) {
        if (cmd.kind() == null) {
            throw StsException.invalid("selector", "one of session_id, role_arn, source_identity or issued_before is required");
        }
        switch (cmd.kind()) {
            case SESSION_ID -> {
                String id = cmd.value();
                if (id == null || id.length() != 36 || !SESSION_ID.matcher(id).matches()) {
                    throw StsException.invalid("session_id", "session_id must be a session id (the token's jti, a UUID)");
                }
            }
            case ROLE_ARN -> {
                if (cmd.value() == null || cmd.value().length() > ARN_MAX) {
                    throw StsException.invalid("role_arn", "role_arn must be a role ARN of at most " + ARN_MAX + " characters");
                }
                Arns.parseRole(cmd.value(), "role_arn");
            }
            case SOURCE_IDENTITY -> {
                String s = cmd.value();
                if (s == null || s.length() < 2 || s.length() > AssumeRoleValidation.SOURCE_IDENTITY_MAX) {
                    throw StsException.invalid("source_identity", "source_identity must be 2-64 characters");
                }
                AssumeRoleValidation.sourceIdentity(s);
            }
            case ISSUED_BEFORE -> {
                if (cmd.issuedBefore() == null) {
                    throw StsException.invalid("issued_before", "issued_before is required");
                }
                if (cmd.issuedBefore().isAfter(now.plus(FUTURE_SKEW))) {
                    throw StsException.invalid("issued_before", "issued_before must not be in the future");
                }
            }
        }
        if (cmd.reason() != null && cmd.reason().length() > REASON_MAX) {
            throw new StsException(ErrorCode.VALIDATION_ERROR, "reason must be at most " + REASON_MAX + " characters",
                    "reason");
        }
    }
}
