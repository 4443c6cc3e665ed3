package dev.sts.audit.cloudtrail;

import static dev.sts.kit.iam.RoleStates.allow;
import static dev.sts.kit.iam.RoleStates.inline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.sts.audit.AuditDatabaseResource;
import dev.sts.audit.SessionTokens;
import dev.sts.audit.SessionTokensResource;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.events.Topics;
import dev.sts.kit.iam.RoleStates;
import dev.sts.kit.testing.AwsTestKeys;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.AssumeRoleDenied;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.RoleChanged;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.SessionContext;
import dev.sts.proto.v1.SessionIssued;
import dev.sts.proto.v1.SessionIssuer;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.UserIdentity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.InvalidLookupAttributesException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidMaxResultsException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidTimeRangeException;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/**
 * CloudTrail's LookupEvents through the AWS SDK for Java v2, against the real audit-service with
 * records ingested from the real Kafka into the real PostgreSQL, signed (SigV4) with a bootstrap
 * long-term key and with session credentials. The records of this class lie in a time window of
 * their own, so each lookup's answer is known exactly.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
@QuarkusTestResource(SessionTokensResource.class)
class CloudTrailLookupEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = RoleStates.ACCOUNT;
    private static final String U = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static final String READER = "arn:aws:iam::000000000000:role/S3Reader" + U;
    private static final String OTHER = "arn:aws:iam::000000000000:role/Other" + U;
    private static final String BOB = "arn:aws:iam::000000000000:user/ops/bob" + U;
    private static final String ALICE_KEY = "ASIAALICE" + U.toUpperCase();
    private static final String CAROL_KEY = "ASIACAROL" + U.toUpperCase();
    private static final String ISSUED_KEY = "ASIAISSUED" + U.toUpperCase();
    /** A window of this class's own, days in the past, so no other test's records fall in it. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS)
            .minus(Duration.ofDays(3)).minusSeconds(ThreadLocalRandom.current().nextInt(86_400));
    private static final List<String> IDS = new ArrayList<>();

    static KafkaProducer<String, byte[]> producer;
    static CloudTrailClient admin;

    @BeforeAll
    static void ingest() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        admin = client(AwsBasicCredentials.create(AwsTestKeys.ADMIN_ACCESS_KEY_ID, AwsTestKeys.adminSecret()));

        // e1 (t+1): alice's session assumes S3Reader.   e2 (t+2): bob is refused S3Reader.
        // e3 (t+3): the root creates S3Reader.          e4..e8 (t+4..t+8): carol's session assumes Other.
        send(Topics.SESSION_EVENTS, READER, StsEvent.newBuilder().setSessionIssued(issued(1, session("Dev", "alice", ALICE_KEY),
                READER, "job-1", ISSUED_KEY)).build());
        send(Topics.SESSION_EVENTS, READER, StsEvent.newBuilder().setAssumeRoleDenied(AssumeRoleDenied.newBuilder()
                .setHeader(header(2, UserIdentity.newBuilder().setType("IAMUser").setPrincipalId("AIDABOB" + U).setArn(BOB)
                        .setAccountId(ACCOUNT).build()))
                .setEventName("AssumeRole").setRoleArn(READER).setRoleSessionName("try")
                .setErrorCode("AccessDenied").setErrorMessage("User: " + BOB + " is not authorized to perform: sts:AssumeRole on resource: " + READER)
                .setReason("trust policy: implicit deny")
                .setRequestParameters(Struct.newBuilder().putFields("roleArn", str(READER)).putFields("roleSessionName", str("try"))))
                .build());
        send(Topics.ROLE_EVENTS, READER, StsEvent.newBuilder().setRoleChanged(RoleChanged.newBuilder()
                .setHeader(header(3, UserIdentity.newBuilder().setType("Root").setPrincipalId(ACCOUNT)
                        .setArn("arn:aws:iam::000000000000:root").setAccountId(ACCOUNT)
                        .setAccessKeyId(AwsTestKeys.ADMIN_ACCESS_KEY_ID).build()))
                .setEventName("CreateRole").setResourceArn(READER)
                .setRequestParameters(Struct.newBuilder().putFields("roleName", str("S3Reader" + U)))).build());
        for (int i = 4; i <= 8; i++) {
            send(Topics.SESSION_EVENTS, OTHER, StsEvent.newBuilder().setSessionIssued(issued(i, session("Dev", "carol", CAROL_KEY),
                    OTHER, "batch-" + i, "ASIAOTHER" + i + U.toUpperCase())).build());
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> lookup(b -> b.startTime(T0).endTime(T0.plusSeconds(8))).size() == 8);
    }

    @AfterAll
    static void close() {
        producer.close();
        admin.close();
    }

    static CloudTrailClient client(AwsCredentials credentials) {
        return CloudTrailClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + TestChannels.port()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static Value str(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static EventHeader header(int second, UserIdentity actor) {
        String id = UUID.randomUUID().toString();
        IDS.add(id);
        return EventHeader.newBuilder().setEventId(id)
                .setEventTime(Timestamp.newBuilder().setSeconds(T0.getEpochSecond() + second))
                .setActor(actor).setRequestId("req-" + second + "-" + U).setSourceIpAddress("10.1.2." + second)
                .setUserAgent("aws-cli/2.22").setAccountId(ACCOUNT).build();
    }

    /** A caller acting through a session of {@code role}, as the kit's AuditIdentities records it. */
    private static UserIdentity session(String role, String sessionName, String accessKeyId) {
        return UserIdentity.newBuilder().setType("AssumedRole").setPrincipalId("AROA" + role.toUpperCase() + ":" + sessionName)
                .setArn("arn:aws:sts::000000000000:assumed-role/" + role + "/" + sessionName).setAccountId(ACCOUNT)
                .setAccessKeyId(accessKeyId)
                .setSessionContext(SessionContext.newBuilder()
                        .setSessionIssuer(SessionIssuer.newBuilder().setType("Role").setPrincipalId("AROA" + role.toUpperCase())
                                .setArn("arn:aws:iam::000000000000:role/" + role).setAccountId(ACCOUNT).setUserName(role))
                        .setCreationDate(Timestamp.newBuilder().setSeconds(T0.getEpochSecond() - 600))
                        .setSourceIdentity(sessionName + "@example.com").setSessionId("sess-" + sessionName + U).setChainDepth(1))
                .build();
    }

    private static SessionIssued issued(int second, UserIdentity caller, String roleArn, String sessionName, String issuedKey) {
        String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        return SessionIssued.newBuilder().setHeader(header(second, caller)).setEventName("AssumeRole")
                .setRoleArn(roleArn).setRoleId("AROA" + roleName.toUpperCase())
                .setAssumedRoleArn("arn:aws:sts::000000000000:assumed-role/" + roleName + "/" + sessionName)
                .setRoleSessionName(sessionName).setSessionId("sess-" + sessionName + U).setAccessKeyId(issuedKey)
                .setIssuedAt(Timestamp.newBuilder().setSeconds(T0.getEpochSecond() + second))
                .setExpiration(Timestamp.newBuilder().setSeconds(T0.getEpochSecond() + second + 3600))
                .setChainDepth(2).setSigningKeyId("k1")
                .setRequestParameters(Struct.newBuilder().putFields("roleArn", str(roleArn))
                        .putFields("roleSessionName", str(sessionName))
                        .putFields("durationSeconds", Value.newBuilder().setNumberValue(3600).build()))
                .build();
    }

    private static void send(String topic, String key, StsEvent event) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, event.toByteArray())).get();
    }

    /** Every event of a lookup, following NextToken to the end. */
    static List<Event> lookup(java.util.function.Consumer<LookupEventsRequest.Builder> request) {
        return admin.lookupEventsPaginator(b -> request.accept(b)).events().stream().toList();
    }

    /** The 1-based numbers (e1..e8) of the events a lookup in this class's window finds, in the order returned. */
    static List<Integer> found(LookupAttributeKey key, String value) {
        return lookup(b -> b.startTime(T0).endTime(T0.plusSeconds(8))
                .lookupAttributes(LookupAttribute.builder().attributeKey(key).attributeValue(value).build()))
                .stream().map(e -> IDS.indexOf(e.eventId()) + 1).toList();
    }

    @Test
    void eachLookupAttributeFindsExactlyItsEventsNewestFirst() {
        assertThat(found(LookupAttributeKey.EVENT_ID, IDS.get(1))).containsExactly(2);
        assertThat(found(LookupAttributeKey.EVENT_ID, UUID.randomUUID().toString())).isEmpty();
        assertThat(found(LookupAttributeKey.EVENT_NAME, "CreateRole")).containsExactly(3);
        assertThat(found(LookupAttributeKey.EVENT_NAME, "AssumeRole")).containsExactly(8, 7, 6, 5, 4, 2, 1);
        assertThat(found(LookupAttributeKey.READ_ONLY, "false")).containsExactly(3);
        assertThat(found(LookupAttributeKey.READ_ONLY, "true")).containsExactly(8, 7, 6, 5, 4, 2, 1);
        assertThat(found(LookupAttributeKey.USERNAME, "alice")).containsExactly(1);
        assertThat(found(LookupAttributeKey.USERNAME, "bob" + U)).containsExactly(2);
        assertThat(found(LookupAttributeKey.USERNAME, "root")).containsExactly(3);
        assertThat(found(LookupAttributeKey.USERNAME, "carol")).containsExactly(8, 7, 6, 5, 4);
        assertThat(found(LookupAttributeKey.RESOURCE_TYPE, "AWS::IAM::AccessKey")).containsExactly(8, 7, 6, 5, 4, 1);
        assertThat(found(LookupAttributeKey.RESOURCE_TYPE, "AWS::IAM::Role")).containsExactly(8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(found(LookupAttributeKey.RESOURCE_NAME, READER)).containsExactly(3, 2, 1);
        assertThat(found(LookupAttributeKey.RESOURCE_NAME, ISSUED_KEY)).containsExactly(1);
        assertThat(found(LookupAttributeKey.EVENT_SOURCE, "iam.amazonaws.com")).containsExactly(3);
        assertThat(found(LookupAttributeKey.EVENT_SOURCE, "sts.amazonaws.com")).containsExactly(8, 7, 6, 5, 4, 2, 1);
        assertThat(found(LookupAttributeKey.ACCESS_KEY_ID, ALICE_KEY)).containsExactly(1);
        assertThat(found(LookupAttributeKey.ACCESS_KEY_ID, AwsTestKeys.ADMIN_ACCESS_KEY_ID)).containsExactly(3);
        // The key an AssumeRole issued did not sign it: CloudTrail's AccessKeyId is the signer's.
        assertThat(found(LookupAttributeKey.ACCESS_KEY_ID, ISSUED_KEY)).isEmpty();
    }

    @Test
    void theTimeRangeIsInclusiveAtBothEnds() {
        assertThat(lookup(b -> b.startTime(T0.plusSeconds(2)).endTime(T0.plusSeconds(3))))
                .extracting(Event::eventId).containsExactly(IDS.get(2), IDS.get(1));
        assertThat(lookup(b -> b.startTime(T0.plusSeconds(5)).endTime(T0.plusSeconds(5))))
                .extracting(Event::eventId).containsExactly(IDS.get(4));
    }

    @Test
    void nextTokenPagesThroughEveryEventOnce() {
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            LookupEventsResponse page = admin.lookupEvents(b -> b.startTime(T0).endTime(T0.plusSeconds(8)).maxResults(3).nextToken(t));
            page.events().forEach(e -> seen.add(e.eventId()));
            sizes.add(page.events().size());
            token = page.nextToken();
        } while (token != null);
        assertThat(sizes).containsExactly(3, 3, 2);
        assertThat(seen).containsExactlyElementsOf(newestFirst(IDS));

        // A filter without a column of its own pages the same way.
        List<String> carol = new ArrayList<>();
        token = null;
        do {
            String t = token;
            LookupEventsResponse page = admin.lookupEvents(b -> b.startTime(T0).endTime(T0.plusSeconds(8)).maxResults(2).nextToken(t)
                    .lookupAttributes(LookupAttribute.builder().attributeKey(LookupAttributeKey.USERNAME).attributeValue("carol").build()));
            assertThat(page.events().size()).isLessThanOrEqualTo(2);
            page.events().forEach(e -> carol.add(e.eventId()));
            token = page.nextToken();
        } while (token != null);
        assertThat(carol).containsExactlyElementsOf(newestFirst(IDS.subList(3, 8)));
    }

    @Test
    void anAssumeRoleIsTheEventAndRecordCloudTrailWrites() throws Exception {
        Event e = lookup(b -> b.lookupAttributes(LookupAttribute.builder().attributeKey(LookupAttributeKey.EVENT_ID)
                .attributeValue(IDS.get(0)).build())).get(0);
        assertThat(e.eventName()).isEqualTo("AssumeRole");
        assertThat(e.readOnly()).isEqualTo("true");
        assertThat(e.accessKeyId()).isEqualTo(ALICE_KEY);
        assertThat(e.eventTime()).isEqualTo(T0.plusSeconds(1));
        assertThat(e.eventSource()).isEqualTo("sts.amazonaws.com");
        assertThat(e.username()).isEqualTo("alice");
        assertThat(e.resources()).extracting(r -> r.resourceType() + " " + r.resourceName()).containsExactly(
                "AWS::IAM::Role " + READER, "AWS::IAM::AccessKey " + ISSUED_KEY, "AWS::STS::AssumedRole AROAS3READER" + U.toUpperCase() + ":job-1");

        JsonNode r = JSON.readTree(e.cloudTrailEvent());
        assertThat(r.get("eventVersion").asText()).isEqualTo("1.08");
        JsonNode u = r.get("userIdentity");
        assertThat(u.get("type").asText()).isEqualTo("AssumedRole");
        assertThat(u.get("principalId").asText()).isEqualTo("AROADEV:alice");
        assertThat(u.get("arn").asText()).isEqualTo("arn:aws:sts::000000000000:assumed-role/Dev/alice");
        assertThat(u.get("accountId").asText()).isEqualTo(ACCOUNT);
        assertThat(u.get("accessKeyId").asText()).isEqualTo(ALICE_KEY);
        assertThat(u.at("/sessionContext/sessionIssuer/arn").asText()).isEqualTo("arn:aws:iam::000000000000:role/Dev");
        assertThat(u.at("/sessionContext/sessionIssuer/userName").asText()).isEqualTo("Dev");
        assertThat(u.at("/sessionContext/attributes/creationDate").asText()).isEqualTo(T0.minusSeconds(600).toString());
        assertThat(u.at("/sessionContext/attributes/mfaAuthenticated").asText()).isEqualTo("false");
        assertThat(u.at("/sessionContext/sourceIdentity").asText()).isEqualTo("alice@example.com");
        assertThat(u.at("/sessionContext/webIdFederationData").isObject()).isTrue();
        assertThat(r.get("eventTime").asText()).isEqualTo(T0.plusSeconds(1).toString());
        assertThat(r.get("eventSource").asText()).isEqualTo("sts.amazonaws.com");
        assertThat(r.get("eventName").asText()).isEqualTo("AssumeRole");
        assertThat(r.get("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(r.get("sourceIPAddress").asText()).isEqualTo("10.1.2.1");
        assertThat(r.get("userAgent").asText()).isEqualTo("aws-cli/2.22");
        assertThat(r.get("requestParameters").toString()).isEqualTo("{\"roleArn\":\"" + READER
                + "\",\"roleSessionName\":\"job-1\",\"durationSeconds\":3600}");
        assertThat(r.at("/responseElements/credentials/accessKeyId").asText()).isEqualTo(ISSUED_KEY);
        assertThat(r.at("/responseElements/credentials/expiration").asText()).isEqualTo(T0.plusSeconds(3601).toString());
        assertThat(r.at("/responseElements/assumedRoleUser/arn").asText())
                .isEqualTo("arn:aws:sts::000000000000:assumed-role/S3Reader" + U + "/job-1");
        assertThat(e.cloudTrailEvent()).doesNotContain("secretAccessKey").doesNotContain("sessionToken");
        assertThat(r.get("requestID").asText()).isEqualTo("req-1-" + U);
        assertThat(r.get("eventID").asText()).isEqualTo(IDS.get(0));
        assertThat(r.get("readOnly").asBoolean()).isTrue();
        assertThat(r.get("eventType").asText()).isEqualTo("AwsApiCall");
        assertThat(r.get("recipientAccountId").asText()).isEqualTo(ACCOUNT);
        assertThat(r.get("resources").toString()).isEqualTo("[{\"accountId\":\"000000000000\",\"type\":\"AWS::IAM::Role\",\"ARN\":\""
                + READER + "\"}]");
        assertThat(r.has("errorCode")).isFalse();
        // Its place in the hash chain, for VerifyChain.
        assertThat(r.at("/additionalEventData/chainId").asText()).startsWith(Topics.SESSION_EVENTS + "/");
        assertThat(r.at("/additionalEventData/recordHash").asText()).hasSize(64);
    }

    @Test
    void aDenialCarriesItsErrorCodeAndMessage() throws Exception {
        Event e = lookup(b -> b.lookupAttributes(LookupAttribute.builder().attributeKey(LookupAttributeKey.EVENT_ID)
                .attributeValue(IDS.get(1)).build())).get(0);
        JsonNode r = JSON.readTree(e.cloudTrailEvent());
        assertThat(e.username()).isEqualTo("bob" + U);
        assertThat(e.accessKeyId()).isNull();
        assertThat(r.get("errorCode").asText()).isEqualTo("AccessDenied");
        assertThat(r.get("errorMessage").asText()).isEqualTo("User: " + BOB + " is not authorized to perform: sts:AssumeRole on resource: " + READER);
        assertThat(r.at("/userIdentity/type").asText()).isEqualTo("IAMUser");
        assertThat(r.at("/userIdentity/userName").asText()).isEqualTo("bob" + U);
        assertThat(r.get("responseElements").isNull()).isTrue();
        assertThat(r.at("/additionalEventData/denialReason").asText()).isEqualTo("trust policy: implicit deny");
    }

    @Test
    void badParametersAreCloudTrailsErrors() {
        LookupAttribute name = LookupAttribute.builder().attributeKey(LookupAttributeKey.EVENT_NAME).attributeValue("AssumeRole").build();
        LookupAttribute user = LookupAttribute.builder().attributeKey(LookupAttributeKey.USERNAME).attributeValue("alice").build();
        assertError(catchThrowableOfType(InvalidLookupAttributesException.class,
                () -> admin.lookupEvents(b -> b.lookupAttributes(name, user))), "InvalidLookupAttributesException");
        assertError(catchThrowableOfType(InvalidLookupAttributesException.class,
                () -> admin.lookupEvents(b -> b.lookupAttributes(LookupAttribute.builder().attributeKey("Principal").attributeValue("x").build()))),
                "InvalidLookupAttributesException");
        assertError(catchThrowableOfType(InvalidTimeRangeException.class,
                () -> admin.lookupEvents(b -> b.startTime(T0.plusSeconds(1)).endTime(T0))), "InvalidTimeRangeException");
        assertError(catchThrowableOfType(InvalidMaxResultsException.class,
                () -> admin.lookupEvents(b -> b.maxResults(51))), "InvalidMaxResultsException");
        assertError(catchThrowableOfType(InvalidNextTokenException.class,
                () -> admin.lookupEvents(b -> b.nextToken("bm90IGEgdG9rZW4"))), "InvalidNextTokenException");
        // A token is bound to the parameters it was returned for.
        String token = admin.lookupEvents(b -> b.startTime(T0).endTime(T0.plusSeconds(8)).maxResults(1)).nextToken();
        assertThat(token).isNotNull();
        assertError(catchThrowableOfType(InvalidNextTokenException.class,
                () -> admin.lookupEvents(b -> b.startTime(T0).endTime(T0.plusSeconds(7)).nextToken(token))), "InvalidNextTokenException");
    }

    static List<String> newestFirst(List<String> ids) {
        List<String> out = new ArrayList<>(ids);
        java.util.Collections.reverse(out);
        return out;
    }

    static void assertError(CloudTrailException e, String code) {
        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
        assertThat(e.awsErrorDetails().errorMessage()).isNotBlank();
        assertThat(e.requestId()).isNotBlank();
    }

    @Test
    void sessionCredentialsAreAuthorizedByTheirRolesPolicies() throws Exception {
        String name = "Auditor" + U;
        RoleState auditor = RoleStates.role(name).addInlinePolicies(inline("Lookups", allow("audit:LookupEvents", "*"))).build();
        RoleState other = RoleStates.role("NoAudit" + U).addInlinePolicies(inline("One", allow("audit:GetEvent", "*"))).build();
        send(Topics.PERMISSION_STATE, auditor.getArn(), StsEvent.newBuilder().setRoleState(auditor).build());
        send(Topics.PERMISSION_STATE, other.getArn(), StsEvent.newBuilder().setRoleState(other).build());

        try (CloudTrailClient allowed = client(SessionTokens.credentials(auditor, "auditor"));
                CloudTrailClient refused = client(SessionTokens.credentials(other, "intruder"))) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(CloudTrailException.class)
                    .until(() -> allowed.lookupEvents(b -> b.lookupAttributes(LookupAttribute.builder()
                            .attributeKey(LookupAttributeKey.EVENT_ID).attributeValue(IDS.get(2)).build())).events().size() == 1);

            String expected = "User: arn:aws:sts::000000000000:assumed-role/NoAudit" + U + "/intruder is not authorized to perform:"
                    + " audit:LookupEvents on resource: * because no identity-based policy allows the audit:LookupEvents action";
            // The wait is for the role's state to reach the permission view; the denial then names
            // the role's policies, as the gRPC LookupEvents' denial does.
            CloudTrailException denied = await().atMost(Duration.ofSeconds(30)).until(
                    () -> catchThrowableOfType(CloudTrailException.class, () -> refused.lookupEvents(b -> b.maxResults(1))),
                    e -> e != null && expected.equals(e.awsErrorDetails().errorMessage()));
            assertError(denied, "AccessDeniedException");
        }
    }

    @Test
    void aLongTermKeyWithoutAdministratorRightsIsRefused() {
        try (CloudTrailClient user = client(AwsBasicCredentials.create(AwsTestKeys.USER_ACCESS_KEY_ID, AwsTestKeys.userSecret()))) {
            assertError(catchThrowableOfType(CloudTrailException.class, () -> user.lookupEvents(b -> b.maxResults(1))),
                    "AccessDeniedException");
        }
    }
}
