package dev.sts.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Creates a database in the local cluster's PostgreSQL (Keycloak's, beside the services' own). */
@Command(name = "create-database", description = "CREATE DATABASE unless it exists.")
final class CreateDatabase implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "15432")
    int port;
    @Option(names = "--user", defaultValue = "postgres")
    String user;
    @Option(names = "--password", defaultValue = "postgres")
    String password;
    @Option(names = "--name", required = true)
    String name;

    @Override
    public Integer call() throws Exception {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            System.err.println("not a plain database name: " + name);
            return 2;
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", user, password);
                PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            q.setString(1, name);
            try (ResultSet r = q.executeQuery()) {
                if (r.next()) {
                    System.out.println("database " + name + " exists");
                    return 0;
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            System.out.println("created database " + name);
            return 0;
        }
    }
}
