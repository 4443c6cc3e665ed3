package dev.sts.policy.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.policy.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of {@code shared/policy-cases/examples.json} (copied to test resources) and of our
 * own vector files must get its expected decision. The vector files use the same case format,
 * so they also run through the conformance jar.
 */
class ConformanceVectorsTest {

    static final List<String> VECTOR_FILES = List.of("vectors/conditions.json", "vectors/evaluation.json",
            "vectors/trust.json", "vectors/validation.json");

    static List<ConformanceCase> load(String resource) throws IOException {
        try (InputStream in = ConformanceVectorsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return ConformanceCase.readAll(JsonReader.read(text), text);
        }
    }

    private static Stream<DynamicTest> run(String resource) throws IOException {
        return load(resource).stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            ConformanceRunner.Result r = ConformanceRunner.run(c);
            assertThat(r.decision()).as("%s: %s", c.id(), r.error()).isEqualTo(c.expected());
        }));
    }

    @TestFactory
    Stream<DynamicTest> sharedExamples() throws IOException {
        return run("examples.json");
    }

    @TestFactory
    Stream<DynamicTest> ownVectors() throws IOException {
        List<DynamicTest> all = new ArrayList<>();
        for (String f : VECTOR_FILES) {
            run(f).forEach(all::add);
        }
        return all.stream();
    }

    @Test
    void examplesAreAllThere() throws IOException {
        assertThat(load("examples.json")).hasSize(49);
    }

    @Test
    void everyVectorAreaIsCovered() throws IOException {
        List<String> areas = new ArrayList<>();
        for (String f : VECTOR_FILES) {
            load(f).forEach(c -> areas.add(c.id().substring(0, c.id().indexOf('.'))));
        }
        assertThat(areas).contains("cond-string", "cond-numeric", "cond-date", "cond-bool", "cond-binary", "cond-ip",
                "cond-arn", "cond-null", "set-operators", "variables", "principal", "session", "boundary", "trust",
                "validation", "action", "resource", "explicit-deny", "basics");
    }
}
