package dev.sts.audit.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.audit.config.CheckpointConfig;
import dev.sts.audit.domain.ChainHead;
import dev.sts.audit.domain.Checkpoint;
import dev.sts.audit.domain.CheckpointSigner;
import dev.sts.audit.domain.CheckpointVerifier;
import dev.sts.audit.persistence.CheckpointKeyStore;
import dev.sts.kit.crypto.SealingKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * audit-service's checkpoint keys: ES256 keys stored sealed in {@code audit_checkpoint_keys} under
 * the key-encryption key ({@link SealingKey}, as token-service seals its signing keys), the facts
 * of the row (kid, algorithm, public key, creation time) bound as associated data. A row is
 * trusted only if its seal opens and holds the private key of the row's public key, so a key the
 * database's owner inserts is neither published nor accepted on a checkpoint.
 *
 * <p>One key serves every replica: the first replica to start creates it under an advisory lock,
 * the others load it (docs/adr/021 says why not one per replica). Every trusted key is published
 * and verifies checkpoints; the newest signs.
 */
@ApplicationScoped
public class CheckpointKeys implements CheckpointSigner, CheckpointVerifier {
    /** The JWS {@code typ} of a checkpoint, so it is never mistaken for another token of the system. */
    public static final JOSEObjectType TYPE = new JOSEObjectType("sts-audit-checkpoint+jwt");
    /** Claim names of a checkpoint's payload ({@code iat} is its time). */
    public static final String CHAIN_ID = "chain_id";
    public static final String SEQUENCE = "sequence";
    public static final String RECORD_HASH = "record_hash";
    private static final Logger LOG = Logger.getLogger(CheckpointKeys.class);
    private static final byte[] LABEL = "sts-audit-checkpoint-key/v1".getBytes(StandardCharsets.US_ASCII);

    /** The JWK set as served over HTTP: its JSON and an entity tag of it. */
    public record Published(String json, String etag) {
    }

    private final SealingKey kek;
    private final Map<String, ECKey> trusted;
    private final ECKey signing;
    private final ECDSASigner signer;
    private final Published published;

    public CheckpointKeys(CheckpointKeyStore store, CheckpointConfig config, InstantSource clock) {
        this.kek = SealingKey.fromBase64(config.keyEncryptionKey(), "sts.audit.checkpoint.key-encryption-key");
        List<CheckpointKeyStore.Row> rows = store.all();
        Map<String, ECKey> keys = trust(rows);
        if (keys.isEmpty() && !rows.isEmpty()) {
            // Every stored key refuses: the key-encryption key is not the one they were sealed with.
            // A new key would make every stored checkpoint unverifiable, so start-up stops instead.
            throw new IllegalStateException("audit-service: none of the " + rows.size() + " checkpoint keys opens with "
                    + "sts.audit.checkpoint.key-encryption-key (another key-encryption key, or altered rows)");
        }
        if (keys.isEmpty()) {
            keys = trust(store.createIfNeeded(existing -> existing.isEmpty() ? Optional.of(newKey(clock.instant())) : Optional.empty()));
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("audit-service: no checkpoint key could be created and opened");
        }
        this.trusted = Map.copyOf(keys);
        this.signing = newest(keys.values());
        try {
            this.signer = new ECDSASigner(signing);
        } catch (JOSEException e) {
            throw new IllegalStateException("checkpoint key " + signing.getKeyID() + " cannot sign", e);
        }
        List<JWK> publicKeys = new ArrayList<>();
        keys.values().forEach(k -> publicKeys.add(k.toPublicJWK()));
        String json = new JWKSet(publicKeys).toString(true);
        this.published = new Published(json, etag(json));
        LOG.infof("audit-service: checkpoints are signed with key %s; %d key(s) published", signing.getKeyID(), keys.size());
    }

    /** The trusted public keys, for {@code /.well-known/audit-checkpoint-jwks.json}. */
    public Published published() {
        return published;
    }

    /** The kid that signs new checkpoints. */
    public String signingKid() {
        return signing.getKeyID();
    }

    @Override
    public Checkpoint sign(ChainHead head, Instant at) {
        Instant signedAt = at.truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().claim(CHAIN_ID, head.chainId()).claim(SEQUENCE, head.sequence())
                .claim(RECORD_HASH, head.recordHash()).issueTime(Date.from(signedAt)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(TYPE).keyID(signing.getKeyID()).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a checkpoint", e);
        }
        return new Checkpoint(head.chainId(), head.sequence(), head.recordHash(), signedAt, signing.getKeyID(), jwt.serialize());
    }

