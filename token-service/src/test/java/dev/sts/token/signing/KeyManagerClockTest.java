package dev.sts.token.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import dev.sts.token.persistence.SigningKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rotation and publication windows, driven by a fake clock over an in-memory key table. */
class KeyManagerClockTest {
    static final String KEK = SealedKeysTest.KEK;

    static final class FakeClock implements InstantSource {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Not a bean: the Quarkus tests of this module must keep injecting the real store. */
    @jakarta.enterprise.inject.Vetoed
    static final class MemoryStore extends SigningKeyStore {
        final List<Row> rows = new ArrayList<>();

        MemoryStore() {
            super(null);
        }

        @Override
        public synchronized List<Row> published(Instant now) {
            return rows.stream().filter(r -> r.publishUntil().isAfter(now))
                    .sorted(Comparator.comparing(Row::createdAt).reversed()).toList();
        }

        @Override
        public synchronized void insert(Row row) {
            rows.add(row);
        }

        /** Single-flight as the database's advisory lock makes it: one caller at a time. */
        @Override
        public synchronized List<Row> createKeys(Instant now, java.util.function.Function<List<Row>, List<Row>> plan) {
            List<Row> created = plan.apply(published(now));
            rows.addAll(created);
            return created;
        }

        @Override
        public synchronized List<Row> holdingPrivateKeys(Instant before, int retiredVersion) {
            return rows.stream().filter(r -> !r.signUntil().isAfter(before) && r.sealVersion() != retiredVersion).toList();
        }

        @Override
        public synchronized boolean reseal(String kid, byte[] expected, int fromVersion, byte[] sealed, int toVersion) {
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                if (r.kid().equals(kid) && r.sealVersion() == fromVersion) {
                    rows.set(i, new Row(r.kid(), r.algorithm(), r.publicJwk(), sealed, r.createdAt(), r.signFrom(), r.signUntil(),
                            r.publishUntil(), toVersion));
                    return true;
                }
            }
            return false;
        }
    }

    static KeyManager manager(MemoryStore store, Duration period, InstantSource clock) {
        return new KeyManager(store, KEK, new KeySchedule(period, Duration.ofHours(1), Duration.ofMinutes(1)), clock);
    }

    static List<String> kids(KeyManager keys) {
        return keys.publicKeys().getKeys().stream().map(JWK::getKeyID).toList();
    }

    @Test
    void rotatesAtTheEndOfTheSigningPeriodAndPublishesUntilTheLastTokenExpired() {
        FakeClock clock = new FakeClock();
        MemoryStore store = new MemoryStore();
        KeyManager keys = manager(store, Duration.ofDays(1), clock);
        String first = keys.current().kid();
        assertThat(keys.current().publishUntil())
                .isEqualTo(clock.now.plus(Duration.ofDays(1)).plus(KeyManager.MAX_SESSION).plus(KeySchedule.LEEWAY));

        clock.now = clock.now.plus(Duration.ofDays(1)).minusMillis(1);
        assertThat(keys.current().kid()).isEqualTo(first);

        clock.now = clock.now.plusMillis(1);
        String second = keys.current().kid();
        assertThat(second).isNotEqualTo(first);
        assertThat(kids(keys)).containsExactlyInAnyOrder(first, second);

        // The first key stays published for the longest session it may have signed (and leeway), then goes.
        clock.now = clock.now.plus(KeyManager.MAX_SESSION).plus(KeySchedule.LEEWAY).minusMillis(1);
        keys.refresh();
        assertThat(kids(keys)).contains(first);
        clock.now = clock.now.plusMillis(1);
        keys.refresh();
        assertThat(kids(keys)).containsExactly(second);
    }

    @Test
    void aLegacySealIsUpgradedAtStartOnlyWhenItsWindowIsOneThisServiceWrites() throws Exception {
        FakeClock clock = new FakeClock();
        MemoryStore store = new MemoryStore();
        SealedKeys sealed = new SealedKeys(KEK);
        var honest = legacyRow(sealed, "sts-honest", clock.now, Duration.ofDays(1), KeyManager.MAX_SESSION);
        var stretched = legacyRow(sealed, "sts-stretched", clock.now.minusSeconds(1), Duration.ofDays(1),
                KeyManager.MAX_SESSION.plusDays(365));
        store.insert(honest);
        store.insert(stretched);

        KeyManager keys = manager(store, Duration.ofDays(1), clock);

        assertThat(keys.current().kid()).isEqualTo("sts-honest");
        assertThat(kids(keys)).containsExactly("sts-honest");
        assertThat(store.rows).filteredOn(r -> r.kid().equals("sts-honest")).singleElement()
                .satisfies(r -> assertThat(r.sealVersion()).isEqualTo(SealedKeys.BOUND));
        assertThat(store.rows).filteredOn(r -> r.kid().equals("sts-stretched")).singleElement()
                .satisfies(r -> assertThat(r.sealVersion()).isEqualTo(SealedKeys.LEGACY));
    }

    static SigningKeyStore.Row legacyRow(SealedKeys sealed, String kid, Instant created, Duration signing, Duration publishAfter)
            throws Exception {
        var key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID(kid)
                .algorithm(com.nimbusds.jose.JWSAlgorithm.ES256).generate();
        Instant signUntil = created.plus(signing);
        return new SigningKeyStore.Row(kid, "ES256", key.toPublicJWK().toJSONString(), sealed.seal(kid, key.toJSONString()),
                created, created, signUntil, signUntil.plus(publishAfter), SealedKeys.LEGACY);
    }
}
