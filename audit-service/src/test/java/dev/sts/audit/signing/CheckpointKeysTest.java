package dev.sts.audit.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.audit.config.CheckpointConfig;
import dev.sts.audit.domain.ChainHead;
import dev.sts.audit.domain.Checkpoint;
import dev.sts.audit.persistence.CheckpointKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The checkpoint keys' integrity and the checkpoint signatures, with a hand-written key table. */
class CheckpointKeysTest {
    static final String KEK = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final String OTHER_KEK = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00.123456Z");
    static final ChainHead HEAD = new ChainHead("sts.session-events.v1/1", 42, "a".repeat(64));

    /** The table: a list, with the creation lock a no-op. */
    static final class Table extends CheckpointKeyStore {
        final List<Row> rows = new ArrayList<>();

        Table() {
            super(null);
        }

        @Override
        public List<Row> all() {
            return List.copyOf(rows);
        }

        @Override
        public List<Row> createIfNeeded(Function<List<Row>, Optional<Row>> plan) {
            plan.apply(all()).ifPresent(rows::add);
            return all();
        }
    }

    static CheckpointConfig config(String kek) {
        return new CheckpointConfig() {
            public String keyEncryptionKey() {
                return kek;
            }

            public long everyRecords() {
                return 1000;
            }

            public Duration everyInterval() {
                return Duration.ofSeconds(10);
            }

            public Duration pollInterval() {
                return Duration.ofSeconds(1);
            }

            public Duration jwksMaxAge() {
                return Duration.ofMinutes(5);
            }
        };
    }

    final Table table = new Table();

    CheckpointKeys keys() {
        return new CheckpointKeys(table, config(KEK), () -> NOW);
    }

