package dev.sts.token.events;

import static dev.sts.token.events.DecisionEvents.nz;
import static dev.sts.token.events.DecisionEvents.ref;

import com.google.protobuf.Struct;
import dev.sts.kit.events.EventLogAvailability;
import dev.sts.kit.events.EventPublisher;
import dev.sts.proto.v1.AssumeRoleDenied;
import dev.sts.proto.v1.SessionIssued;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.UserIdentity;
import dev.sts.token.domain.AssumeRoleWithWebIdentityService;
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

    private final DecisionEvents events;

    public WebIdentityEvents(EventPublisher publisher, EventLogAvailability availability, InstantSource clock) {
        this.events = new DecisionEvents(publisher, availability, clock);
    }

    @Override
    public Uni<Void> issued(Issuance i) {
        return events.publish(i.session().claims().roleArn(), sessionIssued(i));
    }

    @Override
    public Uni<Void> denied(Denial d) {
        return events.publish(d.request().roleArn(), denial(d));
    }

    StsEvent sessionIssued(Issuance i) {
        var s = i.session().claims();
        WebIdentity id = i.identity();
        SessionIssued.Builder e = DecisionEvents.issued(s, EVENT_NAME, i.session().kid(), i.request().policyArns())
                .setHeader(events.header(actor(id, id.provider().accountId()), i.call(), s.accountId()))
                .setRequestParameters(parameters(i.request()))
                .setWebIdentityProviderArn(id.provider().arn())
                .setSubjectFromWebIdentityToken(id.subject())
                .setWebIdentityAudience(id.audience());
        i.deciding().forEach(d -> e.addDecidingStatements(ref(d, "TRUST", "Allow")));
        return StsEvent.newBuilder().setSessionIssued(e).build();
    }

    StsEvent denial(Denial d) {
        AssumeRoleWithWebIdentityService.Command cmd = d.request();
        String account = nz(dev.sts.kit.arn.Arns.accountOf(cmd.roleArn()));
        WebIdentity id = d.identity();
        AssumeRoleDenied.Builder e = AssumeRoleDenied.newBuilder()
                .setHeader(events.header(actor(id, account), d.call(), account))
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
        d.deciding().forEach(s -> e.addDecidingStatements(ref(s, "TRUST", "Deny")));
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

    /** CloudTrail's requestParameters of the call, without the token. */
    private static Struct parameters(AssumeRoleWithWebIdentityService.Command cmd) {
        return DecisionEvents.parameters(cmd.roleArn(), cmd.sessionName(), cmd.durationSeconds(), cmd.policy(),
                cmd.policyArns()).build();
    }
}
