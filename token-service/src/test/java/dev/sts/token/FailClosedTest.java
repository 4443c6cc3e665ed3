package dev.sts.token;

import static dev.sts.token.TokenServiceTest.assume;
import static dev.sts.token.TokenServiceTest.expect;

import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.TokenServiceGrpc;
import dev.sts.kit.testing.TestChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With the broker unreachable, AssumeRole issues nothing: the event cannot be stored, so fail closed. */
@QuarkusTest
@QuarkusTestResource(value = DeadBrokerResource.class, restrictToAnnotatedClass = true)
class FailClosedTest {
    static ManagedChannel channel;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    @Test
    void noCredentialsWithoutADurableEvent() {
        var ec2 = TokenServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-ec2-token"));
        expect(() -> ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "no-broker").build()),
                Status.Code.UNAVAILABLE, "ServiceUnavailable");
        // A denial is not answered as a denial either when it cannot be recorded.
        var intruder = TokenServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-intruder-token"));
        expect(() -> intruder.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "no-broker").build()),
                Status.Code.UNAVAILABLE, "ServiceUnavailable");
    }

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource ds;

    @Test
    void noRevocationIsReportedDoneWithoutTheBroker() throws Exception {
        var admin = TokenServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-admin-token"));
        String reason = "no-broker " + java.util.UUID.randomUUID();
        expect(() -> admin.revokeSessions(dev.sts.proto.v1.RevokeSessionsRequest.newBuilder()
                .setRoleArn(TestRoleDirectory.S3_ACCESS).setReason(reason).build()), Status.Code.UNAVAILABLE, "ServiceUnavailable");
        // Refused before it was stored (the event log was known to be away): nothing for the relay to publish later.
        try (var c = ds.getConnection(); var ps = c.prepareStatement("SELECT count(*) FROM revocations WHERE reason = ?")) {
            ps.setString(1, reason);
            try (var rs = ps.executeQuery()) {
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getLong(1)).isZero();
            }
        }
    }
}
