package dev.sts.kit.aws;

import dev.sts.kit.config.ConfigLines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Long-term access keys ({@code AKIA...}) of the bootstrap principals, configured like the bootstrap
 * bearer credentials ({@code StaticCredentials}): a file of {@code <access key id> <ring key id>
 * <principal>} lines. The file holds no secret: each key's secret is derived from the key ring
 * ({@link AwsKeyRing#accessKeySecret}), so the file may be read by anyone who may know which keys
 * exist.
 */
public final class AwsAccessKeys {
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("AKIA[A-Z2-7]{16}");

    /** One long-term access key. */
    public record AccessKey(String accessKeyId, String ringKeyId, String principal) {
    }

    private final Map<String, AccessKey> byId;

    private AwsAccessKeys(Map<String, AccessKey> byId) {
        this.byId = Map.copyOf(byId);
    }

    public static AwsAccessKeys empty() {
        return new AwsAccessKeys(Map.of());
    }

    /** Blank lines and {@code #} comments are skipped. */
    public static AwsAccessKeys parse(List<String> lines, String source) {
        Map<String, AccessKey> byId = new HashMap<>();
        for (ConfigLines.Line line : ConfigLines.of(lines)) {
            String[] parts = line.fields();
            int n = line.number();
            if (parts.length != 3 || !ACCESS_KEY_ID.matcher(parts[0]).matches()) {
                throw new IllegalStateException(source + ":" + n
                        + ": expected '<AKIA + 16 base32 characters> <key ring id> <principal>'");
            }
            if (byId.putIfAbsent(parts[0], new AccessKey(parts[0], parts[1], parts[2])) != null) {
                throw new IllegalStateException(source + ":" + n + ": access key " + parts[0] + " appears twice");
            }
        }
        return new AwsAccessKeys(byId);
    }

    public static AwsAccessKeys load(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the AWS access keys file " + file, e);
        }
    }

    public Optional<AccessKey> find(String accessKeyId) {
        return Optional.ofNullable(byId.get(accessKeyId));
    }

    /** Every configured key; start-up checks that the ring holds each one's key. */
    public Iterable<AccessKey> all() {
        return byId.values();
    }
}
