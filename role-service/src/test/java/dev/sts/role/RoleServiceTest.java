package dev.sts.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.BadRequest;
import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.CreateRoleRequest;
import dev.sts.proto.v1.GetRoleRequest;
import dev.sts.proto.v1.Role;
import dev.sts.proto.v1.RoleServiceGrpc;
import dev.sts.proto.v1.SimulatePrincipalPolicyRequest;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.Tag;
import dev.sts.kit.testing.TestChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
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
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "roles"))
class RoleServiceTest {
    static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
             "Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    static ManagedChannel channel;
    static RoleServiceGrpc.RoleServiceBlockingStub admin;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        admin = RoleServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-admin-token"));
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createThenGetReturnsTheStoredRoleAndPublishesRoleChanged() {
        String name = unique("S3AccessRole-");
        Role created = admin.createRole(CreateRoleRequest.newBuilder().setRoleName(name).setPath("/apps/")
                .setAssumeRolePolicyDocument(TRUST).setDescription("EC2 reads S3")
                .addTags(Tag.newBuilder().setKey("team").setValue("storage")).build()).getRole();

        assertThat(created.getArn()).isEqualTo("arn:aws:iam::000000000000:role/apps/" + name);
        assertThat(created.getRoleId()).matches("AROA[A-Z2-7]{17}");
        assertThat(created.getMaxSessionDuration()).isEqualTo(3600);

        Role fetched = admin.getRole(GetRoleRequest.newBuilder().setRoleName(name.toUpperCase()).build()).getRole();
        assertThat(fetched).isEqualTo(created);
        assertThat(fetched.getAssumeRolePolicyDocument()).isEqualTo(TRUST);
        assertThat(fetched.getTagsList()).containsExactly(Tag.newBuilder().setKey("team").setValue("storage").build());

        StsEvent event = awaitRoleEvent(created.getArn());
        assertThat(event.getRoleChanged().getEventName()).isEqualTo("CreateRole");
        assertThat(event.getRoleChanged().getRoleId()).isEqualTo(created.getRoleId());
        assertThat(event.getRoleChanged().getHeader().getActor().getArn()).isEqualTo("arn:aws:iam::000000000000:root");
        assertThat(event.getRoleChanged().getHeader().getActor().getType()).isEqualTo("Root");
    }

    @Test
    void duplicateNameIgnoringCaseIsEntityAlreadyExists() {
        String name = unique("Dup-");
        admin.createRole(CreateRoleRequest.newBuilder().setRoleName(name).setAssumeRolePolicyDocument(TRUST).build());
        assertError(() -> admin.createRole(CreateRoleRequest.newBuilder().setRoleName(name.toLowerCase())
                .setAssumeRolePolicyDocument(TRUST).build()), Status.Code.ALREADY_EXISTS, "EntityAlreadyExists");
    }

