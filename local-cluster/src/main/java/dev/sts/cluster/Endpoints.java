package dev.sts.cluster;

import java.net.URI;

/** Where each component of the local cluster listens, and the URLs clients use to reach it. */
public record Endpoints(int postgresPort, int kafkaPort, int rolePort, int tokenPort, int auditPort) {
    /** Everything listens on loopback only: the dev credentials are public within the machine. */
    public static final String HOST = "127.0.0.1";

    /** The endpoints of these options. */
    public static Endpoints of(ClusterOptions o) {
        return new Endpoints(o.postgresPort(), o.kafkaPort(), o.rolePort(), o.tokenPort(), o.auditPort());
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/} (append a database name). */
    public String postgresJdbcBase() {
        return "jdbc:postgresql://" + HOST + ":" + postgresPort + "/";
    }

    public String jdbcUrl(String database) {
        return postgresJdbcBase() + database;
    }

    /** {@code postgresql://127.0.0.1:<port>/<db>}, the form of {@code quarkus.datasource.reactive.url}. */
    public String reactiveUrl(String database) {
        return "postgresql://" + HOST + ":" + postgresPort + "/" + database;
    }

    public String kafkaBootstrapServers() {
        return HOST + ":" + kafkaPort;
    }

    public int port(Component c) {
        return switch (c) {
            case POSTGRES -> postgresPort;
            case KAFKA -> kafkaPort;
            case ROLE_SERVICE -> rolePort;
            case TOKEN_SERVICE -> tokenPort;
            case AUDIT_SERVICE -> auditPort;
        };
    }

    /** {@code 127.0.0.1:<port>}. */
    public String hostPort(Component c) {
        return HOST + ":" + port(c);
    }

    /** {@code http://127.0.0.1:<port>} of a service (HTTP and gRPC share the port). */
    public URI baseUri(Component service) {
        if (!service.isService()) {
            throw new IllegalArgumentException(service + " is not an HTTP service");
        }
        return URI.create("http://" + hostPort(service));
    }

    public URI roleService() {
        return baseUri(Component.ROLE_SERVICE);
    }

    public URI tokenService() {
        return baseUri(Component.TOKEN_SERVICE);
    }

    public URI auditService() {
        return baseUri(Component.AUDIT_SERVICE);
    }

    /** {@code http://127.0.0.1:<token port>}: the {@code iss} of session tokens. */
    public String tokenIssuer() {
        return "http://" + hostPort(Component.TOKEN_SERVICE);
    }

    /** token-service's JWK set, which role-service and audit-service verify session tokens with. */
    public String jwksUrl() {
        return tokenIssuer() + "/.well-known/jwks.json";
    }

    /** The human description of a component's endpoint, as the CLI prints it. */
    public String describe(Component c) {
        return switch (c) {
            case POSTGRES -> postgresJdbcBase() + "{" + String.join(",", Component.databases())
                    + "}  (user " + DatabaseRoles.SUPERUSER + ", password " + DatabaseRoles.SUPERUSER_PASSWORD + ")";
            case KAFKA -> kafkaBootstrapServers();
            default -> baseUri(c).toString();
        };
    }
}
