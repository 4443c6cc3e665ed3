package dev.sts.kit.startup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Checks, before the application starts, what would otherwise fail later or, worse, not at all,
 * and exits with one clear line per problem instead of a wall of stack traces:
 * <ul>
 *   <li>published dev secrets outside dev mode ({@link PublicDefaults});
 *   <li>proxy-address-forwarding without trusted proxies ({@link ProxyForwarding});
 *   <li>a JWK set URL without the issuer its tokens must carry;
 *   <li>the service's own database (its configured JDBC URL, user and password: a login, not
 *       only a TCP connect) and reactive URL, and the Kafka broker.
 * </ul>
 */
public final class Preflight {
    private Preflight() {
    }

    /** Returns normally when everything is in order; otherwise prints the problems and exits with status 1. */
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
        List<String> problems = new ArrayList<>(PublicDefaults.problems(config));
        ProxyForwarding.problem(config).ifPresent(problems::add);
        if (config.getOptionalValue("sts.auth.jwks-url", String.class).isPresent()
                && config.getOptionalValue("sts.auth.issuer", String.class).filter(s -> !s.isBlank()).isEmpty()) {
            problems.add("sts.auth.jwks-url is set but sts.auth.issuer (STS_AUTH_ISSUER) is not: set it to "
                    + "token-service's sts.token.issuer");
        }
        if (!problems.isEmpty()) {
            return problems; // configuration first: no connection attempt with a refused setting
        }
        config.getOptionalValue("quarkus.datasource.jdbc.url", String.class).ifPresent(url -> database(config, url)
                .ifPresent(problems::add));
        config.getOptionalValue("quarkus.datasource.reactive.url", String.class).ifPresent(url -> {
            String plain = url.startsWith("vertx-reactive:") ? url.substring(15) : url;
            HostPort hp = HostPort.fromUrl(plain.split(",")[0], 5432);
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

    /** Logs in to the service's own database with its own credentials; the problem, if any. */
    static Optional<String> database(Config config, String jdbcUrl) {
        String where = where(jdbcUrl);
        Optional<String> user = config.getOptionalValue("quarkus.datasource.username", String.class);
        Properties props = new Properties();
        user.ifPresent(u -> props.setProperty("user", u));
        config.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", "3");
        props.setProperty("loginTimeout", "5");
        try (Connection c = DriverManager.getConnection(jdbcUrl, props)) {
            return Optional.empty();
        } catch (SQLException e) {
            // The driver may quote the URL, whose query can hold a password: only host:port/database is shown.
            String reason = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().replace(jdbcUrl, "jdbc:postgresql://" + where).lines().findFirst().orElse("");
            return Optional.of("cannot connect to PostgreSQL database " + where + user.map(u -> " as " + u).orElse("")
                    + " (quarkus.datasource.jdbc.url, quarkus.datasource.username/password): " + reason);
        }
    }

    /** host:port/database of a JDBC URL, without its query (which may hold a password). */
    static String where(String jdbcUrl) {
        String rest = jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl;
        try {
            URI uri = URI.create(rest);
            return (uri.getHost() == null ? "localhost" : uri.getHost()) + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort())
                    + (uri.getPath() == null ? "" : uri.getPath());
        } catch (IllegalArgumentException e) {
            int q = rest.indexOf('?');
            return q < 0 ? rest : rest.substring(0, q);
        }
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
