package dev.sts.role.persistence;

/** Recognises PostgreSQL's unique-violation (SQLSTATE 23505) however deep the driver wraps it. */
final class RoleStoreFailures {
    private RoleStoreFailures() {
    }

    static boolean isUniqueViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