    @Override
    public Optional<String> refusal(Checkpoint c) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(c.jws());
        } catch (ParseException e) {
            return Optional.of("it is not a JWS");
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm()) || !TYPE.equals(header.getType())) {
            return Optional.of("it is not an ES256 checkpoint (alg " + header.getAlgorithm() + ", typ " + header.getType() + ")");
        }
        ECKey key = header.getKeyID() == null ? null : trusted.get(header.getKeyID());
        if (key == null) {
            return Optional.of("it is signed by " + header.getKeyID() + ", not a trusted checkpoint key");
        }
        try {
            if (!jwt.verify(new ECDSAVerifier(key))) {
                return Optional.of("its signature does not verify with key " + header.getKeyID());
            }
        } catch (JOSEException e) {
            return Optional.of("its signature does not verify with key " + header.getKeyID());
        }
        try {
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Long sequence = claims.getLongClaim(SEQUENCE);
            Date issued = claims.getIssueTime();
            if (!c.chainId().equals(claims.getStringClaim(CHAIN_ID)) || sequence == null || sequence != c.sequence()
                    || !c.recordHash().equals(claims.getStringClaim(RECORD_HASH)) || issued == null
                    || !issued.toInstant().equals(c.signedAt()) || !header.getKeyID().equals(c.kid())) {
                return Optional.of("its stored chain, sequence, hash, time or key differ from what was signed");
            }
        } catch (ParseException e) {
            return Optional.of("its payload is not a checkpoint");
        }
        return Optional.empty();
    }

    private Map<String, ECKey> trust(List<CheckpointKeyStore.Row> rows) {
        Map<String, ECKey> keys = new LinkedHashMap<>();
        for (CheckpointKeyStore.Row row : rows) {
            try {
                keys.put(row.kid(), open(row));
            } catch (Refused e) {
                LOG.errorf("audit-service: checkpoint key %s is not trusted: %s", row.kid(), e.getMessage());
            }
        }
        return keys;
    }

    /** The private key of a row whose seal opens with the row's facts and matches its public key. */
    private ECKey open(CheckpointKeyStore.Row row) throws Refused {
        byte[] privateJwk;
        try {
            privateJwk = kek.open(associatedData(row), row.sealedPrivateJwk());
        } catch (SealingKey.Unopenable e) {
            throw new Refused("its sealed private key does not open with this row's kid, algorithm, public key and time: " + e.getMessage());
        }
        try {
            ECKey privateKey = ECKey.parse(new String(privateJwk, StandardCharsets.UTF_8));
            JWK stored = JWK.parse(row.publicJwk());
            if (!privateKey.isPrivate() || stored.isPrivate() || !JWSAlgorithm.ES256.getName().equals(row.algorithm())
                    || !row.kid().equals(privateKey.getKeyID()) || !row.kid().equals(stored.getKeyID())
                    || !stored.computeThumbprint().equals(privateKey.toPublicJWK().computeThumbprint())) {
                throw new Refused("its kid, algorithm or public key does not match its private key");
            }
            return privateKey;
        } catch (ParseException | JOSEException e) {
            throw new Refused("it does not hold a valid JWK");
        }
    }

    private CheckpointKeyStore.Row newKey(Instant now) {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID("sts-audit-" + UUID.randomUUID()).algorithm(JWSAlgorithm.ES256)
                    .keyUse(KeyUse.SIGNATURE).generate();
            // Millisecond precision survives the TIMESTAMPTZ column exactly, so the bound time reads back equal.
            CheckpointKeyStore.Row unsealed = new CheckpointKeyStore.Row(key.getKeyID(), JWSAlgorithm.ES256.getName(),
                    key.toPublicJWK().toJSONString(), null, now.truncatedTo(ChronoUnit.MILLIS));
            byte[] sealed = kek.seal(associatedData(unsealed), key.toJSONString().getBytes(StandardCharsets.UTF_8));
            LOG.infof("audit-service: created checkpoint key %s", key.getKeyID());
            return new CheckpointKeyStore.Row(unsealed.kid(), unsealed.algorithm(), unsealed.publicJwk(), sealed, unsealed.createdAt());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a checkpoint key", e);
        }
    }

    private static byte[] associatedData(CheckpointKeyStore.Row row) {
        return SealingKey.associatedData(LABEL, row.kid(), row.algorithm(), row.publicJwk(),
                Long.toString(row.createdAt().toEpochMilli()));
    }

    private static ECKey newest(java.util.Collection<ECKey> keys) {
        // Insertion order is the store's order (created_at, kid): the last one is the newest.
        ECKey last = null;
        for (ECKey k : keys) {
            last = k;
        }
        return last;
    }

    private static String etag(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A row that cannot be trusted; the message says why, never the key material. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
