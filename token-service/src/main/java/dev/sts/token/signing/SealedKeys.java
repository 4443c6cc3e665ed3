package dev.sts.token.signing;

import dev.sts.kit.crypto.SealingKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Seals private keys for storage with AES-256-GCM under the key-encryption key. Everything a
 * verifier trusts about a key is bound as associated data ({@link Binding}: kid, algorithm, public
 * key, created/sign-until/publish-until), so a row that was inserted, or whose public key, kid or
 * window was changed, no longer opens: the database cannot vouch for a key, only the KEK can.
 * The cipher is service-kit's {@link SealingKey}, shared with audit-service's checkpoint keys.
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
    private static final byte[] BOUND_LABEL = "sts-signing-key/v2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RETIRED_LABEL = "sts-signing-key/retired".getBytes(StandardCharsets.US_ASCII);
    private final SealingKey kek;

    /** The row's facts that the sealed key vouches for. */
    public record Binding(String kid, String algorithm, String publicJwk, Instant createdAt, Instant signUntil,
            Instant publishUntil) {

        /** Length-prefixed fields, so that no two bindings encode alike. Instants at millisecond precision, as stored. */
        byte[] associatedData() {
            return associatedData(BOUND_LABEL);
        }

        private byte[] associatedData(byte[] label) {
            return SealingKey.associatedData(label, kid, algorithm, publicJwk, Long.toString(createdAt.toEpochMilli()),
                    Long.toString(signUntil.toEpochMilli()), Long.toString(publishUntil.toEpochMilli()));
        }
    }

    public SealedKeys(String base64Kek) {
        this.kek = SealingKey.fromBase64(base64Kek, "sts.token.key-encryption-key");
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
        return kek.seal(aad, privateJwk.getBytes(StandardCharsets.UTF_8));
    }

    private String open(byte[] aad, String kid, byte[] sealed) {
        try {
            return new String(kek.open(aad, sealed), StandardCharsets.UTF_8);
        } catch (SealingKey.Unopenable e) {
            throw new IllegalStateException("signing key " + kid + " cannot be opened: " + e.getMessage());
        }
    }
}
