package dev.sts.token;

import com.google.protobuf.Timestamp;
import dev.sts.kit.events.Topics;
import dev.sts.kit.iam.PermissionView;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.StsEvent;
import dev.sts.token.domain.RoleDirectory;
import dev.sts.token.domain.RoleView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * Stands in for role-service in token-service's own tests (the end-to-end test in system-tests
 * uses the real one): fixed roles, so these tests exercise trust evaluation, minting and event
 * publication against the real PostgreSQL and Kafka. Tests whose sessions assume other roles
 * publish the same roles to the permission-state topic, as role-service publishes them
 * ({@link #publishAndAwait}): a session's own permissions come from the permission view.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class TestRoleDirectory implements RoleDirectory {
    static final String ACCOUNT = "000000000000";
    static final String S3_ACCESS = "arn:aws:iam::" + ACCOUNT + ":role/S3AccessRole";
    static final String CHAINED = "arn:aws:iam::" + ACCOUNT + ":role/ChainTarget";
    static final String EXTERNAL = "arn:aws:iam::" + ACCOUNT + ":role/VendorRole";

    /** S3AccessRole's trust policy: EC2 may assume it, with session tags and a source identity. */
    static final String S3_ACCESS_TRUST = """
            {"Version":"2012-10-17","Statement":[{"Sid":"TrustEc2","Effect":"Allow",
             "Principal":{"Service":"ec2.amazonaws.com"},
             "Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}""";

    private static final Map<String, RoleView> ROLES = Map.of(
            "s3accessrole", new RoleView(S3_ACCESS, "AROAS3ACCESSEXAMPLE0", "S3AccessRole", ACCOUNT, S3_ACCESS_TRUST, 3600),
            "chaintarget", new RoleView(CHAINED, "AROACHAINTARGETEXAM0", "ChainTarget", ACCOUNT, """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"AWS":"arn:aws:iam::000000000000:role/S3AccessRole"},
                     "Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}""", 43200),
            "vendorrole", new RoleView(EXTERNAL, "AROAVENDORROLEEXAMP0", "VendorRole", ACCOUNT, """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole",
                     "Condition":{"StringEquals":{"sts:ExternalId":"Unique-ID-1234"}}}]}""", 3600));

    @Override
    public Uni<Optional<RoleView>> find(String roleName) {
        return Uni.createFrom().item(Optional.ofNullable(ROLES.get(roleName.toLowerCase(Locale.ROOT))));
    }

    /** The role's state as role-service publishes it (revision 1, no permission policies). */
    static RoleState state(RoleView r) {
        return RoleState.newBuilder().setArn(r.arn()).setRoleId(r.roleId()).setRoleName(r.roleName()).setPath("/")
                .setAccountId(r.accountId()).setRevision(1).setAssumeRolePolicyDocument(r.trustPolicy())
                .setMaxSessionDuration(r.maxSessionDuration())
                .setUpdatedAt(Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000)).build();
    }

    /**
     * Publishes these roles (never changed by a test, so publishing them again is harmless) and
     * waits until the view holds them: for tests whose sessions assume other roles.
     */
    static void publishAndAwait(String bootstrapServers, PermissionView view) throws Exception {
        if (ROLES.values().stream().anyMatch(r -> view.role(r.arn()).isEmpty())) {
            publish(bootstrapServers, ROLES.values().stream().map(TestRoleDirectory::state).toArray(RoleState[]::new));
        }
        ROLES.values().forEach(r -> awaitInView(view, r.arn(), 1));
    }

    /** Publishes role states to the permission-state topic and waits for the broker's acknowledgement. */
    static void publish(String bootstrapServers, RoleState... states) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (RoleState s : states) {
                producer.send(new ProducerRecord<>(Topics.PERMISSION_STATE, s.getArn(),
                        StsEvent.newBuilder().setRoleState(s).build().toByteArray())).get();
            }
        }
    }

    /** Waits until the view holds the role at least at the given revision. */
    static void awaitInView(PermissionView view, String arn, long revision) {
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> view.caughtUp() && view.role(arn).map(r -> r.getRevision() >= revision).orElse(false));
    }
}
