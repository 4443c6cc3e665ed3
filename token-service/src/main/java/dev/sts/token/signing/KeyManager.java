package dev.sts.token.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.sts.kit.config.StsConfig;
import dev.sts.kit.id.Ids;
import dev.sts.token.config.TokenConfig;
import dev.sts.token.persistence.SigningKeyStore;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Holds the signing keys (after SPIRE's CA key manager): the current key signs, every key whose
 * tokens may still be alive, and the next key before it signs, is published. The database is the
 * one store, so every replica publishes and signs from the same rows
 * (docs/adr/016-signing-key-rotation.md):
 * <ul>
 *   <li>A next key is written {@link KeySchedule#prePublication()} before it signs, once, under
 *       an advisory lock ({@link SigningKeyStore#createKeys}); replicas load it within
 *       {@link KeySchedule#refreshInterval()} ({@code KeyRefresh}).
 *   <li>Every replica signs with the same key: of the keys loaded from the database whose signing
 *       window holds now, the one that started last (then the greatest kid). A replica never signs
 *       with a key it has not read back from the database.
 *   <li>A key is published until {@link KeySchedule#publishUntil} (its last token's expiry plus
 *       leeway), then no longer; its private key is destroyed {@link KeySchedule#LEEWAY} after it
 *       stops signing, the row keeping its public key sealed ({@link SealedKeys#RETIRED}).
 * </ul>
 *
 * <p>New keys are of the configured algorithm ({@code sts.token.signing.algorithm}, EdDSA by
 * default); a key keeps the algorithm it was written with for its whole life, so a change of the
 * setting takes effect at the next rotation, the previous key's tokens verifying until they expire
 * (docs/adr/019-ed25519-session-tokens.md).
 *
 * <p>A row is trusted only if its seal opens with the row's own facts as associated data
 * ({@link KeyIntegrity}); any other row (inserted, or with its public key, kid or window altered)
 * is neither published nor used, and is logged as an error by kid.
 */
@Startup
@ApplicationScoped
public class KeyManager {
    /** The longest session a token can carry (IAM's 12 hours). */
    public static final Duration MAX_SESSION = Duration.ofHours(12);
    private static final Logger LOG = Logger.getLogger(KeyManager.class);

    /** A key that may sign; {@link #latestExpiry()} bounds the tokens it signs. */
    public record SigningKey(String kid, SigningAlgorithm algorithm, JWK key, Instant signFrom, Instant signUntil, Instant publishUntil) {
        /** The latest expiry of a token signed with this key: its publication less the leeway verifiers allow. */
        public Instant latestExpiry() {
            return publishUntil.minus(KeySchedule.LEEWAY);
        }
    }

    /** The JWK set as served over HTTP: its JSON and an entity tag of it. */
    public record Published(JWKSet keys, String json, String etag) {
    }

    /** What was loaded: the trusted rows, the keys that may sign, and the published set until {@code until}. */
    private record Loaded(List<KeyIntegrity.Trusted> trusted, List<SigningKey> signers, Published published, Instant until) {
    }

    private final SigningKeyStore store;
    private final KeyIntegrity integrity;
    private final SealedKeys sealed;
    private final KeySchedule schedule;
    private final InstantSource clock;
    private final SigningAlgorithm algorithm;
    private volatile Instant lastRefresh = Instant.EPOCH;
    private volatile Loaded loaded;

    @Inject
    public KeyManager(SigningKeyStore store, TokenConfig config, StsConfig sts, InstantSource clock) {
        this(store, config.keyEncryptionKey(), KeySchedule.of(config, sts), clock, config.signing().algorithm());
    }

    KeyManager(SigningKeyStore store, String keyEncryptionKey, KeySchedule schedule, InstantSource clock) {
        this(store, keyEncryptionKey, schedule, clock, SigningAlgorithm.EdDSA);
    }

    KeyManager(SigningKeyStore store, String keyEncryptionKey, KeySchedule schedule, InstantSource clock,
            SigningAlgorithm algorithm) {
        this.store = store;
        this.algorithm = algorithm;
        this.sealed = new SealedKeys(keyEncryptionKey);
        this.schedule = schedule;
        this.clock = clock;
        this.integrity = new KeyIntegrity(sealed, schedule.period());
        upgradeLegacySeals();
        refresh();
    }

    /** The key to sign with now. Switches to a pre-published key at its start without a database read. */
    public SigningKey current() {
        Instant now = clock.instant();
        SigningKey key = select(loaded.signers(), now);
        if (key == null) {
            synchronized (this) {
                refresh();
                key = select(loaded.signers(), clock.instant());
            }
            if (key == null) {
                throw new IllegalStateException("no signing key can sign now");
            }
        }
        return key;
    }

    /** The public keys to verify with, as published at /.well-known/jwks.json. */
    public JWKSet publicKeys() {
        return published().keys();
    }

    /** The published set and its entity tag; a key whose publication ended is gone without a database read. */
    public Published published() {
        Loaded state = loaded;
        Instant now = clock.instant();
        if (!now.isBefore(state.until())) {
            synchronized (this) {
                state = loaded;
                if (!now.isBefore(state.until())) {
                    state = load(state.trusted(), now);
                    loaded = state;
                }
            }
        }
        return state.published();
    }

    /** The schedule: rotation period, lead, refresh interval and the JWK set's HTTP cache lifetime. */
    public KeySchedule schedule() {
        return schedule;
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

    /**
     * Destroys the private keys of keys that stopped signing, writes the keys the schedule needs
     * (the current one if none can sign, the next one when the last signing window ends within the
     * lead), and reloads every published key from the database.
     */
    public synchronized void refresh() {
        Instant now = clock.instant();
        lastRefresh = now;
        retire(now);
        List<KeyIntegrity.Trusted> trusted = trusted(store.published(now), true);
        if (!due(trusted, now).isEmpty()) {
            List<SigningKeyStore.Row> created = store.createKeys(now,
                    rows -> due(trusted(rows, false), now).stream().map(from -> generate(now, from)).toList());
            for (SigningKeyStore.Row row : created) {
                LOG.infof("generated %s signing key %s (signs from %s until %s, published until %s)", row.algorithm(), row.kid(), row.signFrom(),
                        row.signUntil(), row.publishUntil());
            }
            trusted = trusted(store.published(now), false);
        }
        loaded = load(trusted, now);
    }

    /**
     * The signing starts the schedule lacks: now, when no trusted key can sign now; and the end of
     * the last signing window, once it is within {@link KeySchedule#writeAhead()}.
     */
    List<Instant> due(List<KeyIntegrity.Trusted> trusted, Instant now) {
        List<Instant> due = new ArrayList<>();
        List<SigningKeyStore.Row> signing = trusted.stream().filter(KeyIntegrity.Trusted::canSign).map(KeyIntegrity.Trusted::row)
                .toList();
        Instant horizon = signing.stream().map(SigningKeyStore.Row::signUntil).max(Comparator.naturalOrder()).orElse(now);
        if (signing.stream().noneMatch(r -> !now.isBefore(r.signFrom()) && now.isBefore(r.signUntil()))) {
            due.add(now);
            horizon = max(horizon, now.plus(schedule.period()));
        }
        if (Duration.between(now, horizon).compareTo(schedule.writeAhead()) < 0) {
            due.add(max(horizon, now));
        }
        return due;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The one rule every replica applies to the same rows: the key whose window holds now and started last. */
    private static SigningKey select(List<SigningKey> signers, Instant now) {
        SigningKey best = null;
        for (SigningKey k : signers) {
            if (!now.isBefore(k.signFrom()) && now.isBefore(k.signUntil()) && (best == null || k.signFrom().isAfter(best.signFrom())
                    || k.signFrom().equals(best.signFrom()) && k.kid().compareTo(best.kid()) > 0)) {
                best = k;
            }
        }
        return best;
    }

    private static Loaded load(List<KeyIntegrity.Trusted> trusted, Instant now) {
        List<KeyIntegrity.Trusted> live = trusted.stream().filter(t -> now.isBefore(t.row().publishUntil())).toList();
        List<JWK> publics = new ArrayList<>();
        List<SigningKey> signers = new ArrayList<>();
        Instant until = Instant.MAX;
        for (KeyIntegrity.Trusted t : live) {
            SigningKeyStore.Row row = t.row();
            publics.add(t.publicKey());
            if (t.canSign()) {
                signers.add(new SigningKey(row.kid(), t.algorithm(), t.privateKey(), row.signFrom(), row.signUntil(), row.publishUntil()));
            }
            until = row.publishUntil().isBefore(until) ? row.publishUntil() : until;
        }
        JWKSet set = new JWKSet(publics);
        String json = set.toString(true);
        return new Loaded(live, List.copyOf(signers), new Published(set, json, etag(json)), until);
    }

    private static String etag(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<KeyIntegrity.Trusted> trusted(List<SigningKeyStore.Row> rows, boolean logRefusals) {
        List<KeyIntegrity.Trusted> trusted = new ArrayList<>();
        for (SigningKeyStore.Row row : rows) {
            try {
                trusted.add(integrity.verify(row));
            } catch (KeyIntegrity.Refused e) {
                if (logRefusals) {
                    LOG.errorf("signing key %s refused, neither published nor used: %s", row.kid(), e.getMessage());
                }
            }
        }
        return trusted;
    }

    /**
     * Destroys the private key of every trusted key that stopped signing more than
     * {@link KeySchedule#LEEWAY} ago (published or not): its seal is replaced by a seal of its public
     * key alone. A replica whose clock runs behind keeps the key it loaded until its next refresh.
     */
    private void retire(Instant now) {
        for (SigningKeyStore.Row row : store.holdingPrivateKeys(now.minus(KeySchedule.LEEWAY), SealedKeys.RETIRED)) {
            if (row.sealVersion() != SealedKeys.BOUND) {
                continue; // a legacy row is upgraded at start or stays refused
            }
            try {
                KeyIntegrity.Trusted key = integrity.verify(row);
                if (store.reseal(row.kid(), row.sealedPrivateJwk(), SealedKeys.BOUND, integrity.retire(key), SealedKeys.RETIRED)) {
                    LOG.infof("signing key %s retired: it signed until %s, its private key is destroyed", row.kid(), row.signUntil());
                }
            } catch (KeyIntegrity.Refused e) {
                LOG.errorf("signing key %s refused, not retired: %s", row.kid(), e.getMessage());
            }
        }
    }

    /**
     * Rows sealed before the seal bound the whole row (seal version 1) are re-sealed once, at
     * start, when their old seal still opens and their window has the shape this code writes;
     * otherwise they stay refused (see docs/adr/004-token-service-chaining-and-key-integrity.md).
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

    /** A new key, written at {@code now}, signing from {@code signFrom} for one period. */
    private SigningKeyStore.Row generate(Instant now, Instant signFrom) {
        try {
            String kid = Ids.signingKeyId();
            JWK key = algorithm.generate(kid);
            Instant created = now.truncatedTo(ChronoUnit.MILLIS);
            Instant from = signFrom.truncatedTo(ChronoUnit.MILLIS);
            from = from.isBefore(created) ? created : from;
            Instant signUntil = from.plus(schedule.period());
            SealedKeys.Binding binding = new SealedKeys.Binding(kid, algorithm.jws().getName(),
                    key.toPublicJWK().toJSONString(), created, signUntil, schedule.publishUntil(signUntil));
            return new SigningKeyStore.Row(kid, binding.algorithm(), binding.publicJwk(), sealed.seal(binding, key.toJSONString()),
                    created, from, signUntil, binding.publishUntil(), SealedKeys.BOUND);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }
}
