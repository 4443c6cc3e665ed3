package dev.sts.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.RoleChanged;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.SessionIssued;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.UserIdentity;
import org.junit.jupiter.api.Test;

class AuditRecordsTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/team-a/app";

    private static RoleChanged.Builder change() {
        return RoleChanged.newBuilder()
                .setHeader(EventHeader.newBuilder().setEventId("e-1").setAccountId("000000000000")
                        .setActor(UserIdentity.newBuilder().setType("AssumedRole")
                                .setArn("arn:aws:sts::000000000000:assumed-role/Dev/alice")))
                .setEventName("PutRolePolicy")
                .setResourceArn(ROLE);
    }

    @Test
    void aChangeIsASuccessOnTheRole() {
        AuditRecord r = AuditRecords.fromEvent(StsEvent.newBuilder().setRoleChanged(change()).build());

        assertThat(r.getOutcome()).isEqualTo("Success");
        assertThat(r.getErrorCode()).isEmpty();
        assertThat(r.getEventSource()).isEqualTo(AuditRecords.IAM);
        assertThat(AuditRecords.roleArn(r)).isEqualTo(ROLE);
    }

    @Test
    void aRefusedCallIsAFailureWithTheErrorTheCallerGot() {
        String message = "User: arn:aws:sts::000000000000:assumed-role/Dev/alice is not authorized to perform: "
                + "iam:PutRolePolicy on resource: " + ROLE;
        AuditRecord r = AuditRecords.fromEvent(StsEvent.newBuilder()
                .setRoleChanged(change().setErrorCode("AccessDenied").setErrorMessage(message)).build());

        assertThat(r.getOutcome()).isEqualTo("Failure");
        assertThat(r.getErrorCode()).isEqualTo("AccessDenied");
        assertThat(r.getErrorMessage()).isEqualTo(message);
        assertThat(r.getUserIdentity().getArn()).isEqualTo("arn:aws:sts::000000000000:assumed-role/Dev/alice");
    }

    @Test
    void permissionViewStateIsNotAnAuditEvent() {
        assertThat(AuditRecords.fromEvent(StsEvent.newBuilder()
                .setRoleState(RoleState.newBuilder().setArn(ROLE)).build())).isNull();
    }

    @Test
    void aWebIdentitySessionRecordsTheSubjectProviderAndAudienceAsCloudTrailDoes() {
        AuditRecord r = AuditRecords.fromEvent(StsEvent.newBuilder().setSessionIssued(SessionIssued.newBuilder()
                .setHeader(EventHeader.newBuilder().setEventId("e-2").setAccountId("000000000000")
                        .setActor(UserIdentity.newBuilder().setType("WebIdentityUser")))
                .setEventName("AssumeRoleWithWebIdentity").setRoleArn(ROLE).setRoleId("AROAEXAMPLE")
                .setRoleSessionName("pod").setAssumedRoleArn("arn:aws:sts::000000000000:assumed-role/app/pod")
                .setAccessKeyId("ASIAEXAMPLE").setSessionId("s-1")
                .setWebIdentityProviderArn("arn:aws:iam::000000000000:oidc-provider/oidc.example.com/id/ABC")
                .setSubjectFromWebIdentityToken("system:serviceaccount:ns:sa").setWebIdentityAudience("sts"))
                .build());

        var response = r.getResponseElements().getFieldsMap();
        assertThat(response.get("subjectFromWebIdentityToken").getStringValue()).isEqualTo("system:serviceaccount:ns:sa");
        assertThat(response.get("provider").getStringValue()).isEqualTo("oidc.example.com/id/ABC");
        assertThat(response.get("audience").getStringValue()).isEqualTo("sts");
        assertThat(r.getEventName()).isEqualTo("AssumeRoleWithWebIdentity");
        assertThat(r.getUserIdentity().getType()).isEqualTo("WebIdentityUser");
    }
}
