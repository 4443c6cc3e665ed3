package dev.sts.role;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.cluster.test.SharedInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * The real test database (one of its own, so that its outbox is this test's alone), but a Kafka
 * address where nothing listens yet: the broker is down. {@link UnreachableBrokerTest} later opens that
 * address as a forwarder to the real broker, as if the broker came back.
 */
public class UnreachableBrokerResource implements QuarkusTestResourceLifecycleManager {
    static final String DATABASE = "roles_outage";

    @Override
    public Map<String, String> start() {
        SharedInfrastructure infra = SharedInfrastructure.get();
        infra.createDatabase(DATABASE);
        infra.createTopics("sts.role-events.v1");
        Map<String, String> config = new HashMap<>(InfrastructureResource.config(infra, DATABASE));
        String dead = "127.0.0.1:" + unusedPortBelowTheEphemeralRange();
        config.put("kafka.bootstrap.servers", dead);
        config.put("mp.messaging.connector.smallrye-kafka.bootstrap.servers", dead);
        config.put("sts.events.publish-timeout", "PT1S");
        config.put("sts.role.outbox-max-backoff", "PT2S");
        // This test is about the outbox relay and reads during an outage: its readiness assertions
        // must not wait for the permission view, which cannot read its topic while the broker is down
        // (the view's own readiness is tested in service-kit and audit-service).
        config.put("sts.permission-view.enabled", "false");
        config.put("sts.revocations.enabled", "false");
        return config;
    }

    /**
     * A free port outside the kernel's ephemeral range (32768-60999 on Linux): a port from
     * {@code new ServerSocket(0)} is soon handed to another process's listener (another test's
     * broker, which then answers), or to the client's own outgoing connection (TCP self-connect).
     */
    static int unusedPortBelowTheEphemeralRange() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException inUse) {
                // try another
            }
        }
        throw new IllegalStateException("no free port below the ephemeral range");
    }

    /**
     * Started after the module's global {@code InfrastructureResource} (order 0), so that its broker
     * address, not the live one, is what the application sees: later resources' values win.
     */
    @Override
    public int order() {
        return 1000;
    }

    @Override
    public void stop() {
    }
}
