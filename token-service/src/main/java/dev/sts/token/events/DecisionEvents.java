package dev.sts.token.events;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.events.EventLogAvailability;
import dev.sts.kit.events.EventPublisher;
import dev.sts.kit.events.Topics;
import dev.sts.kit.id.Ids;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.SessionIssued;
import dev.sts.proto.v1.StatementRef;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.Tag;
import dev.sts.proto.v1.UserIdentity;
import dev.sts.token.domain.CallContext;
import io.smallrye.mutiny.Uni;
import java.time.InstantSource;
import java.util.List;

/**
 * What {@link SessionEvents} (AssumeRole) and {@link WebIdentityEvents} (AssumeRoleWithWebIdentity)
 * share: publishing a decision on the session-event topic keyed by role ARN, the event header, the
 * session's fields of a {@code SessionIssued}, and CloudTrail's requestParameters helpers.
 */
final class DecisionEvents {
    private final EventPublisher publisher;
    /**
     * Asked before each publish: once an outage is known, a decision is refused at once and its
     * event never reaches the producer, so it cannot be stored later for credentials that were
     * never returned (docs/adr/003).
     */
    private final EventLogAvailability availability;
    private final InstantSource clock;

    DecisionEvents(EventPublisher publisher, EventLogAvailability availability, InstantSource clock) {
        this.publisher = publisher;
        this.availability = availability;
        this.clock = clock;
    }

    /** Completes once the broker stored the event; fails at once while the event log is known to be down. */
    Uni<Void> publish(String roleArn, StsEvent event) {
        return availability.requireAvailable().chain(() -> publisher.publish(Topics.SESSION_EVENTS, roleArn, event))
                .replaceWithVoid();
    }

    EventHeader header(UserIdentity actor, CallContext call, String account) {
        return EventHeader.newBuilder()
                .setEventId(Ids.eventId())
                .setEventTime(Timestamps.of(clock.instant()))
                .setActor(actor)
                .setRequestId(call.requestId())
                .setSourceIpAddress(call.sourceIp())
                .setUserAgent(call.userAgent())
                .setAccountId(nz(account))
                .build();
    }

    /** A {@code SessionIssued} with the issued session's own fields set. */
    static SessionIssued.Builder issued(SessionClaims s, String eventName, String signingKeyId, List<String> policyArns) {
        SessionIssued.Builder e = SessionIssued.newBuilder()
                .setEventName(eventName)
                .setRoleArn(s.roleArn())
                .setRoleId(s.roleId())
                .setAssumedRoleArn(s.assumedRoleArn())
                .setRoleSessionName(s.sessionName())
                .setSessionId(s.sessionId())
                .setAccessKeyId(s.accessKeyId())
                .setIssuedAt(Timestamps.of(s.issuedAt()))
                .setExpiration(Timestamps.of(s.expiresAt()))
                .setSourceIdentity(nz(s.sourceIdentity()))
                .addAllTransitiveTagKeys(s.transitiveTagKeys())
                .setChainDepth(s.chainDepth())
                .setSessionPolicySha256(nz(s.sessionPolicySha256()))
                .addAllPolicyArns(policyArns)
                .setSigningKeyId(signingKeyId);
        s.tags().forEach((k, v) -> e.addSessionTags(Tag.newBuilder().setKey(k).setValue(v)));
        return e;
    }

    /** requestParameters' common part: role, session name, duration, inline and managed session policies. */
    static Struct.Builder parameters(String roleArn, String sessionName, int durationSeconds, String policy,
            List<String> policyArns) {
        Struct.Builder p = Struct.newBuilder();
        put(p, "roleArn", roleArn);
        put(p, "roleSessionName", sessionName);
        if (durationSeconds != 0) {
            p.putFields("durationSeconds", Value.newBuilder().setNumberValue(durationSeconds).build());
        }
        put(p, "policy", policy);
        if (!policyArns.isEmpty()) {
            p.putFields("policyArns", list(policyArns));
        }
        return p;
    }

    static Value list(List<String> values) {
        ListValue.Builder l = ListValue.newBuilder();
        values.forEach(v -> l.addValues(Value.newBuilder().setStringValue(v)));
        return Value.newBuilder().setListValue(l).build();
    }

    static void put(Struct.Builder b, String key, String value) {
        if (value != null && !value.isEmpty()) {
            b.putFields(key, Value.newBuilder().setStringValue(value).build());
        }
    }

    static StatementRef ref(dev.sts.policy.StatementRef d, String type, String effect) {
        return StatementRef.newBuilder().setSourcePolicyId(nz(d.policy())).setSourcePolicyType(type)
                .setStatementId(d.sid() != null ? d.sid() : "#" + d.index()).setEffect(effect).build();
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }
}
