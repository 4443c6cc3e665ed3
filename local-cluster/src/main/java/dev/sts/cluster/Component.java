package dev.sts.cluster;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The processes of the local cluster, in start order. */
public enum Component {
    POSTGRES("postgres", null),
    KAFKA("kafka", null),
    ROLE_SERVICE("role-service", "roles"),
    TOKEN_SERVICE("token-service", "tokens"),
    AUDIT_SERVICE("audit-service", "audit");

    private final String id;
    private final String database;

    Component(String id, String database) {
        this.id = id;
        this.database = database;
    }

    /** The name used for logs, pid files and the CLI, e.g. {@code role-service}. */
    public String id() {
        return id;
    }

    /** The PostgreSQL database a service uses, or {@code null} for the infrastructure. */
    public String database() {
        return database;
    }

    public boolean isService() {
        return database != null;
    }

    public static List<Component> services() {
        return List.of(ROLE_SERVICE, TOKEN_SERVICE, AUDIT_SERVICE);
    }

    public static List<Component> infrastructure() {
        return List.of(POSTGRES, KAFKA);
    }

    /** The databases PostgreSQL is started with: one per service. */
    public static List<String> databases() {
        return services().stream().map(Component::database).collect(Collectors.toList());
    }

    public static Component byId(String id) {
        for (Component c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown component '" + id + "' (expected one of "
                + Arrays.stream(values()).map(Component::id).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
