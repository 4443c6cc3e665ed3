package dev.sts.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.iam.PermissionView;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import dev.sts.proto.v1.AssumeRoleRequest;
import dev.sts.proto.v1.AssumeRoleResponse;
import dev.sts.proto.v1.GetCallerIdentityRequest;
import dev.sts.proto.v1.GetJwksRequest;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.Tag;
import dev.sts.proto.v1.TokenServiceGrpc;
import dev.sts.kit.testing.TestChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "tokens"))
class TokenServiceTest {
    static ManagedChannel channel;
    static TokenServiceGrpc.TokenServiceBlockingStub anonymous;
    static TokenServiceGrpc.TokenServiceBlockingStub ec2;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        anonymous = TokenServiceGrpc.newBlockingStub(channel);
        ec2 = anonymous.withCallCredentials(new BearerCredentials("test-ec2-token"));
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    static AssumeRoleRequest.Builder assume(String roleArn, String session) {
        return AssumeRoleRequest.newBuilder().setRoleArn(roleArn).setRoleSessionName(session);
    }

    @Test
    void trustedPrincipalGetsCredentialsAndTheEventIsStoredWithoutSecrets() throws Exception {
        AssumeRoleResponse r = ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "i-0abc123")
                .addTags(Tag.newBuilder().setKey("team").setValue("storage")).addTransitiveTagKeys("team").build());

        assertThat(r.getAssumedRoleUser().getArn()).isEqualTo("arn:aws:sts::000000000000:assumed-role/S3AccessRole/i-0abc123");
        SignedJWT jwt = SignedJWT.parse(r.getCredentials().getSessionToken());
        // New keys are Ed25519 by default (sts.token.signing.algorithm).
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("EdDSA");
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("sts-session+jwt");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("access_key_id")).isEqualTo(r.getCredentials().getAccessKeyId());
        assertThat(jwt.getJWTClaimsSet().getClaims().toString()).doesNotContain(r.getCredentials().getSecretAccessKey());
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant().getEpochSecond())
                .isEqualTo(r.getCredentials().getExpiration().getSeconds());
        assertThat(anonymous.getJwks(GetJwksRequest.getDefaultInstance()).getKeyIdsList()).contains(jwt.getHeader().getKeyID());

        // The event was acknowledged by the broker before the answer: it is on the topic now.
        ConsumerRecord<String, byte[]> record = findEvent(e -> e.hasSessionIssued()
                && e.getSessionIssued().getAccessKeyId().equals(r.getCredentials().getAccessKeyId()));
        StsEvent event = StsEvent.parseFrom(record.value());
        assertThat(record.key()).isEqualTo(TestRoleDirectory.S3_ACCESS);
        assertThat(event.getSessionIssued().getHeader().getActor().getArn()).isEqualTo("ec2.amazonaws.com");
        assertThat(event.getSessionIssued().getSigningKeyId()).isEqualTo(jwt.getHeader().getKeyID());
        assertThat(event.getSessionIssued().getDecidingStatements(0).getStatementId()).isEqualTo("TrustEc2");
        String raw = new String(record.value(), StandardCharsets.ISO_8859_1);
        assertThat(raw).doesNotContain(r.getCredentials().getSecretAccessKey()).doesNotContain(r.getCredentials().getSessionToken());

        // The session token authenticates its holder.
        var me = anonymous.withCallCredentials(new BearerCredentials(r.getCredentials().getSessionToken()))
                .getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance());
        assertThat(me.getArn()).isEqualTo(r.getAssumedRoleUser().getArn());
        assertThat(me.getUserId()).isEqualTo("AROAS3ACCESSEXAMPLE0:i-0abc123");
    }

    @Inject
    PermissionView view;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void roleChainingCarriesTransitiveTagsAndIsCappedAtOneHour() throws Exception {
        TestRoleDirectory.publishAndAwait(bootstrapServers, view);
        AssumeRoleResponse first = ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "hop1").setSourceIdentity("alice")
                .addTags(Tag.newBuilder().setKey("team").setValue("storage")).addTransitiveTagKeys("team").build());
        var session = anonymous.withCallCredentials(new BearerCredentials(first.getCredentials().getSessionToken()));

        expect(() -> session.assumeRole(assume(TestRoleDirectory.CHAINED, "hop2").setDurationSeconds(7200).build()),
                Status.Code.INVALID_ARGUMENT, "ValidationError");
        AssumeRoleResponse second = session.assumeRole(assume(TestRoleDirectory.CHAINED, "hop2").build());
        var claims = SignedJWT.parse(second.getCredentials().getSessionToken()).getJWTClaimsSet();
        assertThat(claims.getLongClaim("chain_depth")).isEqualTo(2);
        assertThat(claims.getStringClaim("source_identity")).isEqualTo("alice");
        assertThat(claims.getJSONObjectClaim("session_tags")).containsEntry("team", "storage");
        assertThat(second.getSourceIdentity()).isEqualTo("alice");

        // A chained session cannot change its source identity.
        expect(() -> session.assumeRole(assume(TestRoleDirectory.CHAINED, "hop3").setSourceIdentity("mallory").build()),
                Status.Code.PERMISSION_DENIED, "AccessDenied");
    }

    @Test
    void externalIdConditionIsEvaluated() {
        expect(() -> ec2.assumeRole(assume(TestRoleDirectory.EXTERNAL, "vendor").setExternalId("Other-ID-0000").build()),
                Status.Code.PERMISSION_DENIED, "AccessDenied");
        assertThat(ec2.assumeRole(assume(TestRoleDirectory.EXTERNAL, "vendor").setExternalId("Unique-ID-1234").build())
                .getCredentials().getAccessKeyId()).startsWith("ASIA");
    }

    @Test
    void denialsAreUniformAndPublished() throws Exception {
        var intruder = anonymous.withCallCredentials(new BearerCredentials("test-intruder-token"));
        String session = "deny-" + UUID.randomUUID().toString().substring(0, 8);
        StatusRuntimeException refused = expect(() -> intruder.assumeRole(assume(TestRoleDirectory.S3_ACCESS, session).build()),
                Status.Code.PERMISSION_DENIED, "AccessDenied");
        StatusRuntimeException missing = expect(() -> intruder.assumeRole(
                assume("arn:aws:iam::000000000000:role/Nope", session).build()), Status.Code.PERMISSION_DENIED, "AccessDenied");
        assertThat(missing.getStatus().getDescription().replace("role/Nope", "role/S3AccessRole"))
                .isEqualTo(refused.getStatus().getDescription());

        StsEvent denied = StsEvent.parseFrom(findEvent(e -> e.hasAssumeRoleDenied()
                && e.getAssumeRoleDenied().getRoleArn().equals(TestRoleDirectory.S3_ACCESS)
                && e.getAssumeRoleDenied().getRoleSessionName().equals(session)).value());
        assertThat(denied.getAssumeRoleDenied().getReason()).startsWith("refused by the role's trust policy: ImplicitDeny");
        assertThat(denied.getAssumeRoleDenied().getHeader().getActor().getArn()).isEqualTo("arn:aws:iam::000000000000:user/intruder");
        StsEvent notFound = StsEvent.parseFrom(findEvent(e -> e.hasAssumeRoleDenied()
                && e.getAssumeRoleDenied().getRoleArn().equals("arn:aws:iam::000000000000:role/Nope")
                && e.getAssumeRoleDenied().getRoleSessionName().equals(session)).value());
        assertThat(notFound.getAssumeRoleDenied().getReason()).startsWith("role does not exist");
    }

    @Test
    void badInputNamesTheField() {
        expect(() -> ec2.assumeRole(assume("not-an-arn", "s").build()), Status.Code.INVALID_ARGUMENT, "ValidationError");
        expect(() -> ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "x").build()), Status.Code.INVALID_ARGUMENT, "ValidationError");
        expect(() -> ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "ok-name").setPolicy("{\"Statement\":[{\"Effect\":\"Maybe\"}]}").build()),
                Status.Code.INVALID_ARGUMENT, "MalformedPolicyDocument");
        expect(() -> ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "ok-name").setDurationSeconds(7200).build()),
                Status.Code.INVALID_ARGUMENT, "ValidationError");
    }

    @Test
    void sessionPolicyIsAcceptedAndSized() throws Exception {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
        AssumeRoleResponse r = ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "scoped").setPolicy(policy).build());
        assertThat(r.getPackedPolicySize()).isBetween(1, 100);
        assertThat(SignedJWT.parse(r.getCredentials().getSessionToken()).getJWTClaimsSet().getStringClaim("session_policy_sha256"))
                .hasSize(64);
    }

    @Test
    void credentialsComeFromMetadataAndForgedTokensAreRefused() throws Exception {
        expect(() -> anonymous.getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "MissingAuthenticationToken");
        String token = ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "forge").build()).getCredentials().getSessionToken();
        String[] parts = token.split("\\.");
        String forgedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("S3AccessRole/forge", "S3AccessRole/admin").getBytes(StandardCharsets.UTF_8));
        expect(() -> anonymous.withCallCredentials(new BearerCredentials(parts[0] + "." + forgedPayload + "." + parts[2]))
                .getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED, "InvalidClientTokenId");
    }

    static StatusRuntimeException expect(Runnable call, Status.Code code, String reason) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
            assertThat(GrpcErrors.reason(e)).isEqualTo(reason);
            return e;
        }
        throw new AssertionError("expected " + code + "/" + reason);
    }

    static ConsumerRecord<String, byte[]> findEvent(Predicate<StsEvent> match) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "token-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("sts.session-events.v1"));
            Instant deadline = Instant.now().plusSeconds(20);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (match.test(StsEvent.parseFrom(r.value()))) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no matching event on sts.session-events.v1");
    }
}
