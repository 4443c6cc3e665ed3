package dev.sts.token.domain;

import dev.sts.kit.id.Ids;
import java.security.SecureRandom;

/** AWS-shaped credential material. */
public final class Credentials {
    private static final char[] SECRET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Credentials() {
    }

    /** "ASIA" + 16 base32 characters, as AWS temporary access key ids; time-ordered ({@link Ids#temporaryAccessKeyId()}). */
    public static String accessKeyId() {
        return Ids.temporaryAccessKeyId();
    }

    /** 40 characters, as AWS secret access keys. */
    public static String secretAccessKey() {
        return random(SECRET, 40);
    }

    /**
     * One draw of random bytes per value rather than one per character (each draw takes the
     * generator's lock). The alphabet has a power-of-two size, so masking a byte picks every
     * character with the same probability.
     */
    private static String random(char[] alphabet, int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        char[] out = new char[length];
        int mask = alphabet.length - 1;
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[bytes[i] & mask];
        }
        return new String(out);
    }
}
