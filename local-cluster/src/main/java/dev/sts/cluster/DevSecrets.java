package dev.sts.cluster;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Secrets the local cluster generates once per state directory and keeps (owner-only files):
 * token-service's key-encryption key, and the passwords of the database login roles. They outlive
 * a restart because the data they protect does: the sealed signing keys, the PostgreSQL roles.
 */
public final class DevSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StateLayout layout;

    public DevSecrets(StateLayout layout) {
        this.layout = layout;
    }

    /** The token-service key-encryption key: 32 random bytes, base64, generated once (0600). */
    public String kek() throws IOException {
        Path kek = layout.kekFile();
        if (Files.isRegularFile(kek)) {
            String v = Files.readString(kek, StandardCharsets.UTF_8).strip();
            if (!v.isEmpty()) {
                return v;
            }
        }
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        String v = Base64.getEncoder().encodeToString(key);
        Files2.writePrivate(kek, v + "\n");
        return v;
    }

    /** The password of each of {@link DatabaseRoles#loginRoles()}: random, generated once (0600). */
    public Map<String, String> databasePasswords() throws IOException {
        Path file = layout.databasePasswordsFile();
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        }
        boolean changed = false;
        Map<String, String> out = new LinkedHashMap<>();
        for (String role : DatabaseRoles.loginRoles()) {
            String v = p.getProperty(role);
            if (v == null || v.isBlank()) {
                byte[] b = new byte[18];
                RANDOM.nextBytes(b);
                v = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
                p.setProperty(role, v);
                changed = true;
            }
            out.put(role, v.strip());
        }
        if (changed) {
            StringBuilder sb = new StringBuilder("# passwords of the local PostgreSQL's login roles (generated once)\n");
            out.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            Files2.writePrivate(file, sb.toString());
        }
        return out;
    }
}
