package dev.sts.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.cluster.test.SharedInfrastructure;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.testing.TestChannels;
import dev.sts.kit.tls.TestPki;
import dev.sts.proto.v1.AssumeRoleRequest;
import dev.sts.proto.v1.GetRoleRequest;
import dev.sts.proto.v1.GetRoleResponse;
import dev.sts.proto.v1.Role;
import dev.sts.proto.v1.RoleServiceGrpc;
import dev.sts.proto.v1.TokenServiceGrpc;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * token-service reaches role-service over TLS with the settings the kustomize {@code tls}
 * component uses ({@code quarkus.grpc.clients.roles.ssl.trust-store}): role-service here is a
 * gRPC server that speaks TLS only, with a certificate from a CA that only that trust store holds,
 * so an issued credential proves the client verified role-service's certificate.
 */
@QuarkusTest
@TestProfile(RoleServiceOverTlsTest.OverTls.class)
class RoleServiceOverTlsTest {
    /** A role only the TLS role-service knows (the tests' fixed directory does not). */
    static final String TLS_ONLY = "arn:aws:iam::000000000000:role/TlsOnlyRole";
    static ManagedChannel channel;

    /** The real gRPC client of role-service instead of the tests' fixed directory. */
    public static class OverTls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.arc.exclude-types", TestRoleDirectory.class.getName());
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TlsRoleService.class));
        }
    }

    /** role-service over TLS only: every role it answers is TlsOnlyRole, trusting EC2. */
    public static class TlsRoleService implements QuarkusTestResourceLifecycleManager {
        private Server server;
        private boolean trusted = true;

        @Override
        public void init(Map<String, String> args) {
            trusted = !"false".equals(args.get("trusted"));
        }

        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory("sts-role-tls-");
                TestPki pki = TestPki.ca("sts role-service test CA");
                // An untrusted role-service: its certificate comes from a CA the trust store does not hold.
                Path ca = trusted ? pki.writeCa(dir.resolve("ca.crt"))
                        : TestPki.ca("sts role-service test CA").writeCa(dir.resolve("ca.crt"));
                TestPki.Issued cert = pki.server(dir, "role-service");
                server = Grpc.newServerBuilderForPort(0, TlsServerCredentials.create(cert.cert().toFile(), cert.key().toFile()))
                        // The service is bound by hand: Quarkus rewrites the generated *ImplBase classes it
                        // loads, and this server lives in the test's class loader.
                        .addService(ServerServiceDefinition.builder(RoleServiceGrpc.SERVICE_NAME)
                                .addMethod(RoleServiceGrpc.getGetRoleMethod(), ServerCalls.asyncUnaryCall(
                                        (GetRoleRequest request, StreamObserver<GetRoleResponse> response) -> {
                                            response.onNext(GetRoleResponse.newBuilder().setRole(Role.newBuilder()
                                                    .setRoleName("TlsOnlyRole").setArn(TLS_ONLY)
                                                    .setRoleId("AROATLSONLYROLEEXAM0").setMaxSessionDuration(3600)
                                                    .setAssumeRolePolicyDocument("""
                                                            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                                                             "Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""))
                                                    .build());
                                            response.onCompleted();
                                        }))
                                .build())
                        .build().start();
                SharedInfrastructure infra = SharedInfrastructure.get();
                infra.createDatabase("tokens");
                Map<String, String> config = new HashMap<>(InfrastructureResource.config(infra, "tokens"));
                config.put("quarkus.grpc.clients.roles.host", "localhost");
                config.put("quarkus.grpc.clients.roles.port", Integer.toString(server.getPort()));
                // In test mode Quarkus points a client at the application's own test port unless told otherwise.
                config.put("quarkus.grpc.clients.roles.test-port", Integer.toString(server.getPort()));
                config.put("quarkus.grpc.clients.roles.ssl.trust-store", ca.toString());
                return config;
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the TLS role-service", e);
            }
        }

        @Override
        public void stop() {
            if (server != null) {
                server.shutdownNow();
            }
        }
    }

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    @Test
    void assumeRoleLoadsTheRoleFromRoleServiceOverVerifiedTls() {
        var ec2 = TokenServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-ec2-token"));

        var issued = ec2.assumeRole(AssumeRoleRequest.newBuilder().setRoleArn(TLS_ONLY)
                .setRoleSessionName("over-tls").build());

        assertThat(issued.getCredentials().getAccessKeyId()).startsWith("ASIA");
        assertThat(issued.getAssumedRoleUser().getAssumedRoleId()).isEqualTo("AROATLSONLYROLEEXAM0:over-tls");
    }
}
