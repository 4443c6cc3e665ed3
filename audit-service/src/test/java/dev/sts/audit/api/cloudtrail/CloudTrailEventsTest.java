package dev.sts.audit.api.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.sts.audit.domain.AuditRecords;
import dev.sts.proto.v1.AssumeRoleDenied;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.RoleChanged;
import dev.sts.proto.v1.SessionContext;
import dev.sts.proto.v1.SessionIssued;
import dev.sts.proto.v1.SessionIssuer;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.UserIdentity;
import org.junit.jupiter.api.Test;

class CloudTrailEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "000000000000";
    private static final String ROLE = "arn:aws:iam::000000000000:role/S3Reader";
    private static final Timestamp AT = Timestamp.newBuilder().setSeconds(1764496800).setNanos(123_000_000).build();

    /** A session of role Dev (session "alice", source identity "alice@example.com"), as AuditIdentities writes it. */
    private static UserIdentity sessionCaller() {
        return UserIdentity.newBuilder().setType("AssumedRole").setPrincipalId("AROADEV:alice")
                .setArn("arn:aws:sts::000000000000:assumed-role/Dev/alice").setAccountId(ACCOUNT)
                .setAccessKeyId("ASIAEXAMPLECALLER01")
                .setSessionContext(SessionContext.newBuilder()
                        .setSessionIssuer(SessionIssuer.newBuilder().setType("Role").setPrincipalId("AROADEV")
                                .setArn("arn:aws:iam::000000000000:role/Dev").setAccountId(ACCOUNT).setUserName("Dev"))
                        .setCreationDate(Timestamp.newBuilder().setSeconds(1764493200))
                        .setSourceIdentity("alice@example.com").setSessionId("sess-parent").setChainDepth(1))
                .build();
    }

    private static EventHeader header(UserIdentity actor) {
        return EventHeader.newBuilder().setEventId("4b1e3b1c-1a0e-4c59-9a55-2f1f0b0b0b0b").setEventTime(AT)
                .setActor(actor).setRequestId("req-1").setSourceIpAddress("10.0.0.7").setUserAgent("aws-cli/2")
                .setAccountId(ACCOUNT).build();
    }

    private static AuditRecord assumeRole() {
        return AuditRecords.fromEvent(StsEvent.newBuilder().setSessionIssued(SessionIssued.newBuilder()
                .setHeader(header(sessionCaller())).setEventName("AssumeRole").setRoleArn(ROLE).setRoleId("AROAS3READER")
                .setAssumedRoleArn("arn:aws:sts::000000000000:assumed-role/S3Reader/job-1").setRoleSessionName("job-1")
                .setSessionId("sess-child").setAccessKeyId("ASIAEXAMPLEISSUED01")
                .setExpiration(Timestamp.newBuilder().setSeconds(1764500400))
                .setRequestParameters(Struct.newBuilder()
                        .putFields("roleArn", Value.newBuilder().setStringValue(ROLE).build())
                        .putFields("roleSessionName", Value.newBuilder().setStringValue("job-1").build())
                        .putFields("durationSeconds", Value.newBuilder().setNumberValue(3600).build())))
                .build());
    }

    @Test
    void anAssumeRoleIsTheLookupEventCloudTrailReturns() throws Exception {
        JsonNode e = CloudTrailEvents.event(assumeRole());

        assertThat(e.get("EventId").asText()).isEqualTo("4b1e3b1c-1a0e-4c59-9a55-2f1f0b0b0b0b");
        assertThat(e.get("EventName").asText()).isEqualTo("AssumeRole");
        assertThat(e.get("ReadOnly").asText()).isEqualTo("true");
        assertThat(e.get("AccessKeyId").asText()).isEqualTo("ASIAEXAMPLECALLER01");
        assertThat(e.get("EventTime").decimalValue()).isEqualByComparingTo("1764496800.123");
        assertThat(e.get("EventSource").asText()).isEqualTo("sts.amazonaws.com");
        assertThat(e.get("Username").asText()).isEqualTo("alice");
        assertThat(e.get("Resources").toString()).isEqualTo("[{\"ResourceType\":\"AWS::IAM::Role\",\"ResourceName\":\"" + ROLE
                + "\"},{\"ResourceType\":\"AWS::IAM::AccessKey\",\"ResourceName\":\"ASIAEXAMPLEISSUED01\"},"
                + "{\"ResourceType\":\"AWS::STS::AssumedRole\",\"ResourceName\":\"AROAS3READER:job-1\"}]");
        assertThat(e.get("CloudTrailEvent").isTextual()).isTrue();
    }

    @Test
    void theCloudTrailEventOfAnAssumeRoleIsCloudTrailsRecord() throws Exception {
        JsonNode r = JSON.readTree(CloudTrailEvents.event(assumeRole()).get("CloudTrailEvent").asText());

        assertThat(r.get("eventVersion").asText()).isEqualTo("1.08");
        JsonNode u = r.get("userIdentity");
        assertThat(u.get("type").asText()).isEqualTo("AssumedRole");
        assertThat(u.get("principalId").asText()).isEqualTo("AROADEV:alice");
        assertThat(u.get("arn").asText()).isEqualTo("arn:aws:sts::000000000000:assumed-role/Dev/alice");
        assertThat(u.get("accountId").asText()).isEqualTo(ACCOUNT);
        assertThat(u.get("accessKeyId").asText()).isEqualTo("ASIAEXAMPLECALLER01");
        JsonNode c = u.get("sessionContext");
        assertThat(c.get("sessionIssuer").toString()).isEqualTo("{\"type\":\"Role\",\"principalId\":\"AROADEV\","
                + "\"arn\":\"arn:aws:iam::000000000000:role/Dev\",\"accountId\":\"000000000000\",\"userName\":\"Dev\"}");
        assertThat(c.get("webIdFederationData").isObject()).isTrue();
        assertThat(c.get("attributes").get("creationDate").asText()).isEqualTo("2025-11-30T09:00:00Z");
        assertThat(c.get("attributes").get("mfaAuthenticated").asText()).isEqualTo("false");
        assertThat(c.get("sourceIdentity").asText()).isEqualTo("alice@example.com");
        assertThat(r.get("eventTime").asText()).isEqualTo("2025-11-30T10:00:00Z");
        assertThat(r.get("eventSource").asText()).isEqualTo("sts.amazonaws.com");
        assertThat(r.get("eventName").asText()).isEqualTo("AssumeRole");
        assertThat(r.get("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(r.get("sourceIPAddress").asText()).isEqualTo("10.0.0.7");
        assertThat(r.get("userAgent").asText()).isEqualTo("aws-cli/2");
        assertThat(r.get("requestParameters").toString())
                .isEqualTo("{\"roleArn\":\"" + ROLE + "\",\"roleSessionName\":\"job-1\",\"durationSeconds\":3600}");
        JsonNode credentials = r.get("responseElements").get("credentials");
        assertThat(credentials.get("accessKeyId").asText()).isEqualTo("ASIAEXAMPLEISSUED01");
        assertThat(credentials.get("expiration").asText()).isEqualTo("2025-11-30T11:00:00Z");
        assertThat(credentials.has("secretAccessKey")).isFalse();
        assertThat(credentials.has("sessionToken")).isFalse();
        assertThat(r.get("responseElements").get("assumedRoleUser").get("arn").asText())
                .isEqualTo("arn:aws:sts::000000000000:assumed-role/S3Reader/job-1");
        assertThat(r.get("requestID").asText()).isEqualTo("req-1");
        assertThat(r.get("eventID").asText()).isEqualTo("4b1e3b1c-1a0e-4c59-9a55-2f1f0b0b0b0b");
        assertThat(r.get("readOnly").asBoolean()).isTrue();
        assertThat(r.get("resources").toString())
                .isEqualTo("[{\"accountId\":\"000000000000\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"" + ROLE + "\"}]");
        assertThat(r.get("eventType").asText()).isEqualTo("AwsApiCall");
        assertThat(r.get("recipientAccountId").asText()).isEqualTo(ACCOUNT);
        assertThat(r.has("errorCode")).isFalse();
        assertThat(r.get("additionalEventData").get("sessionId").asText()).isEqualTo("sess-parent");
        assertThat(r.get("additionalEventData").get("issuedSessionId").asText()).isEqualTo("sess-child");
    }

    @Test
    void aDenialCarriesCloudTrailsErrorCodeAndMessage() throws Exception {
        AuditRecord denied = AuditRecords.fromEvent(StsEvent.newBuilder().setAssumeRoleDenied(AssumeRoleDenied.newBuilder()
                .setHeader(header(UserIdentity.newBuilder().setType("IAMUser").setPrincipalId("AIDABOB")
                        .setArn("arn:aws:iam::000000000000:user/ops/bob").setAccountId(ACCOUNT).build()))
                .setEventName("AssumeRole").setRoleArn(ROLE).setRoleSessionName("s1").setErrorCode("AccessDenied")
                .setErrorMessage("User: arn:aws:iam::000000000000:user/ops/bob is not authorized to perform: sts:AssumeRole")
                .setReason("trust policy: implicit deny")).build());
        JsonNode e = CloudTrailEvents.event(denied);
        JsonNode r = JSON.readTree(e.get("CloudTrailEvent").asText());

        assertThat(e.get("Username").asText()).isEqualTo("bob");
        assertThat(e.has("AccessKeyId")).isFalse();
        assertThat(r.get("errorCode").asText()).isEqualTo("AccessDenied");
        assertThat(r.get("errorMessage").asText()).startsWith("User: arn:aws:iam::000000000000:user/ops/bob is not authorized");
        assertThat(r.get("userIdentity").get("userName").asText()).isEqualTo("bob");
        assertThat(r.get("userIdentity").has("sessionContext")).isFalse();
        assertThat(r.get("responseElements").isNull()).isTrue();
        assertThat(r.get("additionalEventData").get("denialReason").asText()).isEqualTo("trust policy: implicit deny");
    }

    @Test
    void aRoleChangeIsAWriteOnIam() throws Exception {
        AuditRecord change = AuditRecords.fromEvent(StsEvent.newBuilder().setRoleChanged(RoleChanged.newBuilder()
                .setHeader(header(UserIdentity.newBuilder().setType("Root").setPrincipalId(ACCOUNT)
                        .setArn("arn:aws:iam::000000000000:root").setAccountId(ACCOUNT).build()))
                .setEventName("CreateRole").setResourceArn(ROLE)).build());
        JsonNode e = CloudTrailEvents.event(change);

        assertThat(e.get("ReadOnly").asText()).isEqualTo("false");
        assertThat(e.get("EventSource").asText()).isEqualTo("iam.amazonaws.com");
        assertThat(e.get("Username").asText()).isEqualTo("root");
    }

    @Test
    void aWebIdentityCallerIsNamedByItsTokensSubjectAndIssuer() throws Exception {
        AuditRecord r = AuditRecords.fromEvent(StsEvent.newBuilder().setSessionIssued(SessionIssued.newBuilder()
                .setHeader(header(UserIdentity.newBuilder().setType("WebIdentityUser")
                        .setPrincipalId("issuer.example.com:sts:system:serviceaccount:ns:app").setAccountId(ACCOUNT).build()))
                .setEventName("AssumeRoleWithWebIdentity").setRoleArn(ROLE).setRoleId("AROAS3READER")
                .setAssumedRoleArn("arn:aws:sts::000000000000:assumed-role/S3Reader/app").setRoleSessionName("app")
                .setAccessKeyId("ASIAEXAMPLEISSUED02").setExpiration(AT)
                .setWebIdentityProviderArn("arn:aws:iam::000000000000:oidc-provider/issuer.example.com")
                .setSubjectFromWebIdentityToken("system:serviceaccount:ns:app").setWebIdentityAudience("sts")).build());
        JsonNode e = CloudTrailEvents.event(r);
        JsonNode u = JSON.readTree(e.get("CloudTrailEvent").asText()).get("userIdentity");

        assertThat(e.get("Username").asText()).isEqualTo("system:serviceaccount:ns:app");
        assertThat(u.get("type").asText()).isEqualTo("WebIdentityUser");
        assertThat(u.get("userName").asText()).isEqualTo("system:serviceaccount:ns:app");
        assertThat(u.get("identityProvider").asText()).isEqualTo("issuer.example.com");
    }

    @Test
    void noFieldNamedAsASecretLeavesInAnyStructAtAnyDepth() {
        Struct inner = Struct.newBuilder()
                .putFields("accessKeyId", Value.newBuilder().setStringValue("ASIA1").build())
                .putFields("secretAccessKey", Value.newBuilder().setStringValue("s3cr3t").build())
                .putFields("sessionToken", Value.newBuilder().setStringValue("eyJ.t.k").build()).build();
        Struct outer = Struct.newBuilder()
                .putFields("credentials", Value.newBuilder().setStructValue(inner).build())
                .putFields("webIdentityToken", Value.newBuilder().setStringValue("eyJ.w.t").build()).build();

        String json = CloudTrailEvents.struct(outer).toString();
        assertThat(json).contains("ASIA1").doesNotContain("s3cr3t").doesNotContain("eyJ");
    }
}
