package dev.sts.audit.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.audit.config.AuditConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** Readiness follows the consumer thread, its polls and the store, with a clock the test moves. */
class ConsumerReadinessTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    final InstantSource clock = now::get;
    final IngestionHealth health = new IngestionHealth();
    final ConsumerReadiness readiness = new ConsumerReadiness(health, clock, config(Duration.ofSeconds(30)));

    @Test
    void upWhileTheThreadPollsAndTheStoreWorks() {
        health.started(Thread.currentThread(), T0);
        health.polled(T0, Map.of("sts.session-events.v1-0", 3L, "sts.role-events.v1-1", 4L));
        HealthCheckResponse r = readiness.call();
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(r.getData().orElseThrow()).containsEntry("lag", 7L).containsEntry("lag.sts.session-events.v1-0", 3L);
    }

    @Test
    void downWhenTheConsumerThreadHasDied() throws Exception {
        Thread dead = new Thread(() -> { });
        dead.start();
        dead.join();
        health.started(dead, T0);
        health.polled(T0, Map.of());
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }

    @Test
    void downWhenThereWasNoPollWithinTheBound() {
        health.started(Thread.currentThread(), T0);
        health.polled(T0, Map.of());
        now.set(T0.plusSeconds(31));
        HealthCheckResponse r = readiness.call();
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData().orElseThrow().get("problem").toString()).contains("no poll");
    }

    @Test
    void downWhileTheStoreFailsAndUpAgainAfterwards() {
        health.started(Thread.currentThread(), T0);
        health.polled(T0, Map.of());
        health.storeFailing("SQLState 08001: connection refused");
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        health.storeOk();
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    static AuditConfig config(Duration maxSilence) {
        AuditConfig.Consumer consumer = new AuditConfig.Consumer() {
            public int maxPollRecords() {
                return 500;
            }

            public Duration pollTimeout() {
                return Duration.ofMillis(500);
            }

            public int fetchMinBytes() {
                return 1;
            }

            public Duration fetchMaxWait() {
                return Duration.ofMillis(100);
            }

            public int dataErrorAttempts() {
                return 3;
            }

            public Duration initialBackoff() {
                return Duration.ofMillis(1);
            }

            public Duration maxBackoff() {
                return Duration.ofMillis(2);
            }

            public Duration sessionTimeout() {
                return Duration.ofSeconds(10);
            }

            public int storeThreads() {
                return 3;
            }

            public Duration maxPollSilence() {
                return maxSilence;
            }
        };
        return new AuditConfig() {
            public String consumerGroup() {
                return "g";
            }

            public int topicPartitions() {
                return 3;
            }

            public AuditConfig.Consumer consumer() {
                return consumer;
            }
        };
    }
}
