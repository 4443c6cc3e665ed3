package dev.sts.token;

import static dev.sts.kit.iam.RoleStates.allow;
import static dev.sts.kit.iam.RoleStates.inline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.events.Topics;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.iam.RoleStates;
import dev.sts.kit.testing.JwtAttacks;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.AssumeRoleRequest;
import dev.sts.proto.v1.AssumeRoleResponse;
import dev.sts.proto.v1.AuthorizeRequest;
import dev.sts.proto.v1.AuthorizeResponse;
import dev.sts.proto.v1.ContextEntry;
import dev.sts.proto.v1.Decision;
import dev.sts.proto.v1.GetCallerIdentityRequest;
import dev.sts.proto.v1.ManagedPolicyState;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.Session;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.Tag;
import dev.sts.proto.v1.TokenServiceGrpc;
import dev.sts.proto.v1.ValidateSessionTokenRequest;
import dev.sts.token.signing.KeyManager;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * ValidateSessionToken and Authorize through gRPC, against the real PostgreSQL and Kafka: roles and
 * policies reach token-service's permission view as role-service publishes them
 * (sts.permission-state.v1), sessions are minted by AssumeRole or signed with token-service's own
 * current key, and the JWT attack catalogue is refused by ValidateSessionToken, by Authorize and by
 * the authentication of every RPC (GetCallerIdentity here).
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "tokens"))
class SessionChecksTest {
    static final String ACCOUNT = RoleStates.ACCOUNT;
    static final String S3_READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
    static final String OBJECT = "arn:aws:s3:::reports/2026/q1.csv";

    static ManagedChannel channel;
    static TokenServiceGrpc.TokenServiceBlockingStub admin;
    static TokenServiceGrpc.TokenServiceBlockingStub anonymous;
    static KafkaProducer<String, byte[]> producer;

    @Inject
    KeyManager keys;

    @BeforeAll
    static void connect() throws Exception {
        channel = TestChannels.toApplication();
        anonymous = TokenServiceGrpc.newBlockingStub(channel);
        admin = anonymous.withCallCredentials(new BearerCredentials("test-admin-token"));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        // The seed's role as role-service publishes it: S3AccessRole with AWS's AmazonS3ReadOnlyAccess.
        // Its trust policy is the one TestRoleDirectory gives it: AssumeRole finds the role in the view.
        publish(RoleStates.role("S3AccessRole").setRoleId("AROAS3ACCESSEXAMPLE0")
                .setAssumeRolePolicyDocument(TestRoleDirectory.S3_ACCESS_TRUST)
                .addAttachedPolicyArns(S3_READ_ONLY).build());
    }

    @AfterAll
    static void close() {
        producer.close();
        channel.shutdownNow();
    }

    static void publish(RoleState role) throws Exception {
        producer.send(new ProducerRecord<>(Topics.PERMISSION_STATE, role.getArn(),
                StsEvent.newBuilder().setRoleState(role).build().toByteArray())).get();
    }

    static void publish(ManagedPolicyState policy) throws Exception {
        producer.send(new ProducerRecord<>(Topics.PERMISSION_STATE, policy.getArn(),
                StsEvent.newBuilder().setManagedPolicyState(policy).build().toByteArray())).get();
    }

    static String assume(AssumeRoleRequest.Builder r) {
        AssumeRoleResponse response = anonymous.withCallCredentials(new BearerCredentials("test-ec2-token"))
                .assumeRole(r.setRoleArn(TestRoleDirectory.S3_ACCESS).build());
        return response.getCredentials().getSessionToken();
    }

