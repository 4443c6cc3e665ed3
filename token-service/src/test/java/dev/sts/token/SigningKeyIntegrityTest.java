package dev.sts.token;

import static dev.sts.token.TokenServiceTest.assume;
import static dev.sts.token.TokenServiceTest.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.GetCallerIdentityRequest;
import dev.sts.proto.v1.GetJwksRequest;
import dev.sts.proto.v1.TokenServiceGrpc;
import dev.sts.token.signing.KeyManager;
import dev.sts.kit.testing.TestChannels;
import io.agroal.api.AgroalDataSource;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A signing-key row that was inserted or altered in the database (public key swapped, window
 * extended, kid changed) is refused: not published, not used to sign or verify, and logged by kid.
 * Tampering goes through JDBC into the shared PostgreSQL, as an attacker with database access would.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "tokenkeys"))
class SigningKeyIntegrityTest {
    static ManagedChannel channel;
    static TokenServiceGrpc.TokenServiceBlockingStub anonymous;
    static TokenServiceGrpc.TokenServiceBlockingStub ec2;

    @Inject
    AgroalDataSource ds;
    @Inject
    KeyManager keys;

    final List<LogRecord> errors = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        anonymous = TokenServiceGrpc.newBlockingStub(channel);
        ec2 = anonymous.withCallCredentials(new BearerCredentials("test-ec2-token"));
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    @BeforeEach
    void captureErrors() {
        Logger.getLogger("dev.sts.token").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("dev.sts.token").removeHandler(capture);
    }

    @Test
    void anInsertedRowIsNeitherPublishedNorTrusted() throws Exception {
        ECKey attacker = attackerKey("sts-" + UUID.randomUUID());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // Not the signing key (its signing period is over) but still within publication: before the
        // fix, such a row was published without its sealed private key ever being opened.
        update("INSERT INTO signing_keys (kid, algorithm, public_jwk, private_jwk_sealed, created_at, sign_from, sign_until, "
                + "publish_until, seal_version) VALUES (?, 'ES256', ?, ?, ?, ?, ?, ?, 2)", attacker.getKeyID(),
                attacker.toPublicJWK().toJSONString(), new byte[64], Timestamp.from(now.minusSeconds(7200)),
                Timestamp.from(now.minusSeconds(7200)), Timestamp.from(now.minusSeconds(3600)), Timestamp.from(now.plusSeconds(3600)));
        keys.refresh();

        assertRefused(attacker);
    }

    @Test
    void aSwappedPublicKeyIsRefused() throws Exception {
        String kid = currentKid();
        ECKey attacker = attackerKey(kid);
        update("UPDATE signing_keys SET public_jwk = ? WHERE kid = ?", attacker.toPublicJWK().toJSONString(), kid);
        keys.refresh();

        assertRefused(attacker);
        assertThat(currentKid()).isNotEqualTo(kid);
        assertIssuesAndVerifies();
    }

    @Test
    void anExtendedWindowIsRefused() {
        String kid = currentKid();
        update("UPDATE signing_keys SET publish_until = publish_until + interval '3650 days', "
                + "sign_until = sign_until + interval '3650 days' WHERE kid = ?", kid);
        keys.refresh();

        assertThat(jwksKids()).doesNotContain(kid);
        assertThat(currentKid()).isNotEqualTo(kid);
        assertLogged(kid);
        assertIssuesAndVerifies();
    }

    @Test
    void aChangedKidIsRefused() {
        String kid = currentKid();
        String renamed = "sts-" + UUID.randomUUID();
        update("UPDATE signing_keys SET kid = ? WHERE kid = ?", renamed, kid);
        keys.refresh();

        assertThat(jwksKids()).doesNotContain(kid, renamed);
        assertLogged(renamed);
        assertIssuesAndVerifies();
    }

    void assertRefused(ECKey attacker) throws Exception {
        assertThat(anonymous.getJwks(GetJwksRequest.getDefaultInstance()).getJwksJson()).doesNotContain(attacker.getX().toString());
        String forged = forge(attacker);
        expect(() -> anonymous.withCallCredentials(new BearerCredentials(forged))
                .getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED, "InvalidClientTokenId");
        assertLogged(attacker.getKeyID());
    }

    void assertLogged(String kid) {
        assertThat(errors).as("an error naming the kid").anySatisfy(r -> assertThat(format(r)).contains(kid));
    }

    static String format(LogRecord r) {
        return r instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage();
    }

    void assertIssuesAndVerifies() {
        var r = ec2.assumeRole(assume(TestRoleDirectory.S3_ACCESS, "after-tamper").build());
        assertThat(anonymous.withCallCredentials(new BearerCredentials(r.getCredentials().getSessionToken()))
                .getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance()).getArn()).endsWith("/after-tamper");
    }

    static ECKey attackerKey(String kid) throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
    }

    static String forge(ECKey key) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String issuer = ConfigProvider.getConfig().getValue("sts.token.issuer", String.class);
        SessionClaims claims = new SessionClaims(issuer, "sts", UUID.randomUUID().toString(),
                "arn:aws:sts::000000000000:assumed-role/Admin/forged", "arn:aws:iam::000000000000:role/Admin",
                "AROAADMINEXAMPLE0000", "forged", "000000000000", null, Map.of(), List.of(), "ASIAFORGEDFORGEDFORG",
                now, now.plusSeconds(900), 1, "ec2.amazonaws.com", null);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(new JOSEObjectType(SessionClaims.TOKEN_TYPE)).build(), claims.toClaimsSet());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    String currentKid() {
        return anonymous.getJwks(GetJwksRequest.getDefaultInstance()).getKeyIds(0);
    }

    List<String> jwksKids() {
        return anonymous.getJwks(GetJwksRequest.getDefaultInstance()).getKeyIdsList();
    }

    void update(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            assertThat(ps.executeUpdate()).isEqualTo(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
