package dev.sts.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The Java half of {@code bench/assume-role.sh}. Each subcommand does one preparatory or checking
 * job; the load itself comes from h2load, which costs the server's two cores far less than a JVM
 * client would.
 */
@Command(name = "sts-bench", mixinStandardHelpOptions = true,
        description = "Helpers of bench/assume-role.sh (role setup, request bodies, success counts) and the audit benchmark of bench/audit.sh.",
        subcommands = {PrepareAssumeRole.class, SessionEventCount.Snapshot.class, SessionEventCount.Count.class,
                GrpcCheck.class, CreateDatabase.class, SessionChecksBench.Prepare.class,
                SessionChecksBench.Check.class, JfrBreakdown.class, AuditBench.class})
public final class BenchTool implements Runnable {
    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(new CommandLine(new BenchTool()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
