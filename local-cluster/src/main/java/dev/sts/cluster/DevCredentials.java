package dev.sts.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Development bearer tokens for the local cluster.
 *
 * <p>Each start writes a fresh random token per principal to {@code <state>/credentials/<name>.token}
 * (mode 0600, the token plus a newline) and, for the services, {@code <state>/static-credentials}:
 * one line per credential, {@code <lowercase hex SHA-256 of the token> <principal>}, so the services
 * never hold a raw token. Lines starting with {@code #} are comments.
 */
public final class DevCredentials {
    public static final String TOKEN_PREFIX = "sts-dev-";
    public static final String STATIC_CREDENTIALS_FILE = "static-credentials";
    public static final String CREDENTIALS_DIR = "credentials";

    /** A named development credential: the name of its token file and the principal it stands for. */
    public record Credential(String name, String principal, String token) {
        public String sha256Hex() {
            return DevCredentials.sha256Hex(token);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private DevCredentials() {
    }

    /** The principal of token-service's own credential for reading roles from role-service. */
    public static final String TOKEN_SERVICE_PRINCIPAL = "token-service.sts.internal";
    /** The name of token-service's own credential (its token goes to token-service only). */
    public static final String TOKEN_SERVICE_CREDENTIAL = "token-service";

    /**
     * The principals of the local cluster, by token name: admin (root, a bootstrap principal), ec2
     * (a service principal), intruder (an IAM user nobody trusts), and token-service's own internal
     * credential for role-service.
     */
    public static Map<String, String> principals(String accountId) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("admin", rootArn(accountId));
        m.put("ec2", "ec2.amazonaws.com");
        m.put("intruder", "arn:aws:iam::" + accountId + ":user/intruder");
        m.put(TOKEN_SERVICE_CREDENTIAL, TOKEN_SERVICE_PRINCIPAL);
        return m;
    }

    public static String rootArn(String accountId) {
        return "arn:aws:iam::" + accountId + ":root";
    }

    /** {@code sts-dev-} followed by 32 URL-safe random characters (192 bits). */
    public static String newToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A fresh token for each principal of {@link #principals(String)}. */
    public static List<Credential> generate(String accountId) {
        List<Credential> out = new ArrayList<>();
        principals(accountId).forEach((name, principal) -> out.add(new Credential(name, principal, newToken())));
        return out;
    }

    public static String sha256Hex(String token) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The content of {@code static-credentials} for these credentials. */
    public static String staticCredentialsFile(List<Credential> credentials) {
        StringBuilder sb = new StringBuilder();
        sb.append("# sts local cluster: development bearer credentials, rewritten by every `./sts up`.\n");
        sb.append("# Format: <lowercase hex SHA-256 of the bearer token> <principal ARN or service name>\n");
        sb.append("# The raw tokens are in credentials/<name>.token beside this file.\n");
        for (Credential c : credentials) {
            sb.append("# ").append(c.name()).append('\n');
            sb.append(c.sha256Hex()).append(' ').append(c.principal()).append('\n');
        }
        return sb.toString();
    }

    /** Writes the token files and the static-credentials file (all owner-only). */
    public static void write(Path stateDir, List<Credential> credentials) throws IOException {
        Path dir = stateDir.resolve(CREDENTIALS_DIR);
        Files2.createPrivateDirectories(dir);
        for (Credential c : credentials) {
            Files2.writePrivate(dir.resolve(c.name() + ".token"), c.token() + "\n");
        }
        Files2.writePrivate(stateDir.resolve(STATIC_CREDENTIALS_FILE), staticCredentialsFile(credentials));
    }

    /** Parses a static-credentials file: hash to principal, comments and blank lines skipped. */
    public static Map<String, String> parseStaticCredentials(String content) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : content.split("\n", -1)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int sp = l.indexOf(' ');
            if (sp <= 0) {
                throw new IllegalArgumentException("malformed static credential line: " + l);
            }
            m.put(l.substring(0, sp), l.substring(sp + 1).strip());
        }
        return m;
    }
}
