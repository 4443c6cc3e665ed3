package dev.sts.kit.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.kit.events.Topics.Replication;
import dev.sts.kit.events.Topics.TopicSpec;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyTopicOnceWithItsSettings() {
        assertThat(Topics.names()).containsExactly("sts.role-events.v1", "sts.session-events.v1",
                "sts.revocations.v1", "sts.permission-state.v1", "sts.audit-dead-letter.v1", "sts.audit-checkpoints.v1")
                .doesNotHaveDuplicates();
        assertThat(Topics.ALL).allSatisfy(t -> assertThat(t.partitions()).isEqualTo(Topics.PARTITIONS));

        // a revocation replaced by its tombstone stays readable as long as a session event, so the
        // audit trail records every revocation even after audit-service was down for that long
        assertThat(Topics.spec(Topics.REVOCATIONS).orElseThrow().configs(Replication.SINGLE_BROKER))
                .containsExactly(Map.entry("cleanup.policy", "compact"),
                        Map.entry("min.compaction.lag.ms", String.valueOf(Duration.ofDays(7).toMillis())),
                        Map.entry("min.insync.replicas", "1"));
        assertThat(Topics.spec(Topics.REVOCATIONS).orElseThrow().minCompactionLag())
                .isEqualTo(Topics.spec(Topics.SESSION_EVENTS).orElseThrow().retention());
        assertThat(Topics.spec(Topics.SESSION_EVENTS).orElseThrow().configs(Replication.PRODUCTION))
                .containsExactly(Map.entry("cleanup.policy", "delete"),
                        Map.entry("retention.ms", String.valueOf(Duration.ofDays(7).toMillis())),
                        Map.entry("min.insync.replicas", "2"));
        // the permission view is the latest state per ARN, kept until superseded or tombstoned
        TopicSpec state = Topics.spec(Topics.PERMISSION_STATE).orElseThrow();
        assertThat(state.cleanupPolicy()).isEqualTo("compact");
        assertThat(state.retention()).isEmpty();
        // dead letters are evidence of a gap in the audit trail: kept, not compacted away
        TopicSpec deadLetter = Topics.spec(Topics.AUDIT_DEAD_LETTER).orElseThrow();
        assertThat(deadLetter.cleanupPolicy()).isEqualTo("delete");
        assertThat(deadLetter.retention()).hasValueSatisfying(r -> assertThat(r).isGreaterThanOrEqualTo(Duration.ofDays(365)));
        // checkpoints anchor the audit log: every one kept (a compacted topic would keep one per chain)
        TopicSpec checkpoints = Topics.spec(Topics.AUDIT_CHECKPOINTS).orElseThrow();
        assertThat(checkpoints.cleanupPolicy()).isEqualTo("delete");
        assertThat(checkpoints.retention()).hasValueSatisfying(r -> assertThat(r).isGreaterThanOrEqualTo(Duration.ofDays(365)));
        assertThat(Topics.spec("sts.unknown.v1")).isEmpty();
    }

    @Test
    void newTopicCarriesAnExplicitReplicationFactorNeverTheBrokerDefault() {
        NewTopic t = TopicProvisioner.newTopic(Topics.spec(Topics.ROLE_EVENTS).orElseThrow(), Replication.PRODUCTION);
        assertThat(t.name()).isEqualTo(Topics.ROLE_EVENTS);
        assertThat(t.numPartitions()).isEqualTo(3);
        assertThat(t.replicationFactor()).isEqualTo((short) 3);
        assertThat(t.configs()).containsEntry("min.insync.replicas", "2").containsEntry("cleanup.policy", "delete");
    }

    @Test
    void replicationMustBeAbleToAcknowledge() {
        assertThat(Replication.SINGLE_BROKER).isEqualTo(new Replication((short) 1, 1));
        assertThatThrownBy(() -> new Replication((short) 1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min.insync.replicas");
        assertThatThrownBy(() -> new Replication((short) 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopicSpec("x", 3, "compact,delete", java.util.Optional.empty(), ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopicSpec("x", 3, "delete", java.util.Optional.empty(), "",
                java.util.Optional.of(Duration.ofDays(1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min.compaction.lag.ms");
    }
}
