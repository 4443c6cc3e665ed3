package dev.sts.role.domain;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The opaque page token of a simulation: the index of the next (action, resource) pair and a
 * fingerprint of the action and resource lists it indexes, base64url-encoded. The fingerprint makes
 * a token answer only the simulation it came from: replayed with other actions or resources it is
 * refused instead of silently skipping or repeating results. A token carries no secret, and one
 * crafted by hand can only select a page of the caller's own simulation.
 */
final class SimulationPageToken {
    private static final String PREFIX = "sim1.";
    private static final int MAX_INDEX_DIGITS = 9;

    private SimulationPageToken() {
    }

    static String encode(int nextIndex, String fingerprint) {
        String raw = PREFIX + nextIndex + "." + fingerprint;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The index a token continues at: between 1 and {@code total - 1}, issued for the same actions
     * and resources. Anything else is {@code InvalidInput} on {@code page_token}.
     */
    static int decode(String token, String fingerprint, int total) {
        if (token.length() > SimulationBounds.PAGE_TOKEN_MAX_CHARS) {
            throw invalid();
        }
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!raw.startsWith(PREFIX)) {
            throw invalid();
        }
        int dot = raw.indexOf('.', PREFIX.length());
        if (dot < 0 || !raw.substring(dot + 1).equals(fingerprint)) {
            throw invalid();
        }
        String digits = raw.substring(PREFIX.length(), dot);
        if (digits.isEmpty() || digits.length() > MAX_INDEX_DIGITS || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid();
        }
        int index = Integer.parseInt(digits);
        if (index < 1 || index >= total) {
            throw invalid();
        }
        return index;
    }

    /** SHA-256 over the length-prefixed action names and resource ARNs, first 12 bytes in hex. */
    static String fingerprint(List<String> actions, List<String> resources) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        feed(sha, actions);
        feed(sha, resources);
        byte[] digest = sha.digest();
        return HexFormat.of().formatHex(digest, 0, 12);
    }

    private static void feed(MessageDigest sha, List<String> values) {
        sha.update(Integer.toString(values.size()).getBytes(StandardCharsets.US_ASCII));
        for (String v : values) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            sha.update((byte) ':');
            sha.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) ':');
            sha.update(b);
        }
        sha.update((byte) ';');
    }

    private static StsException invalid() {
        return new StsException(ErrorCode.INVALID_INPUT,
                "page_token is not a next_page_token of this simulation (same action_names and resource_arns)",
                "page_token");
    }
}
