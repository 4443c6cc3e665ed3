package dev.sts.kit.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key-encryption key: seals a service's private keys for storage with AES-256-GCM (a random
 * 96-bit nonce, prefixed) and opens them again. The caller binds every fact a verifier will trust
 * about the key (its kid, algorithm, public key, ...) as associated data, so a stored row that was
 * inserted or whose facts were changed no longer opens: the database cannot vouch for a key, only
 * the holder of this key can. token-service seals its signing keys with it, audit-service its
 * checkpoint keys.
 */
public final class SealingKey {
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SealingKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, "AES");
    }

    /**
     * The key from its configured form, base64 of 32 bytes; {@code setting} names the property in
     * the error, never its value.
     */
    public static SealingKey fromBase64(String base64, String setting) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(setting + " is not base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException(setting + " must be 32 bytes (base64), got " + raw.length);
        }
        return new SealingKey(raw);
    }

    /**
     * Length-prefixed fields after a label, so that no two lists of fields encode alike and a seal
     * made for one purpose (label) never opens as another.
     */
    public static byte[] associatedData(byte[] label, String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(label);
        for (String field : fields) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /** {@code nonce || ciphertext || tag} of {@code plaintext}, bound to {@code associatedData}. */
    public byte[] seal(byte[] associatedData, byte[] plaintext) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData);
            byte[] sealed = c.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a key", e);
        }
    }

    /**
     * The plaintext of a {@link #seal} made with this key and the same associated data.
     *
     * @throws Unopenable when the seal is truncated, made with another key, or bound to other data
     */
    public byte[] open(byte[] associatedData, byte[] sealed) throws Unopenable {
        if (sealed == null || sealed.length <= NONCE) {
            throw new Unopenable("the sealed key is truncated");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
            c.updateAAD(associatedData);
            return c.doFinal(Arrays.copyOfRange(sealed, NONCE, sealed.length));
        } catch (GeneralSecurityException e) {
            throw new Unopenable("wrong key-encryption key or altered row");
        }
    }

    /** A seal that does not open; the message says why in general terms, never with key material. */
    public static final class Unopenable extends Exception {
        Unopenable(String message) {
            super(message, null, false, false);
        }
    }
}
