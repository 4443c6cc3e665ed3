package dev.sts.audit.domain;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sts.proto.v1.AssumeRoleDenied;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditResource;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.RoleChanged;
import dev.sts.proto.v1.SessionIssued;
import dev.sts.proto.v1.SessionsRevoked;
import dev.sts.proto.v1.StsEvent;

/** Turns events into CloudTrail-shaped audit records. Secrets are never in events, so never here. */
public final class AuditRecords {
    public static final String IAM = "iam.amazonaws.com";
    public static final String STS = "sts.amazonaws.com";

    private AuditRecords() {
    }

    /** The record for an event, or {@code null} for an event kind this version does not know. */
    public static AuditRecord fromEvent(StsEvent event) {
        return switch (event.getEventCase()) {
            case ROLE_CHANGED -> roleChanged(event.getRoleChanged());
            case SESSION_ISSUED -> sessionIssued(event.getSessionIssued());
            case ASSUME_ROLE_DENIED -> denied(event.getAssumeRoleDenied());
            case SESSIONS_REVOKED -> revoked(event.getSessionsRevoked());
            // State records of the permission view are not audit events: each change they
            // reflect is audited through its RoleChanged.
            case ROLE_STATE, MANAGED_POLICY_STATE, EVENT_NOT_SET -> null;
        };
    }

    private static AuditRecord.Builder base(EventHeader h, String source, String name) {
        return AuditRecord.newBuilder()
                .setEventVersion("1.0")
                .setUserIdentity(h.getActor())
                .setEventTime(h.getEventTime())
                .setEventSource(source)
                .setEventName(name)
                .setSourceIpAddress(h.getSourceIpAddress())
                .setUserAgent(h.getUserAgent())
                .setRequestId(h.getRequestId())
                .setEventId(h.getEventId())
                .setRecipientAccountId(h.getAccountId());
    }

    private static AuditRecord roleChanged(RoleChanged e) {
        String type = e.getResourceArn().contains(":policy/") ? "AWS::IAM::Policy" : "AWS::IAM::Role";
        AuditRecord.Builder r = base(e.getHeader(), IAM, e.getEventName())
                .setRequestParameters(e.getRequestParameters())
                .addResources(AuditResource.newBuilder().setArn(e.getResourceArn()).setAccountId(e.getHeader().getAccountId()).setType(type));
        if (e.getErrorCode().isEmpty()) {
            return r.setOutcome("Success").build();
        }
        // A refused call (CloudTrail records it with errorCode and errorMessage; nothing changed).
        return r.setOutcome("Failure").setErrorCode(e.getErrorCode()).setErrorMessage(e.getErrorMessage()).build();
    }

    private static AuditRecord sessionIssued(SessionIssued e) {
        Struct credentials = Struct.newBuilder()
                .putFields("accessKeyId", str(e.getAccessKeyId()))
                .putFields("expiration", str(com.google.protobuf.util.Timestamps.toString(e.getExpiration())))
                .build();
        Struct user = Struct.newBuilder()
                .putFields("arn", str(e.getAssumedRoleArn()))
                .putFields("assumedRoleId", str(e.getRoleId() + ":" + e.getRoleSessionName()))
                .build();
        Struct.Builder response = Struct.newBuilder()
                .putFields("credentials", Value.newBuilder().setStructValue(credentials).build())
                .putFields("assumedRoleUser", Value.newBuilder().setStructValue(user).build());
        if (!e.getSourceIdentity().isEmpty()) {
            response.putFields("sourceIdentity", str(e.getSourceIdentity()));
        }
        if (!e.getWebIdentityProviderArn().isEmpty()) {
            // AssumeRoleWithWebIdentity's response elements (STS API reference): the token's subject,
            // its issuer ("Provider": the iss claim, which the provider's ARN names without scheme)
            // and the audience that matched one of the provider's client ids.
            response.putFields("subjectFromWebIdentityToken", str(e.getSubjectFromWebIdentityToken()))
                    .putFields("provider", str(providerOf(e.getWebIdentityProviderArn())))
                    .putFields("audience", str(e.getWebIdentityAudience()));
        }
        return base(e.getHeader(), STS, e.getEventName())
                .setRequestParameters(e.getRequestParameters())
                .setResponseElements(response)
                .addResources(AuditResource.newBuilder().setArn(e.getRoleArn()).setAccountId(e.getHeader().getAccountId()).setType("AWS::IAM::Role"))
                .setOutcome("Success")
                .setAccessKeyId(e.getAccessKeyId())
                .setSessionId(e.getSessionId())
                .setSourceIdentity(e.getSourceIdentity())
                .build();
    }

    /** {@code arn:aws:iam::<account>:oidc-provider/<host/path>} -> {@code <host/path>}. */
    static String providerOf(String providerArn) {
        int i = providerArn.indexOf(":oidc-provider/");
        return i < 0 ? providerArn : providerArn.substring(i + ":oidc-provider/".length());
    }

    private static AuditRecord denied(AssumeRoleDenied e) {
        return base(e.getHeader(), STS, e.getEventName())
                .setRequestParameters(e.getRequestParameters())
                .addResources(AuditResource.newBuilder().setArn(e.getRoleArn()).setAccountId(e.getHeader().getAccountId()).setType("AWS::IAM::Role"))
                .setErrorCode(e.getErrorCode())
                .setErrorMessage(e.getErrorMessage())
                .setInternalReason(e.getReason())
                .setOutcome("Failure")
                .setSourceIdentity(e.getSourceIdentity())
                .build();
    }

    private static AuditRecord revoked(SessionsRevoked e) {
        Struct.Builder params = Struct.newBuilder().putFields("revocationId", str(e.getRevocationId()));
        switch (e.getSelectorCase()) {
            case SESSION_ID -> params.putFields("sessionId", str(e.getSessionId()));
            case ROLE_ARN -> params.putFields("roleArn", str(e.getRoleArn()));
            case SOURCE_IDENTITY -> params.putFields("sourceIdentity", str(e.getSourceIdentity()));
            case ISSUED_BEFORE -> params.putFields("issuedBefore", str(com.google.protobuf.util.Timestamps.toString(e.getIssuedBefore())));
            default -> {
            }
        }
        if (!e.getReason().isEmpty()) {
            params.putFields("reason", str(e.getReason()));
        }
        return base(e.getHeader(), STS, "RevokeSessions")
                .setRequestParameters(params)
                .setOutcome("Success")
                .setSessionId(e.getSelectorCase() == SessionsRevoked.SelectorCase.SESSION_ID ? e.getSessionId() : "")
                .setSourceIdentity(e.getSelectorCase() == SessionsRevoked.SelectorCase.SOURCE_IDENTITY ? e.getSourceIdentity() : "")
                .build();
    }

    /** The role ARN a record is about, for lookups. */
    public static String roleArn(AuditRecord r) {
        return r.getResourcesList().stream().filter(x -> x.getType().equals("AWS::IAM::Role")).map(AuditResource::getArn)
                .findFirst().orElse(null);
    }

    private static Value str(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
