package dev.sts.token.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.GetCallerIdentityRequest;
import dev.sts.proto.v1.GetJwksRequest;
import dev.sts.proto.v1.TokenServiceGrpc;
import dev.sts.token.persistence.SigningKeyStore;
import io.agroal.api.AgroalDataSource;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rotation against the real PostgreSQL: replicas sharing the table agree and write one key per
 * rotation; the JWK set over HTTP carries cache headers and answers 304 to its entity tag; a token
 * of a retired key is refused by GetCallerIdentity; a key that stopped signing loses its private key
 * in the table.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "tokenrotation"))
class KeyRotationDatabaseTest {
    static ManagedChannel channel;
    static TokenServiceGrpc.TokenServiceBlockingStub anonymous;

    @Inject
    AgroalDataSource ds;
    @Inject
    KeyManager keys;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        anonymous = TokenServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    static String kek() {
        return ConfigProvider.getConfig().getValue("sts.token.key-encryption-key", String.class);
    }

    @Test
    void replicasRotatingAtTheSameMomentWriteOneKeyAndAgreeOnIt() throws Exception {
        // The replicas' time lies years ahead of the application's, so only their own rows are in their windows.
        KeyManagerClockTest.FakeClock clock = new KeyManagerClockTest.FakeClock();
        clock.now = Instant.now().plus(Duration.ofDays(3650)).truncatedTo(ChronoUnit.MILLIS);
        Instant start = clock.now;
        KeySchedule schedule = new KeySchedule(Duration.ofDays(1), Duration.ofHours(1), Duration.ofMinutes(1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // Two replicas start at the same moment on an empty window: one first key between them.
            List<KeyManager> replicas = all(pool, () -> new KeyManager(new SigningKeyStore(ds), kek(), schedule, clock));
            KeyManager one = replicas.get(0);
            KeyManager two = replicas.get(1);
            assertThat(rowsSigningFrom(start)).hasSize(1);
            String a = one.current().kid();
            assertThat(two.current().kid()).isEqualTo(a);

            // Both reach the write-ahead point of the next key at the same moment, several times over.
            clock.now = start.plus(Duration.ofDays(1)).minus(schedule.writeAhead()).plusSeconds(1);
            for (int round = 0; round < 3; round++) {
                all(pool, () -> {
                    (Thread.currentThread().getName().hashCode() % 2 == 0 ? one : two).refresh();
                    return null;
                });
                all(pool, () -> {
                    one.refresh();
                    two.refresh();
                    return null;
                });
            }
            List<String> written = rowsSigningFrom(start);
            assertThat(written).hasSize(2);
            String b = written.stream().filter(k -> !k.equals(a)).findFirst().orElseThrow();
            for (KeyManager replica : replicas) {
                assertThat(KeyManagerClockTest.kids(replica)).containsExactlyInAnyOrder(a, b);
                assertThat(replica.current().kid()).isEqualTo(a);
            }
            assertThat(two.published().etag()).isEqualTo(one.published().etag());

            // At the rotation both switch to the pre-published key without reading the database.
            clock.now = start.plus(Duration.ofDays(1));
            assertThat(one.current().kid()).isEqualTo(b);
            assertThat(two.current().kid()).isEqualTo(b);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code task} on two threads released together; answers both results. */
    static <T> List<T> all(ExecutorService pool, Callable<T> task) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            futures.add(pool.submit(() -> {
                barrier.await();
                return task.call();
            }));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get());
        }
        return results;
    }

    @Test
    void theJwkSetOverHttpIsCacheableForHalfTheLeadAndRevalidatesWithItsEntityTag() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + TestChannels.port() + "/.well-known/jwks.json");
        keys.refresh();
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("content-type")).hasValue("application/jwk-set+json");
        // Default lead PT1H: cached for 30 minutes at most.
        assertThat(first.headers().firstValue("cache-control")).hasValue("public, max-age=1800");
        String etag = first.headers().firstValue("etag").orElseThrow();
        assertThat(etag).matches("\"[A-Za-z0-9_-]{43}\"");
        assertThat(JWKSet.parse(first.body()).getKeys()).extracting(k -> k.getKeyID())
                .contains(anonymous.getJwks(GetJwksRequest.getDefaultInstance()).getKeyIds(0));
        assertThat(first.body()).doesNotContain("\"d\"");

        HttpResponse<String> revalidated = http.send(HttpRequest.newBuilder(uri).header("If-None-Match", "\"other\", " + etag)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
        assertThat(revalidated.headers().firstValue("etag")).hasValue(etag);
        assertThat(revalidated.headers().firstValue("cache-control")).hasValue("public, max-age=1800");

        HttpResponse<String> changed = http.send(HttpRequest.newBuilder(uri).header("If-None-Match", "\"other\"").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(first.body());
    }

    @Test
    void aTokenOfARetiredKeyIsRefusedWhileOneOfAPublishedKeyIsAccepted() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // Retired: its signing ended 13 h ago and its publication (12 h 5 min after) is over.
        ECKey retired = insertKey(now.minus(Duration.ofHours(38)), now.minus(Duration.ofHours(13)));
        // Still published: its signing ended an hour ago, tokens it signed may still be alive.
        ECKey published = insertKey(now.minus(Duration.ofHours(26)), now.minus(Duration.ofHours(1)));
        keys.refresh();

        List<String> jwks = anonymous.getJwks(GetJwksRequest.getDefaultInstance()).getKeyIdsList();
        assertThat(jwks).contains(published.getKeyID()).doesNotContain(retired.getKeyID());
        // Same claims, both unexpired: only the key differs.
        String accepted = token(published, now);
        assertThat(anonymous.withCallCredentials(new BearerCredentials(accepted))
                .getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance()).getArn()).endsWith("/rotation");
        String refused = token(retired, now);
        assertThatThrownBy(() -> anonymous.withCallCredentials(new BearerCredentials(refused))
                .getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(GrpcErrors.reason(e)).isEqualTo("InvalidClientTokenId");
                });

        // Both stopped signing more than the leeway ago: their private keys are gone from the table.
        for (ECKey key : List.of(retired, published)) {
            SigningKeyStore.Row row = row(key.getKeyID());
            assertThat(row.sealVersion()).as(key.getKeyID()).isEqualTo(SealedKeys.RETIRED);
            String sealed = new SealedKeys(kek()).openRetired(new SealedKeys.Binding(row.kid(), row.algorithm(), row.publicJwk(),
                    row.createdAt(), row.signUntil(), row.publishUntil()), row.sealedPrivateJwk());
            assertThat(ECKey.parse(sealed).isPrivate()).isFalse();
        }
        // The current key keeps its private key and signs.
        assertThat(row(keys.current().kid()).sealVersion()).isEqualTo(SealedKeys.BOUND);
    }

    /** A key written as this service writes one, signing from {@code signFrom} until {@code signUntil}. */
    ECKey insertKey(Instant signFrom, Instant signUntil) throws Exception {
        String kid = "sts-" + UUID.randomUUID();
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
        Instant publishUntil = signUntil.plus(KeyManager.MAX_SESSION).plus(KeySchedule.LEEWAY);
        SealedKeys.Binding binding = new SealedKeys.Binding(kid, "ES256", key.toPublicJWK().toJSONString(), signFrom, signUntil,
                publishUntil);
        new SigningKeyStore(ds).insert(new SigningKeyStore.Row(kid, "ES256", binding.publicJwk(),
                new SealedKeys(kek()).seal(binding, key.toJSONString()), signFrom, signFrom, signUntil, publishUntil, SealedKeys.BOUND));
        return key;
    }

    static String token(ECKey key, Instant now) throws Exception {
        Instant iat = now.truncatedTo(ChronoUnit.SECONDS);
        SessionClaims claims = new SessionClaims(ConfigProvider.getConfig().getValue("sts.token.issuer", String.class), "sts",
                UUID.randomUUID().toString(), "arn:aws:sts::000000000000:assumed-role/S3AccessRole/rotation",
                "arn:aws:iam::000000000000:role/S3AccessRole", "AROAS3ACCESSEXAMPLE0", "rotation", "000000000000", null,
                Map.of(), List.of(), "ASIAROTATIONROTATION", iat, iat.plusSeconds(900), 1, "ec2.amazonaws.com", null);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(new JOSEObjectType(SessionClaims.TOKEN_TYPE)).build(), claims.toClaimsSet());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    List<String> rowsSigningFrom(Instant from) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT kid FROM signing_keys WHERE sign_from >= ? ORDER BY sign_from")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(from));
            List<String> kids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    kids.add(rs.getString(1));
                }
            }
            return kids;
        }
    }

    SigningKeyStore.Row row(String kid) throws Exception {
        return new SigningKeyStore(ds).holdingPrivateKeys(Instant.parse("9999-01-01T00:00:00Z"), -1).stream()
                .filter(r -> r.kid().equals(kid)).findFirst().orElseThrow();
    }
}
