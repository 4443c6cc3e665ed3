package dev.sts.audit;

import dev.sts.kit.startup.Preflight;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point: fails fast, in one line, when PostgreSQL or Kafka cannot be reached. */
@QuarkusMain
public class AuditServiceMain {
    public static void main(String... args) {
        Preflight.checkOrExit("audit-service");
        Quarkus.run(args);
    }
}
