package dev.sts.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ports of the cluster: valid, distinct and free before a start, with one-line errors that
 * name the variable to change; free random ports for tests.
 */
final class Ports {
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    private Ports() {
    }

    /** Rejects an invalid account id and invalid or duplicate ports. */
    static void validate(ClusterOptions options) {
        if (!ACCOUNT_ID.matcher(options.accountId()).matches()) {
            throw new ClusterException("account id '" + options.accountId() + "' is not 12 digits; set STS_ACCOUNT_ID");
        }
        Map<Integer, String> seen = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : portsOf(options).entrySet()) {
            int p = e.getValue();
            if (p < 1 || p > 65535) {
                throw new ClusterException("port " + p + " of " + e.getKey() + " is not a valid port");
            }
            String other = seen.putIfAbsent(p, e.getKey());
            if (other != null) {
                throw new ClusterException("port " + p + " is given to both " + other + " and " + e.getKey());
            }
        }
    }

    /** Component name (as in messages) to port, for the components these options start. */
    static Map<String, Integer> portsOf(ClusterOptions options) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("postgres", options.postgresPort());
        m.put("kafka", options.kafkaPort());
        m.put("kafka controller", options.kafkaControllerPort());
        if (options.services()) {
            for (Component s : Component.services()) {
                m.put(s.id(), options.port(s));
            }
        }
        return m;
    }

    /** The ports of one component (Kafka: its controller port too). */
    static Map<String, Integer> portsOf(ClusterOptions options, Component c) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(c.id(), options.port(c));
        if (c == Component.KAFKA) {
            m.put("kafka controller", options.kafkaControllerPort());
        }
        return m;
    }

    /** Throws a one-line error naming the variable to set if any of these ports is taken. */
    static void checkFree(Map<String, Integer> ports) {
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            if (!isFree(e.getValue())) {
                throw new ClusterException("port " + e.getValue() + " is already in use (" + e.getKey() + "); set "
                        + variable(e.getKey()));
            }
        }
    }

    /** The environment variable that sets a port, for error messages. */
    static String variable(String component) {
        return switch (component) {
            case "postgres" -> "STS_PG_PORT";
            case "kafka" -> "STS_KAFKA_PORT";
            case "kafka controller" -> "STS_KAFKA_CONTROLLER_PORT";
            case "role-service" -> "STS_ROLE_PORT";
            case "token-service" -> "STS_TOKEN_PORT";
            case "audit-service" -> "STS_AUDIT_PORT";
            default -> "its port";
        };
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(Endpoints.HOST, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code n} distinct ports that were free a moment ago (held open together, so never equal). */
    static int[] freePorts(int n) {
        List<ServerSocket> sockets = new ArrayList<>();
        int[] out = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(Endpoints.HOST, 0));
                sockets.add(s);
                out[i] = s.getLocalPort();
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a probe socket
                }
            }
        }
    }
}
