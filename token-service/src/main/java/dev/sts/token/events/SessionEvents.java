package dev.sts.token.events;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.events.EventPublisher;
import dev.sts.kit.events.Topics;
import dev.sts.kit.grpc.RequestContext;
import dev.sts.proto.v1.AssumeRoleDenied;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.SessionContext;
import dev.sts.proto.v1.SessionIssued;
import dev.sts.proto.v1.SessionIssuer;
import dev.sts.proto.v1.StatementRef;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.Tag;
import dev.sts.proto.v1.UserIdentity;
import dev.sts.token.domain.AssumeRoleService;
import dev.sts.token.signing.SessionMinter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes the decision of every AssumeRole, keyed by role ARN. Events carry the access key id
 * and session id, never the secret access key or the session token.
 */
@ApplicationScoped
public class SessionEvents {
    private final EventPublisher publisher;

    public SessionEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    public Uni<RecordMetadata> sessionIssued(CallerIdentity caller, RequestContext request, AssumeRoleService.Command cmd,
            SessionMinter.Minted minted, List<dev.sts.policy.StatementRef> deciding) {
        var s = minted.claims();
        SessionIssued.Builder e = SessionIssued.newBuilder()
                .setHeader(header(caller, request, s.accountId()))
                .setEventName("AssumeRole")
                .setRoleArn(s.roleArn())
                .setRoleId(s.roleId())
                .setAssumedRoleArn(s.assumedRoleArn())
                .setRoleSessionName(s.sessionName())
                .setSessionId(s.sessionId())
                .setAccessKeyId(s.accessKeyId())
                .setIssuedAt(ts(s.issuedAt()))
                .setExpiration(ts(s.expiresAt()))
                .setSourceIdentity(nz(s.sourceIdentity()))
                .addAllTransitiveTagKeys(s.transitiveTagKeys())
                .setChainDepth(s.chainDepth())
                .setParentSessionId(caller.isSession() ? caller.session().sessionId() : "")
                .setSessionPolicySha256(nz(s.sessionPolicySha256()))
                .setSigningKeyId(minted.kid())
                .setRequestParameters(parameters(cmd));
        s.tags().forEach((k, v) -> e.addSessionTags(Tag.newBuilder().setKey(k).setValue(v)));
        deciding.forEach(d -> e.addDecidingStatements(ref(d, "Allow")));
        return publisher.publish(Topics.SESSION_EVENTS, s.roleArn(), StsEvent.newBuilder().setSessionIssued(e).build());
    }

    public Uni<RecordMetadata> assumeRoleDenied(CallerIdentity caller, RequestContext request, AssumeRoleService.Command cmd,
            String errorCode, String errorMessage, String reason, List<dev.sts.policy.StatementRef> deciding) {
        String account = dev.sts.kit.arn.Arns.accountOf(cmd.roleArn());
        AssumeRoleDenied.Builder e = AssumeRoleDenied.newBuilder()
                .setHeader(header(caller, request, account == null ? nz(caller.accountId()) : account))
                .setEventName("AssumeRole")
                .setRoleArn(cmd.roleArn())
                .setRoleSessionName(nz(cmd.sessionName()))
                .setErrorCode(errorCode)
                .setErrorMessage(errorMessage)
                .setReason(reason)
                .setSourceIdentity(nz(cmd.sourceIdentity()))
                .setRequestParameters(parameters(cmd));
        deciding.forEach(d -> e.addDecidingStatements(ref(d, "Deny")));
        return publisher.publish(Topics.SESSION_EVENTS, cmd.roleArn(), StsEvent.newBuilder().setAssumeRoleDenied(e).build());
    }

    private static EventHeader header(CallerIdentity caller, RequestContext request, String account) {
        return EventHeader.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventTime(ts(Instant.now()))
                .setActor(identity(caller))
                .setRequestId(request.requestId())
                .setSourceIpAddress(nz(request.sourceIp()))
                .setUserAgent(nz(request.userAgent()))
                .setAccountId(nz(account))
                .build();
    }

    static UserIdentity identity(CallerIdentity c) {
        UserIdentity.Builder b = UserIdentity.newBuilder()
                .setType(c.type())
                .setArn(c.arn())
                .setPrincipalId(nz(c.userId()))
                .setAccountId(nz(c.accountId()))
                .setAccessKeyId(nz(c.accessKeyId()));
        if (c.isSession()) {
            var s = c.session();
            b.setSessionContext(SessionContext.newBuilder()
                    .setSessionIssuer(SessionIssuer.newBuilder().setType("Role").setPrincipalId(s.roleId())
                            .setArn(s.roleArn()).setAccountId(s.accountId())
                            .setUserName(s.roleArn().substring(s.roleArn().lastIndexOf('/') + 1)))
                    .setCreationDate(ts(s.issuedAt()))
                    .setSourceIdentity(nz(s.sourceIdentity()))
                    .setSessionId(s.sessionId())
                    .setChainDepth(s.chainDepth()));
        }
        return b.build();
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
            cmd.tags().forEach((k, v) -> put(tags, k, v));
            p.putFields("tags", Value.newBuilder().setStructValue(tags).build());
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

    private static Timestamp ts(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
