package dev.sts.kit.aws;

import dev.sts.kit.config.ConfigLines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys secret access keys are derived from (docs/adr/023). No secret access key is stored
 * anywhere: token-service derives a session's secret when it issues the session, and any service
 * holding the ring derives it again to verify a signature.
 *
 * <ul>
 *   <li>session credentials ({@code ASIA...}): {@code HMAC-SHA256(K[kid], "sts/session-secret/v1" ||
 *       access key id || session id)}, where the session token names {@code kid};</li>
 *   <li>long-term access keys ({@code AKIA...}): {@code HMAC-SHA256(K[kid], "sts/access-key/v1" ||
 *       access key id)}, where the access-keys file names {@code kid}.</li>
 * </ul>
 *
 * The MAC's first 30 bytes in base64 make a 40-character secret of AWS's alphabet. The file holds
 * one key per line, {@code <key id> <base64 key of at least 32 bytes>}; the first line is the key
 * new credentials are derived with, the others still verify the credentials derived with them.
 */
public final class AwsKeyRing {
    static final String SESSION_CONTEXT = "sts/session-secret/v1";
    static final String ACCESS_KEY_CONTEXT = "sts/access-key/v1";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MIN_KEY_BYTES = 32;

    private final Map<String, byte[]> keys;
    private final String currentKeyId;

    private AwsKeyRing(Map<String, byte[]> keys, String currentKeyId) {
        this.keys = keys;
        this.currentKeyId = currentKeyId;
    }

    public static AwsKeyRing empty() {
        return new AwsKeyRing(Map.of(), null);
    }

    /**
     * Lines of {@code <key id> <base64 key>}; blank lines and {@code #} comments are skipped.
     *
     * @throws IllegalStateException naming the line (never its key) when a line is malformed, a key
     *     id repeats, or a key is shorter than 32 bytes
     */
    public static AwsKeyRing parse(List<String> lines, String source) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        String first = null;
        for (ConfigLines.Line line : ConfigLines.of(lines)) {
            String[] parts = line.fields();
            int n = line.number();
            if (parts.length != 2 || !KEY_ID.matcher(parts[0]).matches()) {
                throw new IllegalStateException(source + ":" + n + ": expected '<key id> <base64 key>'");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(source + ":" + n + ": the key is not base64");
            }
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalStateException(source + ":" + n + ": a key must have at least " + MIN_KEY_BYTES
                        + " bytes");
            }
            if (keys.putIfAbsent(parts[0], key) != null) {
                throw new IllegalStateException(source + ":" + n + ": key id " + parts[0] + " appears twice");
            }
            if (first == null) {
                first = parts[0];
            }
        }
        return new AwsKeyRing(Map.copyOf(keys), first);
    }

    public static AwsKeyRing load(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the AWS key ring " + file, e);
        }
    }

    /** The key new credentials are derived with, if the ring has any. */
    public Optional<String> currentKeyId() {
        return Optional.ofNullable(currentKeyId);
    }

    public boolean contains(String keyId) {
        return keyId != null && keys.containsKey(keyId);
    }

    /** The secret access key of a session, if the ring holds {@code keyId}. */
    public Optional<String> sessionSecret(String keyId, String accessKeyId, String sessionId) {
        return derive(keyId, SESSION_CONTEXT + accessKeyId + sessionId);
    }

    /** The secret access key of a long-term access key, if the ring holds {@code keyId}. */
    public Optional<String> accessKeySecret(String keyId, String accessKeyId) {
        return derive(keyId, ACCESS_KEY_CONTEXT + accessKeyId);
    }

    private Optional<String> derive(String keyId, String message) {
        byte[] key = keyId == null ? null : keys.get(keyId);
        if (key == null) {
            return Optional.empty();
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] out = mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
            return Optional.of(Base64.getEncoder().encodeToString(Arrays.copyOf(out, 30)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
