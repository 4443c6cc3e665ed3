package dev.sts.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@code cluster.properties}: the ports and account of the last start, so that {@code status},
 * {@code restart} and {@code down} from another JVM find a cluster started with other ports.
 */
final class ClusterRecord {
    private ClusterRecord() {
    }

    static void write(ClusterOptions options, Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("postgres.port", String.valueOf(options.postgresPort()));
        p.setProperty("kafka.port", String.valueOf(options.kafkaPort()));
        p.setProperty("kafka.controller.port", String.valueOf(options.kafkaControllerPort()));
        p.setProperty("role-service.port", String.valueOf(options.rolePort()));
        p.setProperty("token-service.port", String.valueOf(options.tokenPort()));
        p.setProperty("audit-service.port", String.valueOf(options.auditPort()));
        p.setProperty("account.id", options.accountId());
        p.setProperty("services", String.valueOf(options.services()));
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "sts local cluster: the options of the last start");
        }
    }

    /**
     * The options of the last start recorded in {@code base}'s state dir (ports, account, services),
     * on top of {@code base}; {@code base} itself if there is no readable record.
     */
    static ClusterOptions lastStart(ClusterOptions base) {
        Path file = base.stateDir().resolve("cluster.properties");
        if (!Files.isRegularFile(file)) {
            return base;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            return base;
        }
        ClusterOptions.Builder b = base.toBuilder();
        try {
            b.postgresPort(Integer.parseInt(p.getProperty("postgres.port", "" + base.postgresPort())));
            b.kafkaPort(Integer.parseInt(p.getProperty("kafka.port", "" + base.kafkaPort())));
            b.kafkaControllerPort(Integer.parseInt(
                    p.getProperty("kafka.controller.port", "" + base.kafkaControllerPort())));
            b.rolePort(Integer.parseInt(p.getProperty("role-service.port", "" + base.rolePort())));
            b.tokenPort(Integer.parseInt(p.getProperty("token-service.port", "" + base.tokenPort())));
            b.auditPort(Integer.parseInt(p.getProperty("audit-service.port", "" + base.auditPort())));
        } catch (NumberFormatException e) {
            return base;
        }
        b.accountId(p.getProperty("account.id", base.accountId()));
        b.services(Boolean.parseBoolean(p.getProperty("services", "" + base.services())));
        return b.build();
    }
}
