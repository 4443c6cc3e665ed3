package dev.sts.kit.startup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Recognises the secrets that are published in this repository (docker-compose.yml,
 * deploy/overlays/dev, docker/dev-credentials, the local cluster, the tests) wherever they are
 * configured, by the SHA-256 of their value, not by the name of the setting: a public
 * key-encryption key under any key is still public. Outside {@code sts.dev-mode} a service that
 * finds one refuses to start, naming the setting (never the value).
 */
final class PublicDefaults {
    /** SHA-256 (hex) of a published value -> what it is. Add a line for every new published default. */
    static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("9ed0f9b9936d77a737d8016dfe794ef61fd989bddccf1601daefcddbff8d187e",
                    "the dev key-encryption key of docker-compose.yml and deploy/overlays/dev"),
            Map.entry("2cf5e6ec387461b4bf954f587ad4d957753fcbc48bf892b5e49996b90cf3b476", "the tests' key-encryption key"),
            Map.entry("12f65bb06e86f4d282477250c8cdb96ecd23a6e93c14e979bb12ad13692fc86a",
                    "the dev admin credential of docker/dev-credentials"),
            Map.entry("81bd52950a70e813596ba19c4a3557578746bcefbcde200ba9437f1e0597a920",
                    "the dev token-service credential of docker/dev-credentials"),
            Map.entry("17d6bfe05d1b1fb7bc499f8e3f639c7b3eda4c40f321eef8887a0c04c89a99c5", "the tests' admin credential"),
            Map.entry("aa8120c5a98babc533c5e894ca31961bab061ce787da1ce92276765415385544",
                    "the tests' token-service credential"),
            Map.entry("5960fb38e40e3f7c8c3cefca98d44f065de5ed4cb6a8651fc3dd4763529691a4", "a credential of the tests"),
            Map.entry("306c26e622cbd898bc4c8762d31b80a4e4dc5af32503dda2d1bcc33d9cdf1f6a",
                    "the dev PostgreSQL superuser password"),
            Map.entry("12493443f80c7f1ad54a4c37d72e47ef6efdbb308f4d7fb307be435836ae44c1",
                    "the dev password of the roles database"),
            Map.entry("43e3ac0c4fe57657b4528342607c43ecaec3e70fa9ce5d53d146583728465a2b",
                    "the dev password of the tokens database"),
            Map.entry("6891b9130d55f79862545af37fea407d90abf51edc288ddcc0b46d0b062866c5",
                    "the dev password of the audit database"),
            Map.entry("a942b37ccfaf5a813b1432caa209a43b9d144e47ad0de1549c289c253e556cd5",
                    "the local cluster's PostgreSQL password"));

    private PublicDefaults() {
    }

    /** One line per setting that holds a published secret; empty in dev mode. */
    static List<String> problems(Config config) {
        if (config.getOptionalValue("sts.dev-mode", Boolean.class).orElse(false)) {
            return List.of();
        }
        Map<String, String> found = new LinkedHashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("%")) {
                continue; // another profile's value (e.g. %test.*) is not in effect
            }
            value(config, name).flatMap(PublicDefaults::recognise)
                    .ifPresent(what -> found.merge(what, name, PublicDefaults::preferDotted));
        }
        List<String> problems = new ArrayList<>();
        found.forEach((what, name) -> problems.add(name + " is a public default (" + what
                + ", published with sts); set your own, or sts.dev-mode=true (STS_DEV_MODE=true) on a throw-away installation"));
        value(config, "sts.auth.static-credentials-file").ifPresent(file -> staticCredentials(Path.of(file), problems));
        return problems;
    }

    private static void staticCredentials(Path file, List<String> problems) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return; // the authenticator reports an unreadable file
        }
        for (String line : lines) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2 && KNOWN.containsKey(parts[0].toLowerCase(Locale.ROOT))) {
                problems.add("sts.auth.static-credentials-file (" + file + ") holds a public default credential for "
                        + parts[1] + " (" + KNOWN.get(parts[0].toLowerCase(Locale.ROOT))
                        + "); replace it, or set sts.dev-mode=true (STS_DEV_MODE=true) on a throw-away installation");
            }
        }
    }

    static Optional<String> recognise(String value) {
        String what = KNOWN.get(sha256Hex(value.getBytes(StandardCharsets.UTF_8)));
        return Optional.ofNullable(what);
    }

    private static Optional<String> value(Config config, String name) {
        try {
            return config.getOptionalValue(name, String.class);
        } catch (RuntimeException e) {
            return Optional.empty(); // an unresolvable expression is reported by Quarkus itself
        }
    }

    private static String preferDotted(String a, String b) {
        return a.contains(".") ? a : b;
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
