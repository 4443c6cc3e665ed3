package dev.sts.kit.health;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the Kafka cluster answers: every service needs it to publish or consume events. */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {
    private final Admin admin;

    public KafkaReadinessCheck(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "sts-health");
        this.admin = Admin.create(p);
    }

    @Override
    public HealthCheckResponse call() {
        try {
            String clusterId = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).clusterId()
                    .get(4, TimeUnit.SECONDS);
            return HealthCheckResponse.named("kafka").up().withData("cluster", clusterId).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("kafka").down().withData("error", e.getClass().getSimpleName()).build();
        }
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
