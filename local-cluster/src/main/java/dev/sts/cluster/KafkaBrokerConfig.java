package dev.sts.cluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.sts.kit.events.Topics;

/** The {@code server.properties} of the local single-node KRaft broker (broker and controller). */
public final class KafkaBrokerConfig {
    private KafkaBrokerConfig() {
    }

    public static Map<String, String> properties(int port, int controllerPort, Path logDir) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("num.partitions", String.valueOf(Topics.PARTITIONS));
        // topics exist only as the specification creates them: no implicit ones with broker defaults
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    /** The properties as a {@code server.properties} file (keys in a stable order). */
    public static String render(Map<String, String> properties) {
        StringBuilder sb = new StringBuilder("# written by the sts local cluster on every start\n");
        properties.forEach((k, v) -> sb.append(k).append('=').append(escape(v)).append('\n'));
        return sb.toString();
    }

    private static String escape(String v) {
        // java.util.Properties syntax: backslashes must be doubled (Windows paths)
        return v.replace("\\", "\\\\");
    }
}
