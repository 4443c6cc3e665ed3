package dev.sts.cluster;

import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** An admin client of the local broker with short timeouts: the launcher's answers must be quick. */
public final class KafkaAdmin {
    private KafkaAdmin() {
    }

    public static Admin create(String bootstrapServers, Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout.toMillis()));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout.toMillis()));
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "sts-local-cluster-admin");
        return Admin.create(p);
    }
}
