package dev.sts.cluster;

import java.nio.file.Path;

/**
 * Where the local cluster keeps its state (default {@code <repo>/.sts}):
 * <pre>
 *   logs/&lt;component&gt;.log      stdout+stderr of each process (previous run in .log.1)
 *   pids/&lt;component&gt;.pid      pid of each running process
 *   postgres/                 PostgreSQL data directory (persistent)
 *   kafka/                    server.properties, cluster-id, data/ (persistent)
 *   credentials/&lt;name&gt;.token  development bearer tokens (0600), rewritten on every start:
 *                             admin, ec2, intruder, token-service (its own credential for role-service)
 *   static-credentials        SHA-256 of each token and its principal, read by the services
 *   aws/key-ring              the AWS key ring secret access keys are derived from (0600), generated once
 *   aws/access-keys           long-term access keys of the dev principals (no secrets), every start
 *   aws/config, aws/credentials  AWS CLI profiles sts-admin and sts-developer, every start
 *   kek                       token-service key-encryption key (base64, 0600), generated once
 *   db-passwords              passwords of the PostgreSQL login roles (0600), generated once
 *   cluster.properties        ports and account of the last start (read by status)
 * </pre>
 * One place for these names, so that a second launcher (another JVM: {@code ./sts down}) finds what
 * the first one wrote.
 */
public record StateLayout(Path repoRoot, Path stateDir) {

    public Path logsDir() {
        return stateDir.resolve("logs");
    }

    public Path logFile(Component c) {
        return logsDir().resolve(c.id() + ".log");
    }

    public Path pidsDir() {
        return stateDir.resolve("pids");
    }

    public Path pidFile(Component c) {
        return pidsDir().resolve(c.id() + ".pid");
    }

    public Path postgresDataDir() {
        return stateDir.resolve("postgres");
    }

    public Path kafkaDir() {
        return stateDir.resolve("kafka");
    }

    /** The working directory of a service process. */
    public Path workDir(Component service) {
        return stateDir.resolve("work").resolve(service.id());
    }

    /** {@code <state>/credentials/<name>.token}. */
    public Path credentialFile(String name) {
        return stateDir.resolve(DevCredentials.CREDENTIALS_DIR).resolve(name + ".token");
    }

    public Path staticCredentialsFile() {
        return stateDir.resolve(DevCredentials.STATIC_CREDENTIALS_FILE);
    }

    /** {@code <state>/aws}: the AWS key ring, access keys and CLI files (docs/adr/023). */
    public Path awsDir() {
        return stateDir.resolve(DevAwsCredentials.DIR);
    }

    public Path awsKeyRingFile() {
        return awsDir().resolve("key-ring");
    }

    public Path awsAccessKeysFile() {
        return awsDir().resolve("access-keys");
    }

    public Path awsConfigFile() {
        return awsDir().resolve("config");
    }

    public Path awsCredentialsFile() {
        return awsDir().resolve("credentials");
    }

    public Path kekFile() {
        return stateDir.resolve("kek");
    }

    public Path databasePasswordsFile() {
        return stateDir.resolve("db-passwords");
    }

    public Path clusterPropertiesFile() {
        return stateDir.resolve("cluster.properties");
    }

    /** A path relative to the repo root when it is inside it (for messages). */
    public String displayPath(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(repoRoot) ? repoRoot.relativize(abs).toString() : abs.toString();
    }
}
