package dev.sts.policy.conformance;

import dev.sts.policy.Decision;
import dev.sts.policy.MalformedPolicyException;
import dev.sts.policy.PolicyEvaluator;
import dev.sts.policy.json.JsonReader;
import dev.sts.policy.json.JsonSyntaxException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code java -jar policy-conformance.jar FILE_OR_DIR...}: evaluates every case of every
 * {@code *.json} file given (a directory: its {@code *.json} files in name order) and prints one
 * JSON line per case, then {@code N passed, M failed}. Exit status 0 whatever the counts.
 */
public final class ConformanceRunner {

    /** The result of one case. */
    public record Result(String id, String decision, String error, boolean passed) {

        public String toJsonLine() {
            StringBuilder sb = new StringBuilder("{\"id\":").append(jsonString(id))
                    .append(",\"decision\":").append(jsonString(decision));
            if (error != null) {
                sb.append(",\"error\":").append(jsonString(error));
            }
            return sb.append('}').toString();
        }
    }

    private ConformanceRunner() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (args.length == 0) {
            System.err.println("usage: java -jar policy-conformance.jar FILE_OR_DIR...");
        }
        int passed = 0;
        int failed = 0;
        for (Path file : files(args)) {
            for (Result r : runFile(file)) {
                out.println(r.toJsonLine());
                if (r.passed()) {
                    passed++;
                } else {
                    failed++;
                }
            }
        }
        out.println(passed + " passed, " + failed + " failed"); // autoflush: println flushes
    }

    /** Expands the arguments: files as given, directories to their *.json files in name order. */
    static List<Path> files(String[] args) {
        List<Path> out = new ArrayList<>();
        for (String a : args) {
            Path p = Path.of(a);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f))
                            .sorted((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString()))
                            .forEach(out::add);
                } catch (IOException e) {
                    System.err.println("cannot list " + p + ": " + e.getMessage());
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** Runs every case of one file. */
    public static List<Result> runFile(Path file) {
        List<ConformanceCase> cases = List.of(); // none when the file cannot be read or parsed
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            cases = ConformanceCase.readAll(JsonReader.read(text), text);
        } catch (IOException e) {
            System.err.println("cannot read " + file + ": " + e.getMessage());
        } catch (JsonSyntaxException e) {
            System.err.println(file + ": invalid JSON at line " + e.line() + ", column " + e.column() + ": " + e.reason());
        }
        List<Result> results = new ArrayList<>();
        for (ConformanceCase c : cases) {
            results.add(run(c));
        }
        return results;
    }

    /** Evaluates one case; a malformed policy gives the decision "Error". */
    public static Result run(ConformanceCase c) {
        String decision;
        String error = null;
        try {
            Decision d = PolicyEvaluator.iam().evaluate(c.toRequest());
            decision = d.outcome().wireName();
        } catch (MalformedPolicyException e) {
            decision = "Error";
            error = e.code() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            decision = "Error";
            error = "invalid case: " + e.getMessage();
        }
        return new Result(c.id(), decision, error, decision.equals(c.expected()));
    }

    static String jsonString(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder().append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
