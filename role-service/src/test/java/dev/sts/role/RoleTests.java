package dev.sts.role;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.CreatePolicyRequest;
import dev.sts.proto.v1.CreateRoleRequest;
import dev.sts.proto.v1.ManagedPolicy;
import dev.sts.proto.v1.Role;
import dev.sts.proto.v1.RoleServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** What the role-service flow tests share: callers, documents, error assertions and topic reads. */
final class RoleTests {
    static final String ACCOUNT = "000000000000";
    static final String TRUST = RoleServiceTest.TRUST;
    static final String S3_READ = """
            {"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject",
             "Resource":"arn:aws:s3:::bucket/*"}]}""";
    static final String S3_WRITE = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::bucket/*"}]}""";

    private RoleTests() {
    }

    static RoleServiceGrpc.RoleServiceBlockingStub admin(ManagedChannel channel) {
        return RoleServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-admin-token"));
    }

    /** A caller with a valid credential that no policy allows anything. */
    static RoleServiceGrpc.RoleServiceBlockingStub intruder(ManagedChannel channel) {
        return RoleServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-intruder-token"));
    }

    static String unique(String prefix) {
        return RoleServiceTest.unique(prefix);
    }

    static String roleArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + name;
    }

    static String policyArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":policy/" + name;
    }

    static Role createRole(RoleServiceGrpc.RoleServiceBlockingStub stub, String name) {
        return stub.createRole(CreateRoleRequest.newBuilder().setRoleName(name).setAssumeRolePolicyDocument(TRUST).build())
                .getRole();
    }

    static ManagedPolicy createPolicy(RoleServiceGrpc.RoleServiceBlockingStub stub, String name, String document) {
        return stub.createPolicy(CreatePolicyRequest.newBuilder().setPolicyName(name).setPolicyDocument(document).build())
                .getPolicy();
    }

    /** A document of exactly {@code size} characters without whitespace, valid for the engine. */
    static String policyOfSize(int size) {
        String head = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::";
        String tail = "\"}]}";
        int fill = size - head.length() - tail.length();
        if (fill < 1) {
            throw new IllegalArgumentException("too small: " + size);
        }
        return head + "b".repeat(fill) + tail;
    }

    static StatusRuntimeException assertError(Runnable call, Status.Code code, String reason) {
        return RoleServiceTest.assertError(call, code, reason);
    }

    static StatusRuntimeException assertError(Runnable call, Status.Code code, String reason, String field) {
        StatusRuntimeException e = RoleServiceTest.assertError(call, code, reason);
        assertThat(field(e)).as("field of " + GrpcErrors.reason(e)).isEqualTo(field);
        return e;
    }

    /**
     * The request field an error names: BadRequest's for INVALID_ARGUMENT (which must agree with
     * ErrorInfo's), ErrorInfo's metadata otherwise.
     */
    static String field(StatusRuntimeException e) {
        String info = StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(ErrorInfo.class))
                .map(a -> unpack(a, ErrorInfo.class).getMetadataMap().get(GrpcErrors.FIELD)).findFirst().orElse(null);
        String badRequest = StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(BadRequest.class))
                .map(a -> unpack(a, BadRequest.class).getFieldViolations(0).getField()).findFirst().orElse(null);
        if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
            assertThat(badRequest).as("BadRequest field").isEqualTo(info);
        }
        return info;
    }

    private static <T extends com.google.protobuf.Message> T unpack(com.google.protobuf.Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
        }
    }

    /**
     * The records of {@code topic} with {@code key}, from the start of the topic, once
     * {@code complete} holds for them (within 30 s). Tombstones have a null value.
     */
    static List<ConsumerRecord<String, byte[]>> records(String topic, String key,
            Predicate<List<ConsumerRecord<String, byte[]>>> complete) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "role-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                }
                return complete.test(found);
            });
        }
        return found;
    }

    /** Every record of {@code topic} with {@code key} up to the topic's end as it is now. */
    static List<ConsumerRecord<String, byte[]>> recordsToEnd(String topic, String key) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                }
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
        }
        return found;
    }

    static Connection jdbc() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
    }
}
