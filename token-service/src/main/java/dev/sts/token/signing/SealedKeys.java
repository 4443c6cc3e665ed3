package dev.sts.token.signing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals private keys for storage with AES-256-GCM under the key-encryption key. Everything a
 * verifier trusts about a key is bound as associated data ({@link Binding}: kid, algorithm, public
 * key, created/sign-until/publish-until), so a row that was inserted, or whose public key, kid or
 * window was changed, no longer opens: the database cannot vouch for a key, only the KEK can.
 */
public final class SealedKeys {
    /** Seal format: the associated data is the kid alone (rows written before binding the row). */
    public static final int LEGACY = 1;
    /** Seal format: the associated data is the whole {@link Binding}. */
    public static final int BOUND = 2;
    /**
     * Seal format of a retired key: its private key was destroyed once it stopped signing; what is
     * sealed is its public key, bound like {@link #BOUND} under another label, so neither format
     * opens as the other.
     */
    public static final int RETIRED = 3;
    private static final int NONCE = 12;
    private static final byte[] BOUND_LABEL = "sts-signing-key/v2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RETIRED_LABEL = "sts-signing-key/retired".getBytes(StandardCharsets.US_ASCII);
    private final SecretKeySpec kek;
    private final SecureRandom random = new SecureRandom();

    /** The row's facts that the sealed key vouches for. */
    public record Binding(String kid, String algorithm, String publicJwk, Instant createdAt, Instant signUntil,
            Instant publishUntil) {

        /** Length-prefixed fields, so that no two bindings encode alike. Instants at millisecond precision, as stored. */
        byte[] associatedData() {
            return associatedData(BOUND_LABEL);
        }

        private byte[] associatedData(byte[] label) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(label);
            for (String field : new String[] {kid, algorithm, publicJwk, Long.toString(createdAt.toEpochMilli()),
                    Long.toString(signUntil.toEpochMilli()), Long.toString(publishUntil.toEpochMilli())}) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
                out.writeBytes(bytes);
            }
            return out.toByteArray();
        }
    }

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

    /** Seals a private key bound to its row. */
    public byte[] seal(Binding binding, String privateJwk) {
        return seal(binding.associatedData(), privateJwk);
    }

    /** Opens a private key sealed with {@link #seal(Binding, String)}; fails if any bound fact differs. */
    public String open(Binding binding, byte[] sealed) {
        return open(binding.associatedData(), binding.kid(), sealed);
    }

    /** Seals a retired key's public key bound to its row ({@link #RETIRED}). */
    public byte[] sealRetired(Binding binding, String publicJwk) {
        return seal(binding.associatedData(RETIRED_LABEL), publicJwk);
    }

    /** Opens a {@link #RETIRED} seal; fails if any bound fact differs. */
    public String openRetired(Binding binding, byte[] sealed) {
        return open(binding.associatedData(RETIRED_LABEL), binding.kid(), sealed);
    }

    /** Seals with the kid alone as associated data (the {@link #LEGACY} format; tests and the upgrade path). */
    public byte[] seal(String kid, String privateJwk) {
        return seal(kid.getBytes(StandardCharsets.UTF_8), privateJwk);
    }

    /** Opens a {@link #LEGACY} seal. */
    public String open(String kid, byte[] sealed) {
        return open(kid.getBytes(StandardCharsets.UTF_8), kid, sealed);
    }

    private byte[] seal(byte[] aad, String privateJwk) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(128, nonce));
            c.updateAAD(aad);
            byte[] sealed = c.doFinal(privateJwk.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal signing key", e);
        }
    }

    private String open(byte[] aad, String kid, byte[] sealed) {
        if (sealed == null || sealed.length <= NONCE) {
            throw new IllegalStateException("signing key " + kid + " cannot be opened: the sealed key is truncated");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(128, sealed, 0, NONCE));
            c.updateAAD(aad);
            return new String(c.doFinal(Arrays.copyOfRange(sealed, NONCE, sealed.length)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + kid + " cannot be opened: wrong key-encryption key or altered row");
        }
    }
}
