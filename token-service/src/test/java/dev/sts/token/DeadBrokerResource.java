package dev.sts.token;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.cluster.test.SharedInfrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** The real test database, but a Kafka address where nothing listens: the broker is down. */
public class DeadBrokerResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        SharedInfrastructure infra = SharedInfrastructure.get();
        infra.createDatabase("tokens");
        Map<String, String> config = new HashMap<>(InfrastructureResource.config(infra, "tokens"));
        String dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = "127.0.0.1:" + s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        config.put("kafka.bootstrap.servers", dead);
        config.put("mp.messaging.connector.smallrye-kafka.bootstrap.servers", dead);
        config.put("sts.events.delivery-timeout", "PT2S");
        return config;
    }

    @Override
    public void stop() {
    }
}
