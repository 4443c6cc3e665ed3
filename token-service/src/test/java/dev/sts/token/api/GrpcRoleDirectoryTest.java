package dev.sts.token.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.error.StsException;
import dev.sts.proto.v1.GetRoleRequest;
import dev.sts.proto.v1.GetRoleResponse;
import dev.sts.proto.v1.MutinyRoleServiceGrpc;
import dev.sts.proto.v1.Role;
import dev.sts.proto.v1.RoleServiceGrpc;
import dev.sts.token.config.TokenConfig;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** token-service's client of role-service keeps the real reason of a failure and bounds the wait. */
class GrpcRoleDirectoryTest {
    Server server;
    ManagedChannel channel;
    GrpcRoleDirectory directory;

    /** role-service as seen over gRPC: each role name picks an answer. */
    static final class FakeRoleService extends RoleServiceGrpc.RoleServiceImplBase {
        @Override
        public void getRole(GetRoleRequest request, StreamObserver<GetRoleResponse> response) {
            switch (request.getRoleName()) {
                case "Present" -> {
                    response.onNext(GetRoleResponse.newBuilder().setRole(Role.newBuilder().setRoleName("Present")
                            .setArn("arn:aws:iam::000000000000:role/Present").setRoleId("AROAEXAMPLE")
                            .setAssumeRolePolicyDocument("{}").setMaxSessionDuration(3600)).build());
                    response.onCompleted();
                }
                case "Missing" -> response.onError(StatusProto.toStatusRuntimeException(GrpcErrors.toStatus(
                        new StsException(ErrorCode.NO_SUCH_ENTITY, "The role with name Missing cannot be found.", "role_name"))));
                case "DatabaseDown" -> response.onError(StatusProto.toStatusRuntimeException(GrpcErrors.toStatus(
                        StsException.unavailable("the role store is unavailable", null))));
                case "Silent" -> {
                    // never answers
                }
                default -> response.onError(Status.PERMISSION_DENIED.withDescription("no").asRuntimeException());
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = ServerBuilder.forPort(0).addService(new FakeRoleService()).build().start();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        directory = new GrpcRoleDirectory(MutinyRoleServiceGrpc.newMutinyStub(channel), config(Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    /** Only the two settings the client reads; robust to TokenConfig growing. */
    static TokenConfig config(Duration deadline) {
        return (TokenConfig) Proxy.newProxyInstance(TokenConfig.class.getClassLoader(), new Class<?>[] {TokenConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "roleServiceDeadline" -> deadline;
                    case "roleServiceCredential" -> Optional.empty();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aRoleIsFound() {
        assertThat(directory.find("Present").await().atMost(Duration.ofSeconds(10))).hasValueSatisfying(
                r -> assertThat(r.arn()).isEqualTo("arn:aws:iam::000000000000:role/Present"));
    }

    @Test
    void aMissingRoleIsEmptySoTheCallerAnswersWithTheUniformDenial() {
        assertThat(directory.find("Missing").await().atMost(Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void roleServicesOwnServiceUnavailableKeepsItsReason() {
        assertThatThrownBy(() -> directory.find("DatabaseDown").await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("role-service is unavailable: the role store is unavailable");
                });
    }

    @Test
    void noAnswerWithinTheDeadlineIsServiceUnavailableRoleServiceDidNotAnswer() {
        GrpcRoleDirectory impatient = new GrpcRoleDirectory(MutinyRoleServiceGrpc.newMutinyStub(channel),
                config(Duration.ofMillis(300)));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> impatient.find("Silent").await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("role-service did not answer within 300 ms");
                });
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
    }

    @Test
    void anUnreachableRoleServiceIsServiceUnavailable() {
        server.shutdownNow();
        assertThatThrownBy(() -> directory.find("Present").await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
    }

    @Test
    void aRefusalIsServiceUnavailableWithoutRoleServicesText() {
        assertThatThrownBy(() -> directory.find("Other").await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("role-service refused the request (PERMISSION_DENIED)");
                });
    }
}
