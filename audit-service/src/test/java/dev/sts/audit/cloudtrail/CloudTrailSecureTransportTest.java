package dev.sts.audit.cloudtrail;

import static dev.sts.kit.iam.RoleStates.allow;
import static dev.sts.kit.iam.RoleStates.inline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.sts.audit.AuditDatabaseResource;
import dev.sts.audit.SessionTokens;
import dev.sts.audit.SessionTokensResource;
import dev.sts.kit.events.Topics;
import dev.sts.kit.iam.RoleStates;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.StsEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;

/**
 * CloudTrail's LookupEvents is authorized with the HTTP request's context, so over plain HTTP
 * {@code aws:SecureTransport} is "false" and a role's "deny unless TLS" statement refuses its
 * session; before, the key was absent there and such a Deny never applied.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
@QuarkusTestResource(SessionTokensResource.class)
class CloudTrailSecureTransportTest {
    static final String DENY_UNLESS_TLS = """
            {"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny",
             "Action":"audit:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""";

    @Test
    void aDenyUnlessTlsStatementRefusesASessionOverHttp() throws Exception {
        String u = UUID.randomUUID().toString().substring(0, 8);
        RoleState open = RoleStates.role("AuditorAnyTransport" + u)
                .addInlinePolicies(inline("Lookups", allow("audit:LookupEvents", "*"))).build();
        RoleState tlsOnly = RoleStates.role("AuditorTlsOnly" + u)
                .addInlinePolicies(inline("Lookups", allow("audit:LookupEvents", "*")))
                .addInlinePolicies(inline("TlsOnly", DENY_UNLESS_TLS)).build();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (RoleState r : new RoleState[] {open, tlsOnly}) {
                producer.send(new ProducerRecord<>(Topics.PERMISSION_STATE, r.getArn(),
                        StsEvent.newBuilder().setRoleState(r).build().toByteArray())).get();
            }
        }
        try (CloudTrailClient allowed = CloudTrailLookupEventsTest.client(SessionTokens.credentials(open, "a"));
                CloudTrailClient refused = CloudTrailLookupEventsTest.client(SessionTokens.credentials(tlsOnly, "b"))) {
            // The control: once the view holds the roles, the same Allow without the Deny is served.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(CloudTrailException.class)
                    .until(() -> allowed.lookupEvents(b -> b.maxResults(1)) != null);
            String expected = "User: arn:aws:sts::000000000000:assumed-role/AuditorTlsOnly" + u + "/b is not authorized"
                    + " to perform: audit:LookupEvents on resource: * with an explicit deny";
            CloudTrailException denied = await().atMost(Duration.ofSeconds(30)).until(
                    () -> catchThrowableOfType(CloudTrailException.class, () -> refused.lookupEvents(b -> b.maxResults(1))),
                    e -> e != null && e.awsErrorDetails().errorMessage().startsWith(expected));
            assertThat(denied.statusCode()).isIn(400, 403);
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        }
    }
}
