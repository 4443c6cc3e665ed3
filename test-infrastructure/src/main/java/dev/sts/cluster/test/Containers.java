package dev.sts.cluster.test;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** The Testcontainers variant of {@link SharedInfrastructure}: used where a Docker engine answers. */
final class Containers {
    private Containers() {
    }

    static boolean dockerAvailable() {
        // Without any sign of a Docker engine, do not ask Testcontainers: its probe logs an ERROR
        // block that reads like a test failure on every machine without Docker.
        java.nio.file.Path home = java.nio.file.Path.of(System.getProperty("user.home", "/"));
        boolean hint = System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(home.resolve(".testcontainers.properties"))
                || java.nio.file.Files.exists(home.resolve(".docker/run/docker.sock"));
        if (!hint) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) { // NOPMD: any failure means no usable Docker
            return false;
        }
    }

    static SharedInfrastructure start() {
        String pgImage = orDefault(SharedInfrastructure.setting(SharedInfrastructure.POSTGRES_IMAGE_PROPERTY),
                SharedInfrastructure.DEFAULT_POSTGRES_IMAGE);
        String kafkaImage = orDefault(SharedInfrastructure.setting(SharedInfrastructure.KAFKA_IMAGE_PROPERTY),
                SharedInfrastructure.DEFAULT_KAFKA_IMAGE);
        PostgreSQLContainer pg = new PostgreSQLContainer(DockerImageName.parse(pgImage)
                .asCompatibleSubstituteFor("postgres"))
                .withDatabaseName("postgres")
                .withUsername("postgres")
                .withPassword("postgres");
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(kafkaImage)
                .asCompatibleSubstituteFor("apache/kafka"))
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_NUM_PARTITIONS", "3")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        try {
            pg.start();
            kafka.start();
        } catch (RuntimeException e) {
            pg.stop();
            kafka.stop();
            throw new IllegalStateException("could not start the PostgreSQL/Kafka containers: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.stop();
            pg.stop();
        }, "sts-test-containers-stop"));
        String bootstrap = kafka.getBootstrapServers().replaceFirst("^[A-Za-z_]+://", "");
        return SharedInfrastructure.ofContainers(pg.getHost(), pg.getMappedPort(5432), pg.getUsername(),
                pg.getPassword(), bootstrap);
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v.trim();
    }
}
