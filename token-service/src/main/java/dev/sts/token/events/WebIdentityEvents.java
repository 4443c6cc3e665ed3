package dev.sts.token.events;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
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
import dev.sts.proto.v1.UserIdentity;
import dev.sts.token.domain.AssumeRoleWithWebIdentityService;
import dev.sts.token.domain.CallContext;
import dev.sts.token.domain.WebIdentity;
import dev.sts.token.domain.WebIdentityLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.InstantSource;

/**
 * AssumeRoleWithWebIdentity's decisions on Kafka, as {@link SessionEvents} publishes AssumeRole's:
 * {@code SessionIssued} / {@code AssumeRoleDenied} with event name "AssumeRoleWithWebIdentity",
 * keyed by role ARN. The actor is CloudTrail's {@code WebIdentityUser}: principal id
 * {@code <provider>:<audience>:<subject>} once the token is verified (CloudTrail's form, e.g.
 * {@code accounts.google.com:<aud>:<sub>}), the provider and subject in their own fields. The web
 * identity token is never in an event, not even among the request parameters (CloudTrail omits it
 * too).
 */
@ApplicationScoped
public class WebIdentityEvents implements WebIdentityLog {
    static final String EVENT_NAME = "AssumeRoleWithWebIdentity";
    static final String USER_TYPE = "WebIdentityUser";

    private final EventPublisher publisher;
    /**
     * Asked before each publish: once an outage is known, a decision is refused at once and its
     * event never reaches the producer, so it cannot be stored later for credentials that were
     * never returned (docs/adr/003).
     */
    private final EventLogAvailability availability;
    private final InstantSource clock;

    public WebIdentityEvents(EventPublisher publisher, EventLogAvailability availability, InstantSource clock) {
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
        return availability.requireAvailable().chain(() -> publisher.publish(Topics.SESSION_EVENTS, d.request().roleArn(), denial(d))).replaceWithVoid();
    }

    StsEvent sessionIssued(Issuance i) {
        var s = i.session().claims();
        WebIdentity id = i.identity();
        SessionIssued.Builder e = SessionIssued.newBuilder()
                .setHeader(header(actor(id, id.provider().accountId()), i.call(), s.accountId()))
                .setEventName(EVENT_NAME)
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
                .addAllPolicyArns(i.request().policyArns())
                .setSigningKeyId(i.session().kid())
                .setRequestParameters(parameters(i.request()))
                .setWebIdentityProviderArn(id.provider().arn())
                .setSubjectFromWebIdentityToken(id.subject())
                .setWebIdentityAudience(id.audience());
        s.tags().forEach((k, v) -> e.addSessionTags(Tag.newBuilder().setKey(k).setValue(v)));
        i.deciding().forEach(d -> e.addDecidingStatements(ref(d, "Allow")));
        return StsEvent.newBuilder().setSessionIssued(e).build();
    }

    StsEvent denial(Denial d) {
        AssumeRoleWithWebIdentityService.Command cmd = d.request();
        String account = nz(dev.sts.kit.arn.Arns.accountOf(cmd.roleArn()));
        WebIdentity id = d.identity();
        AssumeRoleDenied.Builder e = AssumeRoleDenied.newBuilder()
                .setHeader(header(actor(id, account), d.call(), account))
                .setEventName(EVENT_NAME)
                .setRoleArn(cmd.roleArn())
                .setRoleSessionName(nz(cmd.sessionName()))
                .setErrorCode(d.errorCode())
                .setErrorMessage(d.errorMessage())
                .setReason(d.reason())
                .setSourceIdentity(id == null ? "" : nz(id.sourceIdentity()))
                .setRequestParameters(parameters(cmd))
                .setWebIdentityProviderArn(nz(d.providerArn()));
        if (id != null) {
            e.setSubjectFromWebIdentityToken(id.subject()).setWebIdentityAudience(id.audience());
        }
        d.deciding().forEach(s -> e.addDecidingStatements(ref(s, "Deny")));
        return StsEvent.newBuilder().setAssumeRoleDenied(e).build();
    }

    /** CloudTrail's WebIdentityUser; without a verified token nothing but the type is known. */
    private static UserIdentity actor(WebIdentity id, String account) {
        UserIdentity.Builder b = UserIdentity.newBuilder().setType(USER_TYPE).setAccountId(nz(account));
        if (id != null) {
            b.setPrincipalId(id.principalId());
        }
        return b.build();
    }

    private EventHeader header(UserIdentity actor, CallContext call, String account) {
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

    /** CloudTrail's requestParameters of the call, without the token. */
    private static Struct parameters(AssumeRoleWithWebIdentityService.Command cmd) {
        Struct.Builder p = Struct.newBuilder();
        put(p, "roleArn", cmd.roleArn());
        put(p, "roleSessionName", cmd.sessionName());
        if (cmd.durationSeconds() != 0) {
            p.putFields("durationSeconds", Value.newBuilder().setNumberValue(cmd.durationSeconds()).build());
        }
        put(p, "policy", cmd.policy());
        if (!cmd.policyArns().isEmpty()) {
            com.google.protobuf.ListValue.Builder l = com.google.protobuf.ListValue.newBuilder();
            cmd.policyArns().forEach(v -> l.addValues(Value.newBuilder().setStringValue(v)));
            p.putFields("policyArns", Value.newBuilder().setListValue(l).build());
        }
        return p.build();
    }

    private static void put(Struct.Builder b, String key, String value) {
        if (value != null && !value.isEmpty()) {
            b.putFields(key, Value.newBuilder().setStringValue(value).build());
        }
    }

    private static StatementRef ref(dev.sts.policy.StatementRef d, String effect) {
        return StatementRef.newBuilder().setSourcePolicyId(nz(d.policy())).setSourcePolicyType("TRUST")
                .setStatementId(d.sid() != null ? d.sid() : "#" + d.index()).setEffect(effect).build();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