    /** A session of the role signed with token-service's current key, as AssumeRole would sign it. */
    String sign(RoleState role, String sessionName) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SessionClaims c = new SessionClaims(ConfigProvider.getConfig().getValue("sts.token.issuer", String.class),
                "sts", UUID.randomUUID().toString(),
                "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + role.getRoleName() + "/" + sessionName, role.getArn(),
                role.getRoleId(), sessionName, ACCOUNT, null, Map.of(), List.of(), "ASIAEXAMPLEEXAMPLE00", now,
                now.plusSeconds(900), 1, "arn:aws:iam::" + ACCOUNT + ":root", null);
        KeyManager.SigningKey key = keys.current();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm().jws()).keyID(key.kid())
                .type(new JOSEObjectType(SessionClaims.TOKEN_TYPE)).build(), c.toClaimsSet());
        jwt.sign(key.algorithm().signer(key.key()));
        return jwt.serialize();
    }

    static AuthorizeRequest.Builder authorize(String token, String action, String resource) {
        return AuthorizeRequest.newBuilder().setSessionToken(token).setAction(action).setResource(resource);
    }

    /** Authorize's decision, once the view has the published state (it is read within seconds). */
    static AuthorizeResponse awaitDecision(AuthorizeRequest request, Decision expected) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> admin.authorize(request), r -> r.getDecision() == expected);
    }

    static StatusRuntimeException expect(Executable call, Status.Code code, String reason) {
        try {
            call.execute();
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
            assertThat(GrpcErrors.reason(e)).isEqualTo(reason);
            return e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        throw new AssertionError("expected " + code + " " + reason);
    }

    /** The request field an error names (ErrorInfo metadata "field"). */
    static String field(StatusRuntimeException e) {
        return io.grpc.protobuf.StatusProto.fromThrowable(e).getDetailsList().stream()
                .filter(a -> a.is(com.google.rpc.ErrorInfo.class))
                .map(a -> {
                    try {
                        return a.unpack(com.google.rpc.ErrorInfo.class).getMetadataMap().get(GrpcErrors.FIELD);
                    } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                        throw new AssertionError(x);
                    }
                }).findFirst().orElse(null);
    }

    @Test
    void theSeedsRoleMayReadObjectsAndNotWriteThem() {
        String token = assume(AssumeRoleRequest.newBuilder().setRoleSessionName("reader")
                .addTags(Tag.newBuilder().setKey("team").setValue("storage")));

        AuthorizeResponse get = awaitDecision(authorize(token, "s3:GetObject", OBJECT).build(), Decision.DECISION_ALLOW);
        assertThat(get.getMatchedStatementsList()).anySatisfy(s -> {
            assertThat(s.getSourcePolicyId()).isEqualTo(S3_READ_ONLY);
            assertThat(s.getSourcePolicyType()).isEqualTo("IDENTITY");
            assertThat(s.getEffect()).isEqualTo("Allow");
        });
        assertThat(get.getSession().getAssumedRoleUser().getArn())
                .isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/S3AccessRole/reader");
        assertThat(get.getSession().getTagsList()).containsExactly(Tag.newBuilder().setKey("team").setValue("storage").build());

        AuthorizeResponse put = admin.authorize(authorize(token, "s3:PutObject", OBJECT).build());
        assertThat(put.getDecision()).isEqualTo(Decision.DECISION_IMPLICIT_DENY);
        assertThat(put.getMatchedStatementsList()).isEmpty();

        Session session = admin.validateSessionToken(ValidateSessionTokenRequest.newBuilder().setSessionToken(token)
                .build()).getSession();
        assertThat(session.getRoleArn()).isEqualTo(TestRoleDirectory.S3_ACCESS);
        assertThat(session.getRoleId()).isEqualTo("AROAS3ACCESSEXAMPLE0");
        assertThat(session.getRoleSessionName()).isEqualTo("reader");
        assertThat(session.getSessionId()).isNotEmpty();
        assertThat(session.getAccessKeyId()).startsWith("ASIA");
        assertThat(session.getExpiration().getSeconds()).isGreaterThan(Instant.now().getEpochSecond());
    }

    @Test
    void aSessionPolicyNarrowsTheRole() {
        String token = assume(AssumeRoleRequest.newBuilder().setRoleSessionName("narrow")
                .setPolicy(allow("s3:GetObject", "arn:aws:s3:::reports/2026/*")));
        AuthorizeResponse inside = awaitDecision(authorize(token, "s3:GetObject", OBJECT).build(),
                Decision.DECISION_ALLOW);
        assertThat(inside.getMatchedStatementsList()).extracting(s -> s.getSourcePolicyId())
                .contains("session", S3_READ_ONLY);
        assertThat(admin.authorize(authorize(token, "s3:GetObject", "arn:aws:s3:::reports/2025/q4.csv").build())
                .getDecision()).isEqualTo(Decision.DECISION_IMPLICIT_DENY);
        assertThat(admin.authorize(authorize(token, "s3:ListBucket", "arn:aws:s3:::reports").build()).getDecision())
                .isEqualTo(Decision.DECISION_IMPLICIT_DENY);
    }

    @Test
    void aBoundaryTakesAwayWhatTheRoleAllowsAndAnExplicitDenyNamesItsStatement() throws Exception {
        ManagedPolicyState boundary = RoleStates.policy("ReadOnlyBoundary", 1, "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"Read\",\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"},"
                + "{\"Sid\":\"NoSecrets\",\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::secrets/*\"}]}");
        publish(boundary);
        RoleState bounded = RoleStates.role("BoundedWriter").addInlinePolicies(inline("Everything", allow("s3:*", "*")))
                .setPermissionsBoundaryArn(boundary.getArn()).build();
        publish(bounded);
        String token = sign(bounded, "w1");

        awaitDecision(authorize(token, "s3:GetObject", OBJECT).build(), Decision.DECISION_ALLOW);
        assertThat(admin.authorize(authorize(token, "s3:PutObject", OBJECT).build()).getDecision())
                .isEqualTo(Decision.DECISION_IMPLICIT_DENY);
        AuthorizeResponse secret = admin.authorize(authorize(token, "s3:GetObject", "arn:aws:s3:::secrets/key").build());
        assertThat(secret.getDecision()).isEqualTo(Decision.DECISION_EXPLICIT_DENY);
        assertThat(secret.getMatchedStatementsList()).singleElement().satisfies(s -> {
            assertThat(s.getSourcePolicyId()).isEqualTo("boundary:" + boundary.getArn());
            assertThat(s.getSourcePolicyType()).isEqualTo("BOUNDARY");
            assertThat(s.getStatementId()).isEqualTo("NoSecrets");
            assertThat(s.getEffect()).isEqualTo("Deny");
        });
    }

    @Test
    void aResourcePolicyOfAnotherAccountMustAlsoAllow() throws Exception {
        RoleState reader = RoleStates.role("CrossReader").addInlinePolicies(inline("Read", allow("s3:GetObject", "*")))
                .build();
        publish(reader);
        String token = sign(reader, "x1");
        String grants = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"CrossAccountRead\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"" + reader.getArn() + "\"},\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::partner-bucket/*\"}]}";
        String object = "arn:aws:s3:::partner-bucket/data.json";

        AuthorizeResponse allowed = awaitDecision(authorize(token, "s3:GetObject", object).setResourcePolicy(grants)
                .setResourceAccount("111122223333").build(), Decision.DECISION_ALLOW);
        assertThat(allowed.getMatchedStatementsList()).extracting(s -> s.getSourcePolicyId() + "/" + s.getStatementId())
                .contains("ResourcePolicy/CrossAccountRead", "inline:CrossReader/Read/#0");
        // Without the resource policy, the other account's object is out of reach.
        assertThat(admin.authorize(authorize(token, "s3:GetObject", object).setResourceAccount("111122223333").build())
                .getDecision()).isEqualTo(Decision.DECISION_IMPLICIT_DENY);
        // In its own account the identity policy is enough.
        assertThat(admin.authorize(authorize(token, "s3:GetObject", object).build()).getDecision())
                .isEqualTo(Decision.DECISION_ALLOW);
    }

    @Test
    void callerSuppliedContextCountsButCannotImpersonateTheSession() throws Exception {
        RoleState office = RoleStates.role("OfficeOnly").addInlinePolicies(inline("Office", "{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{"
                + "\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}},{\"Effect\":\"Allow\",\"Action\":\"s3:DeleteObject\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/admin\":\"true\"}}}]}")).build();
        publish(office);
        String token = sign(office, "c1");
        ContextEntry inOffice = ContextEntry.newBuilder().setKey("aws:SourceIp").addValues("10.1.2.3").setType("ip").build();

        awaitDecision(authorize(token, "s3:GetObject", OBJECT).addContext(inOffice).build(), Decision.DECISION_ALLOW);
        assertThat(admin.authorize(authorize(token, "s3:GetObject", OBJECT).addContext(ContextEntry.newBuilder()
                .setKey("aws:SourceIp").addValues("192.0.2.1")).build()).getDecision())
                .isEqualTo(Decision.DECISION_IMPLICIT_DENY);
        assertThat(admin.authorize(authorize(token, "s3:DeleteObject", OBJECT).addContext(ContextEntry.newBuilder()
                .setKey("AWS:PrincipalTag/admin").addValues("true")).build()).getDecision())
                .isEqualTo(Decision.DECISION_IMPLICIT_DENY);
        assertThat(admin.authorize(authorize(token, "s3:GetObject", OBJECT).addContext(inOffice).addContext(
                ContextEntry.newBuilder().setKey("aws:principalarn").addValues("arn:aws:iam::000000000000:root"))
                .build()).getSession().getRoleArn()).isEqualTo(office.getArn());
    }

    @Test
    void aSessionWhoseRoleIsNotInTheViewIsAnImplicitDeny() throws Exception {
        RoleState ghost = RoleStates.role("NeverPublished").addInlinePolicies(inline("All", allow("*", "*"))).build();
        AuthorizeResponse r = admin.authorize(authorize(sign(ghost, "g1"), "s3:GetObject", OBJECT).build());
        assertThat(r.getDecision()).isEqualTo(Decision.DECISION_IMPLICIT_DENY);
        assertThat(r.getMatchedStatementsList()).isEmpty();
        assertThat(r.getSession().getRoleArn()).isEqualTo(ghost.getArn());
    }

    @Test
    void everyFieldIsBoundedAndNamed() throws Exception {
        String token = sign(RoleStates.role("Bounds").build(), "b1");
        expect(() -> admin.authorize(authorize("", "s3:GetObject", OBJECT).build()), Status.Code.INVALID_ARGUMENT,
                "ValidationError");
        expect(() -> admin.validateSessionToken(ValidateSessionTokenRequest.newBuilder()
                .setSessionToken("x".repeat(65_537)).build()), Status.Code.INVALID_ARGUMENT, "ValidationError");
        for (String action : List.of("", "s3", "s3:*", "s3:Get Object", "s3:" + "A".repeat(126))) {
            StatusRuntimeException e = expect(() -> admin.authorize(authorize(token, action, OBJECT).build()),
                    Status.Code.INVALID_ARGUMENT, "ValidationError");
            assertThat(field(e)).isEqualTo("action");
        }
        for (String resource : List.of("", "bucket", "arn:aws:s3", "arn:aws:s3:::a b", "arn:aws:s3:::" + "a".repeat(2040))) {
            StatusRuntimeException e = expect(() -> admin.authorize(authorize(token, "s3:GetObject", resource).build()),
                    Status.Code.INVALID_ARGUMENT, "ValidationError");
            assertThat(field(e)).isEqualTo("resource");
        }
        for (String account : List.of("12345678901", "1234567890123", "abcdefghijkl")) {
            StatusRuntimeException e = expect(() -> admin.authorize(authorize(token, "s3:GetObject", OBJECT)
                    .setResourceAccount(account).build()), Status.Code.INVALID_ARGUMENT, "ValidationError");
            assertThat(field(e)).isEqualTo("resource_account");
        }
        for (String policy : List.of("{", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}", " ".repeat(20_481))) {
            StatusRuntimeException e = expect(() -> admin.authorize(authorize(token, "s3:GetObject", OBJECT)
                    .setResourcePolicy(policy).build()), Status.Code.INVALID_ARGUMENT, "MalformedPolicyDocument");
            assertThat(field(e)).isEqualTo("resource_policy");
        }
        StatusRuntimeException tooMany = expect(() -> {
            AuthorizeRequest.Builder b = authorize(token, "s3:GetObject", OBJECT);
            for (int i = 0; i < 101; i++) {
                b.addContext(ContextEntry.newBuilder().setKey("s3:key" + i).addValues("v"));
            }
            admin.authorize(b.build());
        }, Status.Code.INVALID_ARGUMENT, "ValidationError");
        assertThat(field(tooMany)).isEqualTo("context");
        expect(() -> admin.authorize(authorize(token, "s3:GetObject", OBJECT).addContext(ContextEntry.newBuilder()
                .setKey("aws:SourceIp").addValues("not-an-ip").setType("ip")).build()), Status.Code.INVALID_ARGUMENT,
                "InvalidInput");
        expect(() -> admin.authorize(authorize(token, "s3:GetObject", OBJECT).addContext(ContextEntry.newBuilder()
                .setKey("s3:x").addValues("v")).build()), Status.Code.INVALID_ARGUMENT, "ValidationError");
    }

    @Test
    void onlyCallersAllowedToAskMayAsk() throws Exception {
        String token = sign(RoleStates.role("Asked").build(), "a1");
        var intruder = anonymous.withCallCredentials(new BearerCredentials("test-intruder-token"));
        expect(() -> intruder.validateSessionToken(ValidateSessionTokenRequest.newBuilder().setSessionToken(token)
                .build()), Status.Code.PERMISSION_DENIED, "AccessDenied");
        expect(() -> intruder.authorize(authorize(token, "s3:GetObject", OBJECT).build()),
                Status.Code.PERMISSION_DENIED, "AccessDenied");
        expect(() -> anonymous.authorize(authorize(token, "s3:GetObject", OBJECT).build()),
                Status.Code.UNAUTHENTICATED, "MissingAuthenticationToken");
        // A session may not ask about itself without sts:ValidateSessionToken.
        expect(() -> anonymous.withCallCredentials(new BearerCredentials(token)).validateSessionToken(
                ValidateSessionTokenRequest.newBuilder().setSessionToken(token).build()),
                Status.Code.PERMISSION_DENIED, "AccessDenied");
    }

    @Test
    void theJwtAttackCatalogueIsRefusedEverywhere() throws Exception {
        String legit = sign(RoleStates.role("Attacked").build(), "t1");
        assertThat(admin.validateSessionToken(ValidateSessionTokenRequest.newBuilder().setSessionToken(legit).build())
                .getSession().getRoleSessionName()).isEqualTo("t1");
        try (JwtAttacks.CountingServer attacker = new JwtAttacks.CountingServer()) {
            List<JwtAttacks.Attack> attacks = JwtAttacks.all(legit, keys.current().key(),
                    JwtAttacks.freshKey("retired-" + keys.current().kid()), attacker.url());
            for (JwtAttacks.Attack a : attacks) {
                StatusRuntimeException validate = expect(() -> admin.validateSessionToken(
                        ValidateSessionTokenRequest.newBuilder().setSessionToken(a.token()).build()),
                        Status.Code.UNAUTHENTICATED, a.expectedReason());
                assertThat(validate.getStatus().getDescription()).as(a.name()).doesNotContain(a.token());
                expect(() -> admin.authorize(authorize(a.token(), "s3:GetObject", OBJECT).build()),
                        Status.Code.UNAUTHENTICATED, a.expectedReason());
                expect(() -> anonymous.withCallCredentials(new BearerCredentials(a.token()))
                        .getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED,
                        a.expectedReason());
            }
            assertThat(attacker.requests()).as("requests to jku / x5u").isZero();
        }
    }
}