    @Test
    void theFirstStartCreatesOneSealedKeyAndLaterStartsLoadIt() throws Exception {
        CheckpointKeys first = keys();
        assertThat(table.rows).singleElement().satisfies(row -> {
            assertThat(row.kid()).isEqualTo(first.signingKid());
            assertThat(row.algorithm()).isEqualTo("ES256");
            assertThat(new String(row.sealedPrivateJwk(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("\"d\"");
            assertThat(ECKey.parse(row.publicJwk()).isPrivate()).isFalse();
        });
        CheckpointKeys second = keys();
        assertThat(second.signingKid()).isEqualTo(first.signingKid());
        assertThat(table.rows).hasSize(1);
        JWKSet published = JWKSet.parse(second.published().json());
        assertThat(published.getKeys()).singleElement().satisfies(k -> {
            assertThat(k.getKeyID()).isEqualTo(first.signingKid());
            assertThat(k.isPrivate()).isFalse();
        });
        assertThat(second.published().etag()).isEqualTo(first.published().etag());
    }

    @Test
    void aSignedCheckpointVerifiesAndCarriesItsHeadAndTime() throws Exception {
        CheckpointKeys keys = keys();
        Checkpoint c = keys.sign(HEAD, NOW);
        assertThat(c.head()).isEqualTo(HEAD);
        assertThat(c.signedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(keys.refusal(c)).isEmpty();
        SignedJWT jwt = SignedJWT.parse(c.jws());
        assertThat(jwt.getHeader().getType()).isEqualTo(CheckpointKeys.TYPE);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.signingKid());
        assertThat(jwt.getJWTClaimsSet().getLongClaim("sequence")).isEqualTo(42);
        assertThat(jwt.getJWTClaimsSet().getStringClaim("chain_id")).isEqualTo(HEAD.chainId());
        assertThat(jwt.getJWTClaimsSet().getStringClaim("record_hash")).isEqualTo(HEAD.recordHash());
    }

    @Test
    void storedColumnsThatDifferFromThePayloadAreRefused() {
        CheckpointKeys keys = keys();
        Checkpoint c = keys.sign(HEAD, NOW);
        for (Checkpoint altered : List.of(
                new Checkpoint(c.chainId(), 43, c.recordHash(), c.signedAt(), c.kid(), c.jws()),
                new Checkpoint(c.chainId(), c.sequence(), "b".repeat(64), c.signedAt(), c.kid(), c.jws()),
                new Checkpoint("sts.role-events.v1/1", c.sequence(), c.recordHash(), c.signedAt(), c.kid(), c.jws()),
                new Checkpoint(c.chainId(), c.sequence(), c.recordHash(), c.signedAt().plusSeconds(1), c.kid(), c.jws()))) {
            assertThat(keys.refusal(altered)).as(altered.toString()).hasValueSatisfying(r -> assertThat(r).contains("differ"));
        }
    }

    @Test
    void aCheckpointSignedByAnyOtherKeyIsRefusedEvenUnderTheTrustedKid() throws Exception {
        CheckpointKeys keys = keys();
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID(keys.signingKid()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(CheckpointKeys.TYPE)
                .keyID(keys.signingKid()).build(), new JWTClaimsSet.Builder().claim("chain_id", HEAD.chainId())
                        .claim("sequence", HEAD.sequence()).claim("record_hash", HEAD.recordHash())
                        .issueTime(Date.from(Instant.parse("2026-01-01T00:00:00Z"))).build());
        forged.sign(new ECDSASigner(attacker));
        Checkpoint c = new Checkpoint(HEAD.chainId(), HEAD.sequence(), HEAD.recordHash(), Instant.parse("2026-01-01T00:00:00Z"),
                keys.signingKid(), forged.serialize());
        assertThat(keys.refusal(c)).hasValueSatisfying(r -> assertThat(r).contains("signature does not verify"));
        assertThat(keys.refusal(new Checkpoint(c.chainId(), c.sequence(), c.recordHash(), c.signedAt(), c.kid(), "not.a.jws")))
                .isPresent();
    }

    @Test
    void aKeyRowTheDatabaseOwnerInsertedIsNeitherPublishedNorTrusted() throws Exception {
        CheckpointKeys genuine = keys();
        // The owner writes a row holding his own key, sealed under a key-encryption key he chose.
        CheckpointKeys his = new CheckpointKeys(new Table(), config(OTHER_KEK), () -> NOW.plusSeconds(60));
        Table hisTable = new Table();
        new CheckpointKeys(hisTable, config(OTHER_KEK), () -> NOW.plusSeconds(60));
        table.rows.add(hisTable.rows.get(0));
        CheckpointKeys reloaded = keys();
        assertThat(reloaded.signingKid()).isEqualTo(genuine.signingKid());
        assertThat(JWKSet.parse(reloaded.published().json()).getKeys()).extracting(k -> k.getKeyID())
                .containsExactly(genuine.signingKid());
        assertThat(reloaded.refusal(his.sign(HEAD, NOW))).hasValueSatisfying(r -> assertThat(r).contains("not a trusted checkpoint key"));
    }

    @Test
    void aKeyRowWithAnotherPublicKeyDoesNotOpen() throws Exception {
        keys();
        CheckpointKeyStore.Row row = table.rows.get(0);
        String otherPublic = new ECKeyGenerator(Curve.P_256).keyID(row.kid()).generate().toPublicJWK().toJSONString();
        table.rows.set(0, new CheckpointKeyStore.Row(row.kid(), row.algorithm(), otherPublic, row.sealedPrivateJwk(), row.createdAt()));
        assertThatThrownBy(this::keys).hasMessageContaining("none of the 1 checkpoint keys opens");
    }

    @Test
    void startUpRefusesAKeyEncryptionKeyThatOpensNoStoredKey() {
        keys();
        assertThatThrownBy(() -> new CheckpointKeys(table, config(OTHER_KEK), () -> NOW))
                .hasMessageContaining("none of the 1 checkpoint keys opens").hasMessageNotContaining(OTHER_KEK);
        assertThat(table.rows).hasSize(1);
    }
}
