package dev.sts.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.iam.PermissionView;
import dev.sts.kit.testing.AwsTestKeys;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.AssumeRoleRequest;
import dev.sts.proto.v1.TokenServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Over plaintext (gRPC and the STS Query API), {@code aws:SecureTransport} is "false": a trust
 * policy that requires TLS refuses, and a caller's own {@code X-Forwarded-Proto: https} changes
 * nothing (no proxy is configured as trusted). {@link SecureTransportTlsTest} is the same over TLS.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "tokens"))
class SecureTransportTest {
    static ManagedChannel channel;
    static TokenServiceGrpc.TokenServiceBlockingStub ec2;

    @Inject
    PermissionView view;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        ec2 = TokenServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-ec2-token"));
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    @BeforeEach
    void roles() throws Exception {
        SecureTransportRoles.publishAndAwait(bootstrapServers, view);
    }

    static AssumeRoleRequest assume(String role) {
        return AssumeRoleRequest.newBuilder().setRoleArn(role).setRoleSessionName("transport").build();
    }

    @Test
    void grpcOverPlaintextDoesNotSatisfyATrustPolicyThatRequiresTls() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> ec2.assumeRole(assume(SecureTransportRoles.TLS_ONLY_EC2)));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(GrpcErrors.reason(e)).isEqualTo("AccessDenied");
        // The control: the same caller assumes a role without the condition.
        assertThat(ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS)).getCredentials().getAccessKeyId())
                .startsWith("ASIA");
    }

    @Test
    void aCallersForwardedProtoIsNotTls() {
        Metadata forwarded = new Metadata();
        forwarded.put(Metadata.Key.of("x-forwarded-proto", Metadata.ASCII_STRING_MARSHALLER), "https");
        forwarded.put(Metadata.Key.of("forwarded", Metadata.ASCII_STRING_MARSHALLER), "proto=https");
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> ec2.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(forwarded))
                        .assumeRole(assume(SecureTransportRoles.TLS_ONLY_EC2)));
        assertThat(GrpcErrors.reason(e)).isEqualTo("AccessDenied");
    }

    @Test
    void theQueryApiOverHttpMeetsTheDenyUnlessTlsStatement() throws Exception {
        try (StsClient sts = StsQueryApiTest.developerSts()) {
            StsException denied = catchThrowableOfType(StsException.class, () -> sts.assumeRole(b -> b
                    .roleArn(SecureTransportRoles.DENY_INSECURE).roleSessionName("plain")));
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        }
        // A caller that claims a TLS hop in its own headers is still a plaintext caller.
        String body = "Action=AssumeRole&Version=2011-06-15&RoleArn=" + SecureTransportRoles.DENY_INSECURE
                + "&RoleSessionName=forwarded";
        StsQueryApiTest.Signed signed = StsQueryApiTest.sign(body, AwsCredentialsIdentity.create(
                AwsTestKeys.USER_ACCESS_KEY_ID, AwsTestKeys.userSecret()), "sts", Clock.systemUTC());
        HttpResponse<String> r = StsQueryApiTest.send(signed, Map.of("X-Forwarded-Proto", "https",
                "Forwarded", "for=127.0.0.1;proto=https"), body);
        StsQueryApiTest.refused(r, 403, "AccessDenied");
    }
}
