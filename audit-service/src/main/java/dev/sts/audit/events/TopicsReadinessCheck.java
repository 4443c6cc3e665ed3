package dev.sts.audit.events;

import dev.sts.audit.config.KafkaConfig;
import dev.sts.kit.events.TopicProvisioner;
import dev.sts.kit.events.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness DOWN, naming them, while a topic audit-service reads or writes does not exist.
 * audit-service never creates topics itself: the operator creates them from the one topic
 * specification ({@link Topics}) with an explicit replication factor and {@code min.insync.replicas}
 * (docker/kafka/create-topics.sh, deploy/components/kafka-topics, the local cluster), so that no topic
 * is ever created with broker defaults behind the operator's back (docs/adr/008).
 *
 * <p>Once every topic was seen the answer is kept for a minute, so health does not ask the broker on
 * every probe; while one is missing each probe asks again, bounded by a one-second timeout.
 */
@Readiness
@ApplicationScoped
public class TopicsReadinessCheck implements HealthCheck {
    /** What the audit consumer reads and writes, and the permission view its RPCs are authorized with. */
    static final List<String> REQUIRED = List.of(Topics.ROLE_EVENTS, Topics.SESSION_EVENTS, Topics.REVOCATIONS,
            Topics.AUDIT_DEAD_LETTER, Topics.PERMISSION_STATE, Topics.AUDIT_CHECKPOINTS);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration KEEP_PRESENT = Duration.ofMinutes(1);

    private final Admin admin;
    private final InstantSource clock;
    private volatile Instant allPresentAt;

    public TopicsReadinessCheck(KafkaConfig kafka, InstantSource clock) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        this.admin = Admin.create(p);
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        Instant now = clock.instant();
        Instant seen = allPresentAt;
        if (seen != null && now.isBefore(seen.plus(KEEP_PRESENT))) {
            return HealthCheckResponse.up("topics");
        }
        try {
            List<String> missing = TopicProvisioner.missing(admin, REQUIRED, TIMEOUT);
            if (missing.isEmpty()) {
                allPresentAt = now;
                return HealthCheckResponse.up("topics");
            }
            return HealthCheckResponse.named("topics").down().withData("missing", String.join(",", missing)).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthCheckResponse.named("topics").down().withData("kafka", "interrupted").build();
        } catch (Exception e) {
            return HealthCheckResponse.named("topics").down().withData("kafka", "unreachable").build();
        }
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(1));
    }
}
