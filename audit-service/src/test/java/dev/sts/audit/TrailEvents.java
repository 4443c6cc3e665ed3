package dev.sts.audit;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.sts.kit.audit.AuditIdentities;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.events.Topics;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.AssumeRoleDenied;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.GetEventRequest;
import dev.sts.proto.v1.RoleChanged;
import dev.sts.proto.v1.SessionIssued;
import dev.sts.proto.v1.SessionsRevoked;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.UserIdentity;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Events as the services publish them (token-service's SessionEvents and WebIdentityEvents,
 * role-service's relay), produced to the real broker on their real topics, and a wait until
 * audit-service has stored them. Actors come from the kit's {@link AuditIdentities}, the mapping
 * every service uses, so a chained session's record carries its caller's session context exactly
 * as in production.
 */
final class TrailEvents implements AutoCloseable {
    static final String ACCOUNT = "000000000000";
    static final String ADMIN_TOKEN = "test-admin-token";
    private final KafkaProducer<String, byte[]> producer;
    private final AuditServiceGrpc.AuditServiceBlockingStub admin;

    TrailEvents(Channel channel) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, AuditIngestionTest.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        admin = AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials(ADMIN_TOKEN));
    }

    static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static String userArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":user/" + name;
    }

    static String roleArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + name;
    }

    static UserIdentity user(String name) {
        return AuditIdentities.of(CallerIdentity.ofPrincipal(userArn(name), ACCOUNT, false));
    }

    /** CloudTrail's WebIdentityUser, as token-service's WebIdentityEvents records it. */
    static UserIdentity webIdentity(String provider, String audience, String subject) {
        return UserIdentity.newBuilder().setType("WebIdentityUser").setAccountId(ACCOUNT)
                .setPrincipalId(provider + ":" + audience + ":" + subject).build();
    }

    /** The claims of a session of {@code role}, issued to a caller at chaining depth {@code depth}. */
    static SessionClaims claims(String role, String sessionName, int depth, Instant issuedAt) {
        String id = UUID.randomUUID().toString();
        String key = "ASIA" + unique().toUpperCase() + "WXYZ";
        return new SessionClaims("https://sts.test", "sts", id,
                "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + role + "/" + sessionName, roleArn(role),
                "AROA" + unique().toUpperCase(), sessionName, ACCOUNT, null, Map.of(), List.of(), key, issuedAt,
                issuedAt.plusSeconds(3600), depth, null, null, null, List.of());
    }

    static UserIdentity actorOf(SessionClaims session) {
        return AuditIdentities.of(CallerIdentity.ofSession(session));
    }

    static Timestamp ts(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    static EventHeader header(UserIdentity actor, Instant at) {
        return EventHeader.newBuilder().setEventId(UUID.randomUUID().toString()).setEventTime(ts(at)).setActor(actor)
                .setRequestId(UUID.randomUUID().toString()).setSourceIpAddress("192.0.2.7").setUserAgent("test")
                .setAccountId(ACCOUNT).build();
    }

    private static Struct params(String roleArn, String sessionName) {
        return Struct.newBuilder().putFields("roleArn", Value.newBuilder().setStringValue(roleArn).build())
                .putFields("roleSessionName", Value.newBuilder().setStringValue(sessionName).build()).build();
    }

    /** A SessionIssued event for {@code session}, issued to {@code actor} (AssumeRole, or AssumeRoleWithWebIdentity). */
    static StsEvent issued(UserIdentity actor, SessionClaims s, String eventName, String sourceIdentity) {
        SessionIssued.Builder e = SessionIssued.newBuilder().setHeader(header(actor, s.issuedAt())).setEventName(eventName)
                .setRoleArn(s.roleArn()).setRoleId(s.roleId()).setAssumedRoleArn(s.assumedRoleArn())
                .setRoleSessionName(s.sessionName()).setSessionId(s.sessionId()).setAccessKeyId(s.accessKeyId())
                .setIssuedAt(ts(s.issuedAt())).setExpiration(ts(s.expiresAt())).setChainDepth(s.chainDepth())
                .setSigningKeyId("test-key").setSourceIdentity(sourceIdentity == null ? "" : sourceIdentity)
                .setParentSessionId(actor.getSessionContext().getSessionId())
                .setRequestParameters(params(s.roleArn(), s.sessionName()));
        if (eventName.equals("AssumeRoleWithWebIdentity")) {
            e.setWebIdentityProviderArn("arn:aws:iam::" + ACCOUNT + ":oidc-provider/issuer.example")
                    .setSubjectFromWebIdentityToken("system:serviceaccount:ns:app").setWebIdentityAudience("sts");
        }
        return StsEvent.newBuilder().setSessionIssued(e).build();
    }

    static StsEvent denied(UserIdentity actor, String roleArn, String sessionName, String errorCode, Instant at) {
        return StsEvent.newBuilder().setAssumeRoleDenied(AssumeRoleDenied.newBuilder().setHeader(header(actor, at))
                .setEventName("AssumeRole").setRoleArn(roleArn).setRoleSessionName(sessionName).setErrorCode(errorCode)
                .setErrorMessage("refused").setReason("trust policy").setRequestParameters(params(roleArn, sessionName)))
                .build();
    }

    static StsEvent roleChanged(UserIdentity actor, String eventName, String resourceArn, String errorCode, Instant at) {
        RoleChanged.Builder e = RoleChanged.newBuilder().setHeader(header(actor, at)).setEventName(eventName)
                .setResourceArn(resourceArn).setRevision(1);
        if (errorCode != null) {
            e.setErrorCode(errorCode).setErrorMessage("refused");
        }
        return StsEvent.newBuilder().setRoleChanged(e).build();
    }

    static StsEvent revokedSession(UserIdentity actor, String sessionId, Instant at) {
        return StsEvent.newBuilder().setSessionsRevoked(SessionsRevoked.newBuilder().setHeader(header(actor, at))
                .setRevocationId(UUID.randomUUID().toString()).setSessionId(sessionId).setRevokedAt(ts(at))
                .setExpiresAt(ts(at.plusSeconds(3600)))).build();
    }

    static String eventId(StsEvent e) {
        return switch (e.getEventCase()) {
            case SESSION_ISSUED -> e.getSessionIssued().getHeader().getEventId();
            case ASSUME_ROLE_DENIED -> e.getAssumeRoleDenied().getHeader().getEventId();
            case ROLE_CHANGED -> e.getRoleChanged().getHeader().getEventId();
            case SESSIONS_REVOKED -> e.getSessionsRevoked().getHeader().getEventId();
            default -> throw new IllegalArgumentException(e.getEventCase().toString());
        };
    }

    private static ProducerRecord<String, byte[]> record(StsEvent e) {
        return switch (e.getEventCase()) {
            case SESSION_ISSUED -> new ProducerRecord<>(Topics.SESSION_EVENTS, e.getSessionIssued().getRoleArn(), e.toByteArray());
            case ASSUME_ROLE_DENIED -> new ProducerRecord<>(Topics.SESSION_EVENTS, e.getAssumeRoleDenied().getRoleArn(), e.toByteArray());
            case ROLE_CHANGED -> new ProducerRecord<>(Topics.ROLE_EVENTS, e.getRoleChanged().getResourceArn(), e.toByteArray());
            case SESSIONS_REVOKED -> new ProducerRecord<>(Topics.REVOCATIONS, e.getSessionsRevoked().getRevocationId(), e.toByteArray());
            default -> throw new IllegalArgumentException(e.getEventCase().toString());
        };
    }

    /** Produces every event and returns once the broker has acknowledged each. */
    void publish(List<StsEvent> events) throws Exception {
        List<Future<?>> sent = new ArrayList<>();
        for (StsEvent e : events) {
            sent.add(producer.send(record(e)));
        }
        for (Future<?> f : sent) {
            f.get();
        }
    }

    /** Produces every event (acknowledged by the broker), then waits until audit-service has stored each. */
    void publishAndAwait(List<StsEvent> events) throws Exception {
        publish(events);
        for (StsEvent e : events) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> stored(eventId(e)));
        }
    }

    void publishAndAwait(StsEvent... events) throws Exception {
        publishAndAwait(List.of(events));
    }

    private boolean stored(String eventId) {
        try {
            admin.getEvent(GetEventRequest.newBuilder().setEventId(eventId).build());
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
