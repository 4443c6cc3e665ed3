package dev.sts.token.events;

import dev.sts.kit.arn.Arns;
import dev.sts.kit.audit.AuditIdentities;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.config.StsConfig;
import dev.sts.kit.events.EventLogAvailability;
import dev.sts.kit.events.EventPublisher;
import dev.sts.kit.events.Topics;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.SessionsRevoked;
import dev.sts.proto.v1.StsEvent;
import dev.sts.token.domain.CallContext;
import dev.sts.token.domain.Revocation;
import dev.sts.token.domain.RevocationLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Revocations on {@code sts.revocations.v1} (compacted, key: revocation id): the record every
 * {@code RevocationView} applies and audit-service stores as the RevokeSessions record. Published
 * with the {@link EventPublisher}'s guarantee (acks=all, bounded wait).
 */
@ApplicationScoped
public class RevocationEvents implements RevocationLog {
    private final EventPublisher publisher;
    private final EventLogAvailability availability;
    private final String accountId;

    public RevocationEvents(EventPublisher publisher, EventLogAvailability availability, StsConfig config) {
        this.publisher = publisher;
        this.availability = availability;
        this.accountId = config.accountId();
    }

    @Override
    public Uni<Void> requireRecordable() {
        return availability.requireAvailable();
    }

    @Override
    public byte[] encode(Revocation r, CallerIdentity caller, CallContext call) {
        return event(r, caller, call).toByteArray();
    }

    StsEvent event(Revocation r, CallerIdentity caller, CallContext call) {
        String account = r.kind() == dev.sts.kit.revocation.RevocationRules.Kind.ROLE_ARN ? Arns.accountOf(r.value()) : null;
        SessionsRevoked.Builder e = SessionsRevoked.newBuilder()
                .setHeader(EventHeader.newBuilder()
                        .setEventId(r.id())
                        .setEventTime(Timestamps.of(r.revokedAt()))
                        .setActor(AuditIdentities.of(caller))
                        .setRequestId(call.requestId())
                        .setSourceIpAddress(call.sourceIp())
                        .setUserAgent(call.userAgent())
                        .setAccountId(account != null ? account : accountId))
                .setRevocationId(r.id())
                .setRevokedAt(Timestamps.of(r.revokedAt()))
                .setExpiresAt(Timestamps.of(r.expiresAt()))
                .setReason(r.reason() == null ? "" : r.reason());
        switch (r.kind()) {
            case SESSION_ID -> e.setSessionId(r.value());
            case ROLE_ARN -> e.setRoleArn(r.value());
            case SOURCE_IDENTITY -> e.setSourceIdentity(r.value());
            case ISSUED_BEFORE -> e.setIssuedBefore(Timestamps.of(r.cutOff()));
        }
        return StsEvent.newBuilder().setSessionsRevoked(e).build();
    }

    @Override
    public Uni<Void> publish(String revocationId, byte[] event) {
        return publisher.publish(Topics.REVOCATIONS, revocationId, event).replaceWithVoid();
    }

    @Override
    public Uni<Void> tombstone(String revocationId) {
        return publisher.publish(Topics.REVOCATIONS, revocationId, (byte[]) null).replaceWithVoid();
    }
}
