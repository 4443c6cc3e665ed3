package dev.sts.token.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.sts.kit.id.Ids;
import dev.sts.token.config.TokenConfig;
import dev.sts.token.persistence.SigningKeyStore;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Holds the signing keys (after SPIRE's CA key manager): the current key signs, every key whose
 * tokens may still be alive is published. A key is published from its creation (before its first
 * use) until {@code sign_until + MAX_SESSION}, so no token outlives the key that verifies it.
 * Keys live in the database sealed with the key-encryption key, so replicas share them.
 *
 * <p>A row is trusted only if its sealed private key opens with the row's own facts as associated
 * data ({@link KeyIntegrity}); any other row (inserted, or with its public key, kid or window
 * altered) is neither published nor used, and is logged as an error by kid.
 */
@Startup
@ApplicationScoped
public class KeyManager {
    /** The longest session a token can carry (IAM's 12 hours). */
    public static final Duration MAX_SESSION = Duration.ofHours(12);
    private static final Logger LOG = Logger.getLogger(KeyManager.class);

    public record SigningKey(String kid, ECKey key, Instant signUntil, Instant publishUntil) {
    }

    private final SigningKeyStore store;
    private final KeyIntegrity integrity;
    private final SealedKeys sealed;
    private final Duration signingPeriod;
    private final InstantSource clock;
    private volatile Instant lastRefresh = Instant.EPOCH;
    private volatile SigningKey current;
    private volatile JWKSet published;

    public KeyManager(SigningKeyStore store, TokenConfig config, InstantSource clock) {
        this.store = store;
        this.sealed = new SealedKeys(config.keyEncryptionKey());
        this.signingPeriod = config.keySigningPeriod();
        this.clock = clock;
        this.integrity = new KeyIntegrity(sealed, signingPeriod);
        upgradeLegacySeals();
        refresh();
    }

    /** The key to sign with now; rotates to a new key when the current one's signing period is over. */
    public SigningKey current() {
        SigningKey key = current;
        if (key == null || !clock.instant().isBefore(key.signUntil())) {
            synchronized (this) {
                refresh();
                key = current;
            }
        }
        return key;
    }

    /** The public keys to verify with, as published at /.well-known/jwks.json. */
    public JWKSet publicKeys() {
        return published;
    }

    /**
     * Reloads keys when a token names an unknown key id (another replica rotated), at most once per
     * ten seconds, so forged key ids cannot turn into database load.
     */
    public void refreshIfStale() {
        if (clock.instant().isAfter(lastRefresh.plusSeconds(10))) {
            refresh();
        }
    }

    /** Reloads keys from the database, generating a new current key when no trusted key can sign. */
    public synchronized void refresh() {
        Instant now = clock.instant();
        lastRefresh = now;
        List<KeyIntegrity.Trusted> trusted = trusted(store.published(now));
        KeyIntegrity.Trusted signing = trusted.stream().filter(t -> now.isBefore(t.row().signUntil())).findFirst().orElse(null);
        if (signing == null) {
            signing = generate(now);
            store.insert(signing.row());
            LOG.infof("generated signing key %s (signs until %s)", signing.row().kid(), signing.row().signUntil());
            trusted = trusted(store.published(now));
        }
        List<JWK> publics = new ArrayList<>();
        for (KeyIntegrity.Trusted t : trusted) {
            publics.add(t.privateKey().toPublicJWK());
        }
        SigningKeyStore.Row row = signing.row();
        current = new SigningKey(row.kid(), signing.privateKey(), row.signUntil(), row.publishUntil());
        published = new JWKSet(publics);
    }

    private List<KeyIntegrity.Trusted> trusted(List<SigningKeyStore.Row> rows) {
        List<KeyIntegrity.Trusted> trusted = new ArrayList<>();
        for (SigningKeyStore.Row row : rows) {
            try {
                trusted.add(integrity.verify(row));
            } catch (KeyIntegrity.Refused e) {
                LOG.errorf("signing key %s refused, neither published nor used: %s", row.kid(), e.getMessage());
            }
        }
        return trusted;
    }

    /**
     * Rows sealed before the seal bound the whole row (seal version 1) are re-sealed once, at
     * start, when their old seal still opens and their window has the shape this code writes;
     * otherwise they stay refused (see docs/adr/004-signing-key-integrity.md).
     */
    private void upgradeLegacySeals() {
        for (SigningKeyStore.Row row : store.published(clock.instant())) {
            if (row.sealVersion() != SealedKeys.LEGACY) {
                continue;
            }
            try {
                byte[] resealed = integrity.resealLegacy(row);
                if (store.reseal(row.kid(), row.sealedPrivateJwk(), SealedKeys.LEGACY, resealed, SealedKeys.BOUND)) {
                    LOG.infof("signing key %s re-sealed with the row bound as associated data", row.kid());
                }
            } catch (KeyIntegrity.Refused e) {
                LOG.errorf("signing key %s refused, not re-sealed: %s", row.kid(), e.getMessage());
            }
        }
    }

    private KeyIntegrity.Trusted generate(Instant now) {
        try {
            String kid = Ids.signingKeyId();
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .generate();
            Instant created = now.truncatedTo(ChronoUnit.MILLIS);
            Instant signUntil = created.plus(signingPeriod);
            SealedKeys.Binding binding = new SealedKeys.Binding(kid, JWSAlgorithm.ES256.getName(),
                    key.toPublicJWK().toJSONString(), created, signUntil, signUntil.plus(MAX_SESSION));
            SigningKeyStore.Row row = new SigningKeyStore.Row(kid, binding.algorithm(), binding.publicJwk(),
                    sealed.seal(binding, key.toJSONString()), created, signUntil, binding.publishUntil(), SealedKeys.BOUND);
            return new KeyIntegrity.Trusted(row, key);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }
}
