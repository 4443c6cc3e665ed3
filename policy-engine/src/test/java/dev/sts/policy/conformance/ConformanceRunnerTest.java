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
        Files.writeString(dir.resolve("ignored.txt"), "not a case");
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
}
