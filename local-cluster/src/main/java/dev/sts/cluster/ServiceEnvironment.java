package dev.sts.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment of each service process: one definition of how the local cluster wires the
 * services to PostgreSQL, Kafka, the dev credentials and each other.
 *
 * <p>Besides the basics: role-service treats token-service's credential as an internal principal;
 * role-service and audit-service verify session tokens with token-service's JWKS; token-service
 * gets its own credential for role-service; audit-service runs as a role that may only insert and
 * read while Flyway migrates as the owner ({@link DatabaseRoles}); and every service is told it
 * runs in development mode ({@code STS_DEV_MODE=true}), the only mode in which a service accepts
 * the public development defaults.
 */
final class ServiceEnvironment {
    private final ClusterOptions options;
    private final StateLayout layout;

    ServiceEnvironment(ClusterOptions options, StateLayout layout) {
        this.options = options;
        this.layout = layout;
    }

    /**
     * @param kek                    the key-encryption key of token-service's signing keys and audit-service's checkpoint key
     * @param tokenServiceCredential token-service's bearer credential for role-service
     * @param dbPasswords            the password of each of {@link DatabaseRoles#loginRoles()}
     */
    Map<String, String> of(Component s, String kek, String tokenServiceCredential, Map<String, String> dbPasswords) {
        Endpoints e = Endpoints.of(options);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(options.port(s)));
        env.put("QUARKUS_HTTP_HOST", Endpoints.HOST);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", e.reactiveUrl(s.database()));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", e.jdbcUrl(s.database()));
        if (s == Component.AUDIT_SERVICE) {
            env.put("QUARKUS_DATASOURCE_USERNAME", DatabaseRoles.AUDIT_RUNTIME);
            env.put("QUARKUS_DATASOURCE_PASSWORD", dbPasswords.get(DatabaseRoles.AUDIT_RUNTIME));
            env.put("QUARKUS_FLYWAY_USERNAME", DatabaseRoles.AUDIT_OWNER);
            env.put("QUARKUS_FLYWAY_PASSWORD", dbPasswords.get(DatabaseRoles.AUDIT_OWNER));
            // The local cluster's one generated key-encryption key also seals the checkpoint key (ADR 021).
            env.put("STS_AUDIT_CHECKPOINT_KEY_ENCRYPTION_KEY", kek);
        } else {
            env.put("QUARKUS_DATASOURCE_USERNAME", DatabaseRoles.SUPERUSER);
            env.put("QUARKUS_DATASOURCE_PASSWORD", DatabaseRoles.SUPERUSER_PASSWORD);
        }
        env.put("KAFKA_BOOTSTRAP_SERVERS", e.kafkaBootstrapServers());
        env.put("STS_DEV_MODE", "true");
        env.put("STS_ACCOUNT_ID", options.accountId());
        env.put("STS_AUTH_STATIC_CREDENTIALS_FILE", layout.staticCredentialsFile().toString());
        env.put("STS_AUTH_BOOTSTRAP_PRINCIPALS", DevCredentials.rootArn(options.accountId()));
        env.put("STS_AWS_KEY_RING_FILE", layout.awsKeyRingFile().toString());
        env.put("STS_AWS_ACCESS_KEYS_FILE", layout.awsAccessKeysFile().toString());
        if (s == Component.TOKEN_SERVICE) {
            env.put("QUARKUS_GRPC_CLIENTS_ROLES_HOST", Endpoints.HOST);
            env.put("QUARKUS_GRPC_CLIENTS_ROLES_PORT", String.valueOf(options.rolePort()));
            env.put("STS_TOKEN_KEY_ENCRYPTION_KEY", kek);
            env.put("STS_TOKEN_ISSUER", e.tokenIssuer());
            env.put("STS_TOKEN_ROLE_SERVICE_CREDENTIAL", tokenServiceCredential);
        } else {
            env.put("STS_AUTH_JWKS_URL", e.jwksUrl());
            env.put("STS_AUTH_ISSUER", e.tokenIssuer());
        }
        if (s == Component.ROLE_SERVICE) {
            env.put("STS_AUTH_INTERNAL_PRINCIPALS", DevCredentials.TOKEN_SERVICE_PRINCIPAL);
        }
        env.putAll(options.serviceEnv());
        return env;
    }
}
