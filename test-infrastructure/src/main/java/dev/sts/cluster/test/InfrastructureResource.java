package dev.sts.cluster.test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at the {@link SharedInfrastructure}:
 *
 * <pre>{@code
 * @QuarkusTest
 * @QuarkusTestResource(value = InfrastructureResource.class,
 *         initArgs = @ResourceArg(name = "database", value = "roles"))
 * class RoleServiceTest { ... }
 * }</pre>
 *
 * <p>Args: {@code database} (created if missing; default {@code postgres}) and optionally
 * {@code topics} (comma-separated, created if missing). {@link #start()} returns the datasource
 * (reactive and JDBC) and Kafka configuration. {@link #stop()} does nothing: the infrastructure is
 * shared by all test classes and stopped when the JVM exits.
 */
public class InfrastructureResource implements QuarkusTestResourceLifecycleManager {
    public static final String DATABASE = "database";
    public static final String TOPICS = "topics";

    private String database = "postgres";
    private List<String> topics = List.of();

    @Override
    public void init(Map<String, String> initArgs) {
        String db = initArgs.get(DATABASE);
        if (db != null && !db.isBlank()) {
            database = db.trim();
        }
        String t = initArgs.get(TOPICS);
        if (t != null && !t.isBlank()) {
            topics = Arrays.stream(t.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }

    @Override
    public Map<String, String> start() {
        SharedInfrastructure infra = SharedInfrastructure.get();
        infra.createDatabase(database);
        if (!topics.isEmpty()) {
            infra.createTopics(topics.toArray(String[]::new));
        }
        return config(infra, database);
    }

    /** The configuration a service needs to use {@code database} and Kafka of {@code infra}. */
    public static Map<String, String> config(SharedInfrastructure infra, String database) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("quarkus.datasource.reactive.url", infra.reactiveUrl(database));
        m.put("quarkus.datasource.jdbc.url", infra.jdbcUrl(database));
        m.put("quarkus.datasource.username", infra.username());
        m.put("quarkus.datasource.password", infra.password());
        m.put("kafka.bootstrap.servers", infra.kafkaBootstrapServers());
        m.put("mp.messaging.connector.smallrye-kafka.bootstrap.servers", infra.kafkaBootstrapServers());
        return m;
    }

    @Override
    public void stop() {
        // shared across test classes: the JVM shutdown hook stops it
    }
}
