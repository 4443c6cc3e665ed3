package dev.sts.token.signing;

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
 * Seals private keys for storage with AES-256-GCM under the key-encryption key; the key id is bound
 * as associated data, so a sealed key cannot be swapped onto another row.
 */
public final class SealedKeys {
    private static final int NONCE = 12;
    private final SecretKeySpec kek;
    private final SecureRandom random = new SecureRandom();

    public SealedKeys(String base64Kek) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Kek.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("sts.token.key-encryption-key is not base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("sts.token.key-encryption-key must be 32 bytes (base64), got " + raw.length);
        }
        this.kek = new SecretKeySpec(raw, "AES");
    }

    public byte[] seal(String kid, String privateJwk) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(128, nonce));
            c.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(privateJwk.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal signing key", e);
        }
    }

    public String open(String kid, byte[] sealed) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(128, sealed, 0, NONCE));
            c.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(Arrays.copyOfRange(sealed, NONCE, sealed.length)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + kid + " cannot be opened: wrong key-encryption key or altered row");
        }
    }
}
