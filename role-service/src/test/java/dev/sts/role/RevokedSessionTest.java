package dev.sts.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.events.Topics;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.iam.RoleStates;
import dev.sts.kit.testing.TestJwksResource;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.SessionsRevoked;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.UserIdentity;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
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

/**
 * role-service refuses the sessions of a role within two seconds of their revocation's publication
 * on sts.revocations.v1 (as token-service publishes it), verifying session tokens offline against
 * a JWK set over HTTP as in production; the sessions of other roles keep working.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "roles"))
@QuarkusTestResource(value = TestJwksResource.class, restrictToAnnotatedClass = true)
class RevokedSessionTest {
    static final Duration WITHIN = Duration.ofSeconds(2);

    @BeforeAll
    static void connect() {
        SessionTokenAttacksTest.connect();
    }

    @AfterAll
    static void close() {
        SessionTokenAttacksTest.close();
    }

    /** How GetRole with this token is refused (an authenticated session without permissions: PERMISSION_DENIED). */
    static StatusRuntimeException call(String token) {
        return SessionTokenAttacksTest.call(SessionTokenAttacksTest.as(token));
    }

    static boolean refusedAsInvalid(String token) {
        StatusRuntimeException e = call(token);
        if (e.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
            assertThat(GrpcErrors.reason(e)).isEqualTo("InvalidClientTokenId");
            return true;
        }
        assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.PERMISSION_DENIED);
        return false;
    }

    @Test
    void aRevokedRolesSessionsAreRefusedWithinTwoSeconds() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String revokedRole = RoleStates.roleArn("Revoked-" + suffix);
        String otherRole = RoleStates.roleArn("Kept-" + suffix);
        String revoked = TestJwksResource.session(revokedRole, RoleStates.roleId(revokedRole), "s1");
        String kept = TestJwksResource.session(otherRole, RoleStates.roleId(otherRole), "s1");
        // Authenticated (refused for want of permissions, not as a token) once the revocations are read.
        await().atMost(Duration.ofSeconds(60)).until(() -> call(revoked).getStatus().getCode() == Status.Code.PERMISSION_DENIED);

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        String id = UUID.randomUUID().toString();
        // Every session of the role issued before now (token issue times are whole seconds).
        Instant revokedAt = Instant.now().plusSeconds(1);
        byte[] event = StsEvent.newBuilder().setSessionsRevoked(SessionsRevoked.newBuilder()
                .setHeader(EventHeader.newBuilder().setEventId(id).setEventTime(Timestamps.of(Instant.now()))
                        .setActor(UserIdentity.newBuilder().setType("Root").setArn("arn:aws:iam::000000000000:root"))
                        .setRequestId(UUID.randomUUID().toString()).setAccountId(RoleStates.ACCOUNT))
                .setRevocationId(id).setRoleArn(revokedRole).setRevokedAt(Timestamps.of(revokedAt))
                .setExpiresAt(Timestamps.of(revokedAt.plus(Duration.ofHours(12)))).setReason("compromised"))
                .build().toByteArray();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            long t0 = System.nanoTime();
            producer.send(new ProducerRecord<>(Topics.REVOCATIONS, id, event)).get();
            await().atMost(WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> refusedAsInvalid(revoked));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(WITHIN);
        }
        assertThat(refusedAsInvalid(kept)).isFalse();
    }
}
