package dev.sts.token.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The domain owns its ports and depends on no adapter: no package of token-service's api, events,
 * signing or persistence, and no gRPC, Kafka or JDBC. Adapters depend on the domain, never the
 * other way round, so there is no package cycle.
 */
class DomainDependenciesTest {
    static final List<String> FORBIDDEN = List.of("import dev.sts.token.api", "import dev.sts.token.events",
            "import dev.sts.token.signing", "import dev.sts.token.persistence", "import io.grpc", "import org.apache.kafka",
            "import java.sql", "import dev.sts.kit.grpc", "import dev.sts.proto");

    @Test
    void theDomainImportsNoAdapter() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/sts/token/domain"))) {
            List<Path> sources = files.filter(p -> p.toString().endsWith(".java")).toList();
            assertThat(sources).isNotEmpty();
            for (Path source : sources) {
                String text = Files.readString(source);
                assertThat(FORBIDDEN).as(source.toString()).noneMatch(text::contains);
            }
        }
    }
}
