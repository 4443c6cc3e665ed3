package dev.sts.kit.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The line format of the services' small configuration files (bootstrap credentials, AWS access
 * keys, the AWS key ring): whitespace-separated fields, blank lines and {@code #} comments skipped.
 */
public final class ConfigLines {

    /** One line that carries fields, with its 1-based number in the file (for error messages). */
    public record Line(int number, String[] fields) {
    }

    private ConfigLines() {
    }

    /** The lines that carry fields, in file order. */
    public static List<Line> of(List<String> lines) {
        List<Line> out = new ArrayList<>();
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(new Line(n, line.split("\\s+")));
            }
        }
        return out;
    }
}
