package dev.sts.cluster;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/** The {@code java} and classpath that the launcher gives the processes it starts. */
public final class JavaRuntime {
    private JavaRuntime() {
    }

    /** The {@code java} of the current JVM. */
    public static String currentJava() {
        Optional<String> cmd = ProcessHandle.current().info().command();
        if (cmd.isPresent() && Files.isExecutable(Paths.get(cmd.get()))) {
            return cmd.get();
        }
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The classpath of the PostgreSQL and Kafka processes: the jar of this class plus {@code lib/*}
     * beside it (the CLI layout); else {@code <root>/local-cluster/target} (jar or classes) plus
     * {@code target/lib/*}; else the classpath of this JVM.
     */
    public static String defaultClasspath(Path repoRoot) {
        String sep = File.pathSeparator;
        try {
            Path self = Paths.get(JavaRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self) && Files.isDirectory(self.resolveSibling("lib"))) {
                return self + sep + self.resolveSibling("lib") + File.separator + "*";
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        Path target = repoRoot.resolve("local-cluster").resolve("target");
        if (Files.isDirectory(target.resolve("lib"))) {
            Optional<Path> jar = Optional.empty();
            try (var s = Files.list(target)) {
                jar = s.filter(p -> p.getFileName().toString().matches("local-cluster-.*\\.jar")
                        && !p.getFileName().toString().endsWith("-sources.jar")
                        && !p.getFileName().toString().endsWith("-tests.jar")).findFirst();
            } catch (IOException ignored) {
                // fall through
            }
            Path classes = jar.orElse(target.resolve("classes"));
            if (Files.exists(classes)) {
                return classes + sep + target.resolve("lib") + File.separator + "*";
            }
        }
        return System.getProperty("java.class.path");
    }
}
