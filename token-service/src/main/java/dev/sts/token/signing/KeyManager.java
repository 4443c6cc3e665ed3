package dev.sts.token.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.sts.token.config.TokenConfig;
import dev.sts.token.persistence.SigningKeyStore;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Holds the signing keys (after SPIRE's CA key manager): the current key signs, every key whose
 * tokens may still be alive is published. A key is published from its creation (before its first
 * use) until {@code sign_until + MAX_SESSION}, so no token outlives the key that verifies it.
 * Keys live in the database sealed with the key-encryption key, so replicas share them.
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
    private final SealedKeys sealed;
    private final Duration signingPeriod;
    private final Clock clock = Clock.systemUTC();
    private volatile Instant lastRefresh = Instant.EPOCH;
    private volatile SigningKey current;
    private volatile JWKSet published;

    public KeyManager(SigningKeyStore store, TokenConfig config) {
        this.store = store;
        this.sealed = new SealedKeys(config.keyEncryptionKey());
        this.signingPeriod = config.keySigningPeriod();
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

    /** Reloads keys from the database, generating a new current key when none can sign. */
    public synchronized void refresh() {
        Instant now = clock.instant();
        lastRefresh = now;
        List<SigningKeyStore.Row> rows = store.published(now);
        SigningKeyStore.Row signing = rows.stream().filter(r -> now.isBefore(r.signUntil())).findFirst().orElse(null);
        if (signing == null) {
            signing = generate(now);
            store.insert(signing);
            LOG.infof("generated signing key %s (signs until %s)", signing.kid(), signing.signUntil());
            rows = store.published(now);
        }
        try {
            ECKey privateKey = ECKey.parse(sealed.open(signing.kid(), signing.sealedPrivateJwk()));
            current = new SigningKey(signing.kid(), privateKey, signing.signUntil(), signing.publishUntil());
            List<JWK> publics = new java.util.ArrayList<>();
            for (SigningKeyStore.Row r : rows) {
                publics.add(JWK.parse(r.publicJwk()));
            }
            published = new JWKSet(publics);
        } catch (ParseException e) {
            throw new IllegalStateException("stored signing key is not a valid JWK", e);
        }
    }

    private SigningKeyStore.Row generate(Instant now) {
        try {
            String kid = "sts-" + UUID.randomUUID();
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .generate();
            Instant created = now.truncatedTo(ChronoUnit.MILLIS);
            Instant signUntil = created.plus(signingPeriod);
            return new SigningKeyStore.Row(kid, JWSAlgorithm.ES256.getName(), key.toPublicJWK().toJSONString(),
                    sealed.seal(kid, key.toJSONString()), created, signUntil, signUntil.plus(MAX_SESSION));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }
}
