package dev.sts.token.events;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sts.kit.audit.AuditIdentities;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.events.EventLogAvailability;
import dev.sts.kit.events.EventPublisher;
import dev.sts.kit.events.Topics;
import dev.sts.kit.id.Ids;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.AssumeRoleDenied;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.SessionIssued;
import dev.sts.proto.v1.StatementRef;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.Tag;
import dev.sts.token.domain.AssumeRoleService;
import dev.sts.token.domain.CallContext;
import dev.sts.token.domain.DecisionLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.InstantSource;
import java.util.List;

/**
 * The decision log on Kafka: publishes every AssumeRole decision, keyed by role ARN. Events carry
 * the access key id and session id, never the secret access key or the session token. Every
 * string in them was bounded before it got here ({@code AssumeRoleValidation}, {@link CallContext}).
 */
@ApplicationScoped
public class SessionEvents implements DecisionLog {
    private final EventPublisher publisher;
    /**
     * Asked before each publish: once an outage is known, a decision is refused at once and its
     * event never reaches the producer, so it cannot be stored later for credentials that were
     * never returned (docs/adr/003).
     */
    private final EventLogAvailability availability;
    private final InstantSource clock;

    public SessionEvents(EventPublisher publisher, EventLogAvailability availability, InstantSource clock) {
        this.publisher = publisher;
        this.availability = availability;
        this.clock = clock;
    }

    @Override
    public Uni<Void> issued(Issuance i) {
        return availability.requireAvailable().chain(() -> publisher.publish(Topics.SESSION_EVENTS, i.session().claims().roleArn(), sessionIssued(i))).replaceWithVoid();
    }

    @Override
    public Uni<Void> denied(Denial d) {
        return availability.requireAvailable().chain(() -> publisher.publish(Topics.SESSION_EVENTS, d.request().roleArn(), assumeRoleDenied(d))).replaceWithVoid();
    }

    StsEvent sessionIssued(Issuance i) {
        var s = i.session().claims();
        CallerIdentity caller = i.caller();
        SessionIssued.Builder e = SessionIssued.newBuilder()
                .setHeader(header(caller, i.call(), s.accountId()))
                .setEventName("AssumeRole")
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
                .setParentSessionId(caller.isSession() ? caller.session().sessionId() : "")
                .setSessionPolicySha256(nz(s.sessionPolicySha256()))
                .addAllPolicyArns(i.request().policyArns())
                .setSigningKeyId(i.session().kid())
                .setRequestParameters(parameters(i.request()));
        s.tags().forEach((k, v) -> e.addSessionTags(Tag.newBuilder().setKey(k).setValue(v)));
        i.deciding().forEach(d -> e.addDecidingStatements(ref(d.statement(), d.source().name(), "Allow")));
        return StsEvent.newBuilder().setSessionIssued(e).build();
    }

    StsEvent assumeRoleDenied(Denial d) {
        AssumeRoleService.Command cmd = d.request();
        String account = dev.sts.kit.arn.Arns.accountOf(cmd.roleArn());
        AssumeRoleDenied.Builder e = AssumeRoleDenied.newBuilder()
                .setHeader(header(d.caller(), d.call(), account == null ? nz(d.caller().accountId()) : account))
                .setEventName("AssumeRole")
                .setRoleArn(cmd.roleArn())
                .setRoleSessionName(nz(cmd.sessionName()))
                .setErrorCode(d.errorCode())
                .setErrorMessage(d.errorMessage())
                .setReason(d.reason())
                .setSourceIdentity(nz(cmd.sourceIdentity()))
                .setRequestParameters(parameters(cmd));
        d.deciding().forEach(s -> e.addDecidingStatements(ref(s.statement(), s.source().name(), "Deny")));
        return StsEvent.newBuilder().setAssumeRoleDenied(e).build();
    }

    private EventHeader header(CallerIdentity caller, CallContext call, String account) {
        return EventHeader.newBuilder()
                .setEventId(Ids.eventId())
                .setEventTime(Timestamps.of(clock.instant()))
                .setActor(AuditIdentities.of(caller))
                .setRequestId(call.requestId())
                .setSourceIpAddress(call.sourceIp())
                .setUserAgent(call.userAgent())
                .setAccountId(nz(account))
                .build();
    }

    /** What the caller asked for, as CloudTrail's requestParameters; no token or secret is among them. */
    private static Struct parameters(AssumeRoleService.Command cmd) {
        Struct.Builder p = Struct.newBuilder();
        put(p, "roleArn", cmd.roleArn());
        put(p, "roleSessionName", cmd.sessionName());
        if (cmd.durationSeconds() != 0) {
            p.putFields("durationSeconds", Value.newBuilder().setNumberValue(cmd.durationSeconds()).build());
        }
        put(p, "externalId", cmd.externalId());
        put(p, "sourceIdentity", cmd.sourceIdentity());
        put(p, "policy", cmd.policy());
        if (!cmd.tags().isEmpty()) {
            Struct.Builder tags = Struct.newBuilder();
            cmd.tags().forEach(t -> put(tags, t.key(), t.value()));
            p.putFields("tags", Value.newBuilder().setStructValue(tags).build());
        }
        if (!cmd.transitiveTagKeys().isEmpty()) {
            p.putFields("transitiveTagKeys", list(cmd.transitiveTagKeys()));
        }
        if (!cmd.policyArns().isEmpty()) {
            p.putFields("policyArns", list(cmd.policyArns()));
        }
        return p.build();
    }

    private static Value list(List<String> values) {
        com.google.protobuf.ListValue.Builder l = com.google.protobuf.ListValue.newBuilder();
        values.forEach(v -> l.addValues(Value.newBuilder().setStringValue(v)));
        return Value.newBuilder().setListValue(l).build();
    }

    private static void put(Struct.Builder b, String key, String value) {
        if (value != null && !value.isEmpty()) {
            b.putFields(key, Value.newBuilder().setStringValue(value).build());
        }
    }

    private static StatementRef ref(dev.sts.policy.StatementRef d, String type, String effect) {
        return StatementRef.newBuilder().setSourcePolicyId(nz(d.policy())).setSourcePolicyType(type)
                .setStatementId(d.sid() != null ? d.sid() : "#" + d.index()).setEffect(effect).build();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
