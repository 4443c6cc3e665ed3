package dev.sts.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.CreateRoleRequest;
import dev.sts.proto.v1.GetRoleRequest;
import dev.sts.proto.v1.RoleServiceGrpc;
import dev.sts.kit.testing.TestChannels;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the gRPC server puts on the wire: status message encoding and size limits. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "roles"))
class GrpcWireTest {
    static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
             "Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    static ManagedChannel channel;

    @Inject
    Vertx vertx;


    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    /** One unary call over raw HTTP/2; returns the response headers and trailers as received. */
    MultiMap rawCall(String method, byte[] message, String bearer) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        try {
            Buffer body = Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
            return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(TestChannels.port())
                            .setURI("/" + method))
                    .compose(request -> request.putHeader("content-type", "application/grpc").putHeader("te", "trailers")
                            .putHeader("authorization", "Bearer " + bearer).send(body))
                    .compose(response -> response.body().map(ignored -> MultiMap.caseInsensitiveMultiMap()
                            .addAll(response.headers()).addAll(response.trailers())))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }

    @Test
    void theStatusMessageIsPercentEncodedOnlyWhereTheGrpcSpecSays() throws Exception {
        String name = "Evil-" + System.nanoTime();
        byte[] request = CreateRoleRequest.newBuilder().setRoleName(name).setAssumeRolePolicyDocument(TRUST).build()
                .toByteArray();

        MultiMap received = rawCall("sts.v1.RoleService/CreateRole", request, "test-intruder-token");

        assertThat(received.get("grpc-status")).isEqualTo(String.valueOf(Status.Code.PERMISSION_DENIED.value()));
        // The raw header value: ':' '/' and spaces are printable ASCII and travel as they are.
        assertThat(received.get("grpc-message")).isEqualTo("User: arn:aws:iam::000000000000:user/intruder is not "
                + "authorized to perform: iam:CreateRole on resource: arn:aws:iam::000000000000:role/" + name
                + " because no identity-based policy allows the iam:CreateRole action");
        assertThat(received.getAll("grpc-message")).hasSize(1);
        assertThat(received.get("grpc-status-details-bin")).isNotEmpty();
    }

    @Test
    void grpcJavaClientsStillReadTheMessage() {
        RoleServiceGrpc.RoleServiceBlockingStub intruder = RoleServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(new BearerCredentials("test-intruder-token"));
        assertThatThrownBy(() -> intruder.createRole(CreateRoleRequest.newBuilder().setRoleName("Evil-x")
                .setAssumeRolePolicyDocument(TRUST).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).startsWith("User: arn:aws:iam::000000000000:user/intruder");
                });
    }

    @Test
    void anOversizeRequestIsResourceExhaustedAndTheServiceKeepsServing() {
        RoleServiceGrpc.RoleServiceBlockingStub admin = RoleServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(new BearerCredentials("test-admin-token"));
        CreateRoleRequest huge = CreateRoleRequest.newBuilder().setRoleName("Huge-" + System.nanoTime())
                .setAssumeRolePolicyDocument(TRUST).setDescription("x".repeat(600 * 1024)).build();

        assertThatThrownBy(() -> admin.createRole(huge)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        // Just under the limit the request is read and validated (a 1,000-character description limit).
        CreateRoleRequest large = huge.toBuilder().setDescription("x".repeat(200 * 1024)).build();
        assertThatThrownBy(() -> admin.createRole(large)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        String name = "Normal-" + System.nanoTime();
        admin.createRole(CreateRoleRequest.newBuilder().setRoleName(name).setAssumeRolePolicyDocument(TRUST).build());
        assertThat(admin.getRole(GetRoleRequest.newBuilder().setRoleName(name).build()).getRole().getRoleName())
                .isEqualTo(name);
    }

    @Test
    void metadataAsLargeAsTheLargestSessionTokenIsAccepted() {
        Metadata large = new Metadata();
        large.put(Metadata.Key.of("x-padding", Metadata.ASCII_STRING_MARSHALLER), "p".repeat(40 * 1024));
        assertThat(HealthGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(large))
                .check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void oversizeMetadataIsRefusedAndTheServiceKeepsServing() {
        Metadata padding = new Metadata();
        padding.put(Metadata.Key.of("x-padding", Metadata.ASCII_STRING_MARSHALLER), "p".repeat(128 * 1024));
        HealthGrpc.HealthBlockingStub padded = HealthGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(padding));

        assertThatThrownBy(() -> padded.check(HealthCheckRequest.getDefaultInstance()))
                .isInstanceOf(StatusRuntimeException.class);

        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
}
