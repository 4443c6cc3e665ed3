package dev.sts.role;

import static dev.sts.role.RoleServiceTest.assertError;
import static dev.sts.role.RoleServiceTest.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.CreateRoleRequest;
import dev.sts.proto.v1.GetRoleRequest;
import dev.sts.proto.v1.RoleServiceGrpc;
import dev.sts.kit.testing.TestChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every trust policy CreateRole stores has passed the policy engine: a document the engine rejects
 * is refused with the engine's reason and the field, and leaves neither a role, an outbox row nor
 * an event behind. Before, these four were stored and later read as "trusts nobody".
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "roles"))
class TrustPolicyValidationTest {
    static final String FIELD = "assume_role_policy_document";
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

    static String trust(String statement) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}";
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("Effect Permit", trust("""
                        {"Effect":"Permit","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"""),
                        "Statement[0].Effect"),
                Arguments.of("no Principal", trust("""
                        {"Effect":"Allow","Action":"sts:AssumeRole"}"""),
                        "missing required element \"Principal\""),
                Arguments.of("unknown condition operator", trust("""
                        {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole",
                         "Condition":{"StringEqualz":{"sts:ExternalId":"x"}}}"""),
                        "unknown operator \"StringEqualz\""),
                Arguments.of("partial wildcard principal", trust("""
                        {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:role/*"},"Action":"sts:AssumeRole"}"""),
                        "arn:aws:iam::000000000000:role/*"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void aDocumentTheEngineRejectsIsMalformedPolicyDocumentAndNothingIsStored(String name, String document,
            String engineMessage) {
        String roleName = unique("Rejected-");
        StatusRuntimeException e = assertError(() -> admin.createRole(CreateRoleRequest.newBuilder()
                        .setRoleName(roleName).setAssumeRolePolicyDocument(document).build()),
                Status.Code.INVALID_ARGUMENT, "MalformedPolicyDocument");
        assertThat(e.getStatus().getDescription()).contains(engineMessage);
        assertThat(fieldViolation(e)).isEqualTo(FIELD);
        assertNothingStored(roleName);
    }

    @Test
    void rawLengthIsCappedWhitespaceIncludedBeforeParsing() {
        String roleName = unique("Padded-");
        // Few non-whitespace characters, but more than CreateRole's 131,072-character parameter limit.
        String padded = trust("""
                {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}""")
                + " ".repeat(131_072);
        StatusRuntimeException e = assertError(() -> admin.createRole(CreateRoleRequest.newBuilder()
                        .setRoleName(roleName).setAssumeRolePolicyDocument(padded).build()),
                Status.Code.INVALID_ARGUMENT, "ValidationError");
        assertThat(fieldViolation(e)).isEqualTo(FIELD);
        assertNothingStored(roleName);
    }

    @Test
    void theTrustPolicyQuotaIsCountedWithoutWhitespace() {
        String roleName = unique("Big-");
        List<String> services = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            services.add("\"svc" + i + ".amazonaws.com\"");
        }
        String big = trust("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":[" + String.join(",", services)
                + "]},\"Action\":\"sts:AssumeRole\"}");
        assertError(() -> admin.createRole(CreateRoleRequest.newBuilder()
                        .setRoleName(roleName).setAssumeRolePolicyDocument(big).build()),
                Status.Code.FAILED_PRECONDITION, "LimitExceeded");
        assertNothingStored(roleName);
    }

    @Test
    void rejectedDocumentsEmitNoEvent() {
        Set<String> rejectedArns = new HashSet<>();
        rejected().forEach(args -> {
            String roleName = unique("NoEvent-");
            rejectedArns.add("arn:aws:iam::000000000000:role/" + roleName);
            assertError(() -> admin.createRole(CreateRoleRequest.newBuilder().setRoleName(roleName)
                            .setAssumeRolePolicyDocument((String) args.get()[1]).build()),
                    Status.Code.INVALID_ARGUMENT, "MalformedPolicyDocument");
        });
        // The relay publishes outbox rows in commit order: once a later, valid role's event is on
        // the topic, any event of the rejected calls would be there before it.
        String marker = admin.createRole(CreateRoleRequest.newBuilder().setRoleName(unique("Marker-"))
                .setAssumeRolePolicyDocument(RoleServiceTest.TRUST).build()).getRole().getArn();
        Set<String> keys = new HashSet<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "trust-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("sts.role-events.v1"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(r.key());
                }
                return keys.contains(marker);
            });
        }
        assertThat(keys).doesNotContainAnyElementsOf(rejectedArns);
    }

    static String fieldViolation(StatusRuntimeException e) {
        return StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(BadRequest.class))
                .map(a -> {
                    try {
                        return a.unpack(BadRequest.class).getFieldViolations(0).getField();
                    } catch (Exception ex) {
                        throw new AssertionError(ex);
                    }
                }).findFirst().orElse(null);
    }

    /** No role under the name, and no outbox row (the only way to an event) for its ARN. */
    static void assertNothingStored(String roleName) {
        assertError(() -> admin.getRole(GetRoleRequest.newBuilder().setRoleName(roleName).build()),
                Status.Code.NOT_FOUND, "NoSuchEntity");
        assertThat(outboxRows("arn:aws:iam::000000000000:role/" + roleName)).isZero();
    }

    static int outboxRows(String key) {
        Config config = ConfigProvider.getConfig();
        try (Connection c = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM outbox WHERE record_key = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
