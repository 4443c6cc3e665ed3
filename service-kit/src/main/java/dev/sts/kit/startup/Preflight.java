package dev.sts.kit.startup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Checks, before the application starts, that the database and the Kafka broker can be reached,
 * and exits with one clear line per problem instead of a wall of stack traces from Flyway or the
 * Kafka client.
 */
public final class Preflight {
    private Preflight() {
    }

    /** Returns normally when everything is reachable; otherwise prints the problems and exits with status 1. */
    public static void checkOrExit(String service) {
        List<String> problems = problems(ConfigProvider.getConfig());
        if (!problems.isEmpty()) {
            for (String p : problems) {
                System.err.println(service + ": " + p);
            }
            System.exit(1);
        }
    }

    static List<String> problems(Config config) {
        List<String> problems = new ArrayList<>();
        Optional<String> db = config.getOptionalValue("quarkus.datasource.reactive.url", String.class);
        db.ifPresent(url -> {
            HostPort hp = HostPort.fromUrl(url.startsWith("vertx-reactive:") ? url.substring(15) : url, 5432);
            reach(hp).ifPresent(err -> problems.add("cannot reach PostgreSQL at " + hp + " (quarkus.datasource.reactive.url): " + err));
        });
        Optional<String> kafka = config.getOptionalValue("kafka.bootstrap.servers", String.class);
        kafka.ifPresent(servers -> {
            List<String> errors = new ArrayList<>();
            for (String server : servers.split(",")) {
                HostPort hp = HostPort.parse(server.strip(), 9092);
                Optional<String> err = reach(hp);
                if (err.isEmpty()) {
                    return;
                }
                errors.add(hp + ": " + err.get());
            }
            problems.add("cannot reach the Kafka broker (kafka.bootstrap.servers=" + servers + "): " + String.join("; ", errors));
        });
        return problems;
    }

    static Optional<String> reach(HostPort hp) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hp.host(), hp.port()), 3000);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    record HostPort(String host, int port) {
        static HostPort fromUrl(String url, int defaultPort) {
            URI uri = URI.create(url);
            return new HostPort(uri.getHost() == null ? "localhost" : uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort());
        }

        static HostPort parse(String hostPort, int defaultPort) {
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                return new HostPort(hostPort, defaultPort);
            }
            return new HostPort(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
