package dev.sts.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class KafkaBrokerConfigTest {

    @Test
    void singleNodeKraftOnLoopbackWithReplicationOne() {
        Map<String, String> p = KafkaBrokerConfig.properties(19092, 19093, Path.of("/state/kafka/data"));

        assertThat(p).containsEntry("process.roles", "broker,controller")
                .containsEntry("node.id", "1")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19093")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092")
                .containsEntry("controller.listener.names", "CONTROLLER")
                .containsEntry("inter.broker.listener.name", "PLAINTEXT")
                .containsEntry("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT")
                .containsEntry("log.dirs", "/state/kafka/data")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("share.coordinator.state.topic.min.isr", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("auto.create.topics.enable", "false");
    }

    @Test
    void renderedFileReadsBackAsTheSameProperties() throws Exception {
        Map<String, String> p = KafkaBrokerConfig.properties(1, 2, Path.of("/a b/c"));
        Properties read = new Properties();
        read.load(new StringReader(KafkaBrokerConfig.render(p)));
        assertThat(read).hasSize(p.size());
        p.forEach((k, v) -> assertThat(read.getProperty(k)).as(k).isEqualTo(v));
    }
}
