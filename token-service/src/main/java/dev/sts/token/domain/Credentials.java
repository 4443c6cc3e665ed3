package dev.sts.token.domain;

import java.security.SecureRandom;

/** AWS-shaped credential material. */
public final class Credentials {
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Credentials() {
    }

    /** "ASIA" + 16 base32 characters, as AWS temporary access key ids. */
    public static String accessKeyId() {
        return "ASIA" + random(BASE32, 16);
    }

    /** 40 characters, as AWS secret access keys. */
    public static String secretAccessKey() {
        return random(SECRET, 40);
    }

    private static String random(char[] alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet[RANDOM.nextInt(alphabet.length)]);
        }
        return sb.toString();
    }
}
