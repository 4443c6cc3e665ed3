package dev.sts.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditResource;
import dev.sts.proto.v1.SessionContext;
import dev.sts.proto.v1.UserIdentity;
import org.junit.jupiter.api.Test;

class IndexedAttributesTest {
    static Struct sessionName(String name) {
        return Struct.newBuilder().putFields("roleSessionName", Value.newBuilder().setStringValue(name).build()).build();
    }

    @Test
    void anAssumeRoleRecordIsFoundByTheSessionAskedForNotByItsCallersSession() {
        AuditRecord r = AuditRecord.newBuilder().setEventSource(AuditRecords.STS).setEventName("AssumeRole")
                .setRequestParameters(sessionName("wanted"))
                .setUserIdentity(UserIdentity.newBuilder().setArn("arn:aws:sts::000000000000:assumed-role/A/caller")
                        .setSessionContext(SessionContext.newBuilder().setSessionId("parent")))
                .addResources(AuditResource.newBuilder().setArn("arn:aws:iam::000000000000:role/B")).build();
        IndexedAttributes a = IndexedAttributes.of(r);
        assertThat(a.sessionName()).isEqualTo("wanted");
        assertThat(a.callerSessionId()).isEqualTo("parent");
        assertThat(a.resourceArn()).isEqualTo("arn:aws:iam::000000000000:role/B");
        assertThat(a.errorCode()).isNull();
    }

    @Test
    void anyOtherRecordIsFoundByTheSessionItsCallerActedWith() {
        AuditRecord r = AuditRecord.newBuilder().setEventSource(AuditRecords.IAM).setEventName("CreateRole")
                .setUserIdentity(UserIdentity.newBuilder().setArn("arn:aws:sts::000000000000:assumed-role/Admin/ops-1")
                        .setSessionContext(SessionContext.newBuilder().setSessionId("s")))
                .setErrorCode("AccessDenied").build();
        assertThat(IndexedAttributes.of(r).sessionName()).isEqualTo("ops-1");
        assertThat(IndexedAttributes.of(r).errorCode()).isEqualTo("AccessDenied");
        AuditRecord byUser = r.toBuilder().setUserIdentity(UserIdentity.newBuilder().setArn("arn:aws:iam::000000000000:user/u")).build();
        assertThat(IndexedAttributes.of(byUser).sessionName()).isNull();
        assertThat(IndexedAttributes.of(byUser).callerSessionId()).isNull();
    }

    @Test
    void aValueLongerThanItsColumnIsLeftOutRatherThanStopIngestion() {
        AuditRecord r = AuditRecord.newBuilder().setEventSource(AuditRecords.STS).setEventName("AssumeRole")
                .setRequestParameters(sessionName("n".repeat(65))).setErrorCode("E".repeat(129))
                .addResources(AuditResource.newBuilder().setArn("arn:" + "x".repeat(2045))).build();
        IndexedAttributes a = IndexedAttributes.of(r);
        assertThat(a.sessionName()).isNull();
        assertThat(a.errorCode()).isNull();
        assertThat(a.resourceArn()).isNull();
    }

    /** The role filter reads the resource index (V7): whenever role_arn is set, resource_arn is that role. */
    @Test
    void theResourceOfARecordThatNamesARoleIsTheRole() {
        AuditResource policy = AuditResource.newBuilder().setArn("arn:aws:iam::000000000000:policy/P")
                .setType("AWS::IAM::ManagedPolicy").build();
        AuditResource role = AuditResource.newBuilder().setArn("arn:aws:iam::000000000000:role/R").setType("AWS::IAM::Role").build();
        AuditRecord both = AuditRecord.newBuilder().setEventSource(AuditRecords.IAM).setEventName("AttachRolePolicy")
                .addResources(policy).addResources(role).build();
        assertThat(IndexedAttributes.of(both).resourceArn()).isEqualTo(AuditRecords.roleArn(both)).isEqualTo(role.getArn());
        AuditRecord policyOnly = both.toBuilder().clearResources().addResources(policy).build();
        assertThat(AuditRecords.roleArn(policyOnly)).isNull();
        assertThat(IndexedAttributes.of(policyOnly).resourceArn()).isEqualTo(policy.getArn());
    }
}
