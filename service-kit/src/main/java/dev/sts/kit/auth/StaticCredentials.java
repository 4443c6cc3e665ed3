package dev.sts.kit.auth;

import dev.sts.kit.config.ConfigLines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bootstrap credentials: bearer tokens configured by the operator, each bound to one principal.
 * Only SHA-256 hashes of the tokens are read and held.
 */
public final class StaticCredentials {
    private final Map<String, String> principalByHash;

    StaticCredentials(Map<String, String> principalByHash) {
        this.principalByHash = Map.copyOf(principalByHash);
    }

    public static StaticCredentials empty() {
        return new StaticCredentials(Map.of());
    }

    /** Reads lines of {@code <hex sha-256> <principal>}; blank lines and {@code #} comments are skipped. */
    public static StaticCredentials parse(List<String> lines, String source) {
        Map<String, String> byHash = new HashMap<>();
        for (ConfigLines.Line line : ConfigLines.of(lines)) {
            String[] parts = line.fields();
            if (parts.length != 2 || !parts[0].matches("[0-9a-fA-F]{64}")) {
                throw new IllegalStateException(source + ":" + line.number()
                        + ": expected '<hex sha-256 of token> <principal>'");
            }
            byHash.put(parts[0].toLowerCase(java.util.Locale.ROOT), parts[1]);
        }
        return new StaticCredentials(byHash);
    }

    public static StaticCredentials load(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read static credentials file " + file, e);
        }
    }

    public Optional<String> principalFor(String token) {
        return Optional.ofNullable(principalByHash.get(sha256Hex(token)));
    }

    public static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
