package dev.sts.system;

import dev.sts.cluster.ClusterOptions;
import dev.sts.cluster.LocalCluster;
import dev.sts.kit.grpc.BearerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One local cluster for every system test of the run: PostgreSQL, a Kafka broker and the three
 * services as separate processes, started by the launcher behind {@code ./sts up}, on free ports
 * in a temporary state directory. Starting it is most of the module's time, so the test classes
 * share it; it is stopped when the run ends (JUnit closes what the root store holds).
 *
 * <p>A test that stops a component (a broker outage) starts it again before it returns.
 *
 * <p>Use: {@code @ExtendWith(SystemCluster.Resolver.class)} and a {@code SystemCluster} parameter.
 */
final class SystemCluster implements AutoCloseable {
    final LocalCluster cluster;
    final ManagedChannel roles;
    final ManagedChannel tokens;
    final ManagedChannel audit;

    private SystemCluster(LocalCluster cluster) {
        this.cluster = cluster;
        var e = cluster.endpoints();
        this.roles = channel(e.rolePort());
        this.tokens = channel(e.tokenPort());
        this.audit = channel(e.auditPort());
    }

    private static SystemCluster start() {
        Path repo = Path.of(System.getProperty("sts.repo.root", "..")).toAbsolutePath().normalize();
        Path state;
        try {
            state = Files.createTempDirectory("sts-system-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalCluster cluster = new LocalCluster(ClusterOptions.builder(repo).stateDir(state).randomPorts().build())
                .onProgress(line -> System.out.println("[cluster] " + line));
        return new SystemCluster(cluster.start());
    }

    static ManagedChannel channel(int port) {
        return ManagedChannelBuilder.forAddress(LocalCluster.HOST, port).usePlaintext().build();
    }

    /** The development credential {@code admin}, {@code ec2} or {@code intruder} as call credentials. */
    BearerCredentials as(String name) {
        return new BearerCredentials(cluster.token(name));
    }

    @Override
    public void close() {
        for (ManagedChannel c : new ManagedChannel[] {roles, tokens, audit}) {
            c.shutdownNow();
        }
        cluster.close();
    }

    /** Gives each test the one cluster of the run, started on first use. */
    static final class Resolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SystemCluster.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.create(SystemCluster.class))
                    .computeIfAbsent(SystemCluster.class, k -> start(), SystemCluster.class);
        }
    }
}