    @Test
    void malformedTrustPolicyNamesTheField() {
        StatusRuntimeException e = assertError(() -> admin.createRole(CreateRoleRequest.newBuilder()
                        .setRoleName(unique("Bad-")).setAssumeRolePolicyDocument("{\"Statement\": [").build()),
                Status.Code.INVALID_ARGUMENT, "MalformedPolicyDocument");
        BadRequest bad = StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(BadRequest.class))
                .map(a -> {
                    try {
                        return a.unpack(BadRequest.class);
                    } catch (Exception ex) {
                        throw new AssertionError(ex);
                    }
                }).findFirst().orElseThrow();
        assertThat(bad.getFieldViolations(0).getField()).isEqualTo("assume_role_policy_document");
        assertThat(e.getStatus().getDescription()).doesNotContain("Exception").doesNotContain("at com.");
    }

    @Test
    void invalidNameIsValidationError() {
        assertError(() -> admin.createRole(CreateRoleRequest.newBuilder().setRoleName("has space")
                .setAssumeRolePolicyDocument(TRUST).build()), Status.Code.INVALID_ARGUMENT, "ValidationError");
    }

    @Test
    void missingRoleIsNoSuchEntity() {
        assertError(() -> admin.getRole(GetRoleRequest.newBuilder().setRoleName(unique("Nope-")).build()),
                Status.Code.NOT_FOUND, "NoSuchEntity");
    }

    @Test
    void callersAreAuthenticatedFromMetadataAndAuthorized() {
        RoleServiceGrpc.RoleServiceBlockingStub anonymous = RoleServiceGrpc.newBlockingStub(channel);
        assertError(() -> anonymous.getRole(GetRoleRequest.newBuilder().setRoleName("x").build()),
                Status.Code.UNAUTHENTICATED, "MissingAuthenticationToken");

        RoleServiceGrpc.RoleServiceBlockingStub forged = anonymous.withCallCredentials(new BearerCredentials("not-a-credential"));
        assertError(() -> forged.getRole(GetRoleRequest.newBuilder().setRoleName("x").build()),
                Status.Code.UNAUTHENTICATED, "InvalidClientTokenId");

        RoleServiceGrpc.RoleServiceBlockingStub intruder = anonymous.withCallCredentials(new BearerCredentials("test-intruder-token"));
        assertError(() -> intruder.createRole(CreateRoleRequest.newBuilder().setRoleName(unique("Evil-"))
                .setAssumeRolePolicyDocument(TRUST).build()), Status.Code.PERMISSION_DENIED, "AccessDenied");

        // token-service's own credential may read roles, and nothing more.
        RoleServiceGrpc.RoleServiceBlockingStub tokenService = anonymous.withCallCredentials(new BearerCredentials("test-token-service"));
        String name = unique("Readable-");
        admin.createRole(CreateRoleRequest.newBuilder().setRoleName(name).setAssumeRolePolicyDocument(TRUST).build());
        assertThat(tokenService.getRole(GetRoleRequest.newBuilder().setRoleName(name).build()).getRole().getRoleName()).isEqualTo(name);
        assertError(() -> tokenService.createRole(CreateRoleRequest.newBuilder().setRoleName(unique("No-"))
                .setAssumeRolePolicyDocument(TRUST).build()), Status.Code.PERMISSION_DENIED, "AccessDenied");
    }

    @Test
    void simulatePrincipalPolicyEvaluatesTheRolesStoredPolicies() {
        // The seed scenario: a role for EC2 with AWS's AmazonS3ReadOnlyAccess attached.
        String name = "S3Reader" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String arn = admin.createRole(CreateRoleRequest.newBuilder().setRoleName(name)
                .setAssumeRolePolicyDocument(TRUST).build()).getRole().getArn();
        admin.attachRolePolicy(dev.sts.proto.v1.AttachRolePolicyRequest.newBuilder().setRoleName(name)
                .setPolicyArn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess").build());

        var results = admin.simulatePrincipalPolicy(SimulatePrincipalPolicyRequest.newBuilder()
                .setPolicySourceArn(arn).addActionNames("s3:GetObject").addActionNames("s3:PutObject").build())
                .getEvaluationResultsList();

        assertThat(results).extracting(r -> r.getEvalActionName() + " " + r.getEvalDecision())
                .containsExactly("s3:GetObject DECISION_ALLOW", "s3:PutObject DECISION_IMPLICIT_DENY");
        assertThat(results.get(0).getMatchedStatementsList()).extracting(s -> s.getSourcePolicyId())
                .containsExactly("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
    }

    @Test
    void simulatingAMissingRoleIsNoSuchEntityAndAnIntruderIsRefused() {
        assertThatThrownBy(() -> admin.simulatePrincipalPolicy(SimulatePrincipalPolicyRequest.newBuilder()
                        .setPolicySourceArn("arn:aws:iam::000000000000:role/nobody-here").addActionNames("s3:GetObject").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(GrpcErrors.reason(e)).isEqualTo("NoSuchEntity");
                });
        assertThatThrownBy(() -> RoleTests.intruder(channel).simulatePrincipalPolicy(SimulatePrincipalPolicyRequest.newBuilder()
                        .setPolicySourceArn("arn:aws:iam::000000000000:role/nobody-here").addActionNames("s3:GetObject").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void grpcHealthServiceAnswers() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().build());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void serverReflectionListsTheContractsServices() throws Exception {
        java.util.concurrent.CompletableFuture<io.grpc.reflection.v1.ServerReflectionResponse> answer =
                new java.util.concurrent.CompletableFuture<>();
        var requests = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel).serverReflectionInfo(
                new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(io.grpc.reflection.v1.ServerReflectionResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        List<String> services = answer.get(10, java.util.concurrent.TimeUnit.SECONDS).getListServicesResponse()
                .getServiceList().stream().map(io.grpc.reflection.v1.ServiceResponse::getName).toList();
        assertThat(services).contains("sts.v1.RoleService", "grpc.health.v1.Health");
    }

    static StatusRuntimeException assertError(Runnable call, Status.Code code, String reason) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(GrpcErrors.reason(e)).isEqualTo(reason);
            return e;
        }
        throw new AssertionError("expected " + code + "/" + reason + " but the call succeeded");
    }

    static StsEvent awaitRoleEvent(String roleArn) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "role-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("sts.role-events.v1"));
            Instant deadline = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (roleArn.equals(r.key())) {
                        try {
                            return StsEvent.parseFrom(r.value());
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                }
            }
        }
        throw new AssertionError("no RoleChanged event for " + roleArn + " within 30 s");
    }

}
