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
 * address where nothing listens yet: the broker is down. {@link BrokerOutageTest} later opens that
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
        String dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = "127.0.0.1:" + s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        config.put("kafka.bootstrap.servers", dead);
        config.put("mp.messaging.connector.smallrye-kafka.bootstrap.servers", dead);
        config.put("sts.events.publish-timeout", "PT1S");
        config.put("sts.role.outbox-max-backoff", "PT2S");
        return config;
    }

    @Override
    public void stop() {
    }
}
