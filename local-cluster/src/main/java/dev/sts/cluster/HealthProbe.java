package dev.sts.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;

import dev.sts.kit.events.Topics;

/**
 * Asks each kind of component whether it is healthy, with short timeouts so that {@code status}
 * answers quickly even when something hangs: PostgreSQL answers a query, Kafka describes its
 * cluster and topics, a service answers 200 on {@value #HEALTH_PATH}.
 */
final class HealthProbe {
    static final String HEALTH_PATH = "/q/health/ready";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** HTTP status of {@value #HEALTH_PATH}, or -1 if nothing answers. */
    int serviceStatus(int port) {
        try {
            HttpRequest req = HttpRequest.newBuilder(new URI("http", null, Endpoints.HOST, port, HEALTH_PATH, null, null))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | URISyntaxException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String service(int port) {
        int code = serviceStatus(port);
        return code == 200 ? "ready" : code < 0 ? "not answering" : "not ready (HTTP " + code + ")";
    }

    String postgres(Endpoints e) {
        Properties p = new Properties();
        p.setProperty("user", DatabaseRoles.SUPERUSER);
        p.setProperty("password", DatabaseRoles.SUPERUSER_PASSWORD);
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "3");
        try (Connection c = DriverManager.getConnection(e.jdbcUrl("postgres"), p);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from pg_database where datname in ('roles','tokens','audit')")) {
            rs.next();
            int n = rs.getInt(1);
            return n == 3 ? "ready" : "ready (" + n + " of 3 databases)";
        } catch (Exception ex) {
            return "not answering (" + ClusterException.rootMessage(ex) + ")";
        }
    }

    String kafka(Endpoints e) {
        if (!KafkaProcess.canConnect(e.kafkaPort())) {
            return "not answering";
        }
        try (Admin admin = KafkaAdmin.create(e.kafkaBootstrapServers(), Duration.ofSeconds(3))) {
            int nodes = admin.describeCluster().nodes().get(4, TimeUnit.SECONDS).size();
            var topics = admin.listTopics().names().get(4, TimeUnit.SECONDS);
            long have = Topics.names().stream().filter(topics::contains).count();
            return "ready (" + nodes + " broker, " + have + " of " + Topics.ALL.size() + " topics)";
        } catch (Exception ex) {
            return "not answering (" + ClusterException.rootMessage(ex) + ")";
        }
    }
}
