package dev.sts.token.events;

import static dev.sts.token.events.DecisionEvents.nz;
import static dev.sts.token.events.DecisionEvents.put;
import static dev.sts.token.events.DecisionEvents.ref;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sts.kit.audit.AuditIdentities;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.events.EventLogAvailability;
import dev.sts.kit.events.EventPublisher;
import dev.sts.proto.v1.AssumeRoleDenied;
import dev.sts.proto.v1.SessionIssued;
import dev.sts.proto.v1.StsEvent;
import dev.sts.token.domain.AssumeRoleService;
import dev.sts.token.domain.DecisionLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.InstantSource;

/**
 * The decision log on Kafka: publishes every AssumeRole decision, keyed by role ARN. Events carry
 * the access key id and session id, never the secret access key or the session token. Every
 * string in them was bounded before it got here ({@code AssumeRoleValidation}, {@code CallContext}).
 */
@ApplicationScoped
public class SessionEvents implements DecisionLog {
    private final DecisionEvents events;

    public SessionEvents(EventPublisher publisher, EventLogAvailability availability, InstantSource clock) {
        this.events = new DecisionEvents(publisher, availability, clock);
    }

    @Override
    public Uni<Void> issued(Issuance i) {
        return events.publish(i.session().claims().roleArn(), sessionIssued(i));
    }

    @Override
    public Uni<Void> denied(Denial d) {
        return events.publish(d.request().roleArn(), assumeRoleDenied(d));
    }

    StsEvent sessionIssued(Issuance i) {
        var s = i.session().claims();
        CallerIdentity caller = i.caller();
        SessionIssued.Builder e = DecisionEvents.issued(s, "AssumeRole", i.session().kid(), i.request().policyArns())
                .setHeader(events.header(AuditIdentities.of(caller), i.call(), s.accountId()))
                .setParentSessionId(caller.isSession() ? caller.session().sessionId() : "")
                .setRequestParameters(parameters(i.request()));
        i.deciding().forEach(d -> e.addDecidingStatements(ref(d.statement(), d.source().name(), "Allow")));
        return StsEvent.newBuilder().setSessionIssued(e).build();
    }

    StsEvent assumeRoleDenied(Denial d) {
        AssumeRoleService.Command cmd = d.request();
        String account = dev.sts.kit.arn.Arns.accountOf(cmd.roleArn());
        if (account == null) {
            account = nz(d.caller().accountId());
        }
        AssumeRoleDenied.Builder e = AssumeRoleDenied.newBuilder()
                .setHeader(events.header(AuditIdentities.of(d.caller()), d.call(), account))
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

    /** What the caller asked for, as CloudTrail's requestParameters; no token or secret is among them. */
    private static Struct parameters(AssumeRoleService.Command cmd) {
        Struct.Builder p = DecisionEvents.parameters(cmd.roleArn(), cmd.sessionName(), cmd.durationSeconds(), cmd.policy(),
                cmd.policyArns());
        put(p, "externalId", cmd.externalId());
        put(p, "sourceIdentity", cmd.sourceIdentity());
        if (!cmd.tags().isEmpty()) {
            Struct.Builder tags = Struct.newBuilder();
            cmd.tags().forEach(t -> put(tags, t.key(), t.value()));
            p.putFields("tags", Value.newBuilder().setStructValue(tags).build());
        }
        if (!cmd.transitiveTagKeys().isEmpty()) {
            p.putFields("transitiveTagKeys", DecisionEvents.list(cmd.transitiveTagKeys()));
        }
        return p.build();
    }
}
