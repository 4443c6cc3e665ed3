package dev.sts.policy.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformanceRunnerTest {

    private static final String CASE = """
            {"id":"%s","kind":"authorization","identityPolicies":[%s],"sessionPolicies":[],
             "permissionsBoundary":null,"resourcePolicy":null,
             "request":{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject",
                        "resource":"arn:aws:s3:::b/k","resourceAccount":"111122223333","context":{}},
             "expected":"%s"}""";

    private static String runMain(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            ConformanceRunner.main(args);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsOneLinePerCaseThenTheSummary(@TempDir Path dir) throws IOException {
        String allow = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}";
        String broken = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\"}}";
        Files.writeString(dir.resolve("b.json"), "[" + CASE.formatted("b.one", allow, "Allow") + ","
                + CASE.formatted("b.two", broken, "Error") + "]");
        Files.writeString(dir.resolve("a.json"), CASE.formatted("a.one", allow, "ImplicitDeny"));
        // only *.json files of a directory are read
        Files.writeString(dir.resolve("ignored.txt"), CASE.formatted("ignored", allow, "Allow"));
        List<String> lines = runMain(dir.toString()).lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("{\"id\":\"a.one\",\"decision\":\"Allow\"}");
        assertThat(lines.get(1)).isEqualTo("{\"id\":\"b.one\",\"decision\":\"Allow\"}");
        assertThat(lines.get(2)).startsWith("{\"id\":\"b.two\",\"decision\":\"Error\",\"error\":\"MalformedPolicyDocument: Statement: missing required element");
        assertThat(lines.get(3)).isEqualTo("2 passed, 1 failed");
    }

    @Test
    void duplicateKeysInsideAPolicyReachTheParser(@TempDir Path dir) throws IOException {
        String dup = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}";
        Path f = dir.resolve("dup.json");
        Files.writeString(f, CASE.formatted("dup", dup, "Error"));
        String out = runMain(f.toString());
        assertThat(out).contains("\"decision\":\"Error\"").contains("duplicate element \\\"Effect\\\"").contains("1 passed, 0 failed");
    }

    @Test
    void noArgumentsStillPrintsTheSummary() {
        assertThat(runMain()).isEqualTo("0 passed, 0 failed" + System.lineSeparator());
    }

    @Test
    void jsonLinesEscapeQuotes() {
        assertThat(new ConformanceRunner.Result("a\"b", "Error", "x\ny", false).toJsonLine())
                .isEqualTo("{\"id\":\"a\\\"b\",\"decision\":\"Error\",\"error\":\"x\\ny\"}");
    }

    private static <T> T quietly(java.util.function.Supplier<T> run) {
        PrintStream old = System.err;
        try {
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            return run.get();
        } finally {
            System.setErr(old);
        }
    }

    private static String runMainErr(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
            runMain(args);
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void filesOfADirectoryRunInNameOrder(@TempDir Path dir) throws IOException {
        String allow = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}";
        List<String> names = List.of("f", "b", "e", "a", "d", "c");
        for (String n : names) {
            Files.writeString(dir.resolve(n + ".json"), CASE.formatted(n, allow, "Allow"));
        }
        assertThat(runMain(dir.toString()).lines().limit(6))
                .containsExactly(names.stream().sorted().map(n -> "{\"id\":\"" + n + "\",\"decision\":\"Allow\"}").toArray(String[]::new));
    }

    @Test
    void usageAndUnreadableFilesGoToStandardError(@TempDir Path dir) throws IOException {
        assertThat(runMainErr()).startsWith("usage: java -jar policy-conformance.jar FILE_OR_DIR...");
        Path missing = dir.resolve("missing.json");
        assertThat(quietly(() -> ConformanceRunner.runFile(missing))).isEmpty();
        assertThat(runMainErr(missing.toString())).startsWith("cannot read " + missing);
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "[{\"id\":");
        assertThat(quietly(() -> ConformanceRunner.runFile(broken))).isEmpty();
        assertThat(runMainErr(broken.toString())).startsWith(broken + ": invalid JSON at line 1, column ");
    }

    @Test
    void casesThatAreNotCasesAreErrors() {
        String text = "[{\"kind\":\"authorization\",\"identityPolicies\":{\"Statement\":[]},\"sessionPolicies\":null,"
                + "\"request\":{\"principal\":\"arn:aws:iam::111122223333:user/alice\",\"action\":\"s3:GetObject\","
                + "\"resource\":\"*\"},\"expected\":\"ImplicitDeny\"}, 42]";
        List<ConformanceCase> cases = ConformanceCase.readAll(dev.sts.policy.json.JsonReader.read(text), text);
        ConformanceRunner.Result noId = ConformanceRunner.run(cases.get(0));
        assertThat(noId.toJsonLine()).isEqualTo("{\"id\":null,\"decision\":\"ImplicitDeny\"}");
        assertThat(noId.passed()).isTrue();
        // a single policy object where a list is expected counts as a list of one
        assertThat(cases.get(0).toRequest().identityPolicies()).hasSize(1);
        assertThat(cases.get(0).toRequest().sessionPolicies()).isEmpty();
        ConformanceRunner.Result notAnObject = ConformanceRunner.run(cases.get(1));
        assertThat(notAnObject.decision()).isEqualTo("Error");
        assertThat(notAnObject.error()).isEqualTo("invalid case: a case must be a JSON object");
    }

    /** Unnamed policies of a case are labelled like the evaluator's own labels: trust for assumeRole. */
    @Test
    void policiesAreLabelledByTheirSlot() {
        String text = "{\"id\":\"t\",\"kind\":\"assumeRole\",\"identityPolicies\":[],\"resourcePolicy\":"
                + "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"sts:AssumeRole\"}},"
                + "\"request\":{\"principal\":\"arn:aws:iam::111122223333:user/alice\",\"action\":\"sts:AssumeRole\","
                + "\"resource\":\"arn:aws:iam::111122223333:role/R\"},\"expected\":\"Allow\"}";
        ConformanceCase c = ConformanceCase.readAll(dev.sts.policy.json.JsonReader.read(text), text).get(0);
        assertThat(c.toRequest().resourcePolicy().name()).isEqualTo("trust");
        assertThat(c.toRequest().resourcePolicy().type()).isEqualTo(dev.sts.policy.PolicyType.TRUST);
        String auth = text.replace("assumeRole", "authorization").replace("\"Action\":\"sts:AssumeRole\"",
                "\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"");
        assertThat(ConformanceCase.readAll(dev.sts.policy.json.JsonReader.read(auth), auth).get(0).toRequest()
                .resourcePolicy().name()).isEqualTo("resource");
    }
}
