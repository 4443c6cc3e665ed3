package dev.sts.kit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.testing.JwtAttacks;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * EdDSA and ES256 side by side, as during a migration from ES256 keys to Ed25519 keys: the key set
 * publishes an EC P-256 key and an OKP Ed25519 key; a token of either verifies with its own key,
 * and the whole attack catalogue, built from a token of each, is refused (among them each
 * algorithm under the other key type's kid).
 */
class SessionTokenAlgorithmsTest {
    static final ECKey EC = JwtAttacks.freshKey("ec-key");
    static final OctetKeyPair OKP = JwtAttacks.freshEdKey("ed-key");
    static final SessionTokenProcessor PROCESSOR = new SessionTokenProcessor(
            new ImmutableJWKSet<>(new JWKSet(List.of(EC.toPublicJWK(), OKP.toPublicJWK()))), "sts", "https://sts.test");

    static SessionClaims claims() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new SessionClaims("https://sts.test", "sts", "jti-" + System.nanoTime(),
                "arn:aws:sts::000000000000:assumed-role/S3AccessRole/s1", "arn:aws:iam::000000000000:role/S3AccessRole",
                "AROAEXAMPLE", "s1", "000000000000", null, Map.of(), List.of(), "ASIAEXAMPLEEXAMPLE00", now,
                now.plusSeconds(900), 1, "ec2.amazonaws.com", null);
    }

    static String sign(JWK key, SessionClaims claims) throws Exception {
        boolean ed = key instanceof OctetKeyPair;
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(ed ? JWSAlgorithm.EdDSA : JWSAlgorithm.ES256)
                .keyID(key.getKeyID()).type(new JOSEObjectType(SessionClaims.TOKEN_TYPE)).build(), claims.toClaimsSet());
        jwt.sign(ed ? new Ed25519Signer((OctetKeyPair) key) : new ECDSASigner((ECKey) key));
        return jwt.serialize();
    }

    static Stream<JWK> keys() {
        return Stream.of(EC, OKP);
    }

    @ParameterizedTest
    @MethodSource("keys")
    void aTokenOfEitherAlgorithmVerifiesWithItsOwnKey(JWK key) throws Exception {
        SessionClaims c = claims();
        assertThat(PROCESSOR.process(sign(key, c))).isEqualTo(c);
    }

    @ParameterizedTest
    @MethodSource("keys")
    void theAttackCatalogueBuiltFromEitherAlgorithmIsRefused(JWK key) throws Exception {
        String legit = sign(key, claims());
        List<JwtAttacks.Attack> attacks;
        try (JwtAttacks.CountingServer attacker = new JwtAttacks.CountingServer()) {
            attacks = JwtAttacks.all(legit, key, key instanceof OctetKeyPair ? JwtAttacks.freshEdKey("retired")
                    : JwtAttacks.freshKey("retired"), attacker.url());
            assertThat(attacks).extracting(JwtAttacks.Attack::name)
                    .anyMatch(n -> n.startsWith("alg EdDSA under the real kid"))
                    .anyMatch(n -> n.startsWith("alg ES256 under the real kid"))
                    .anyMatch(n -> n.startsWith("forged 64-byte EdDSA signature"));
            for (JwtAttacks.Attack a : attacks) {
                Throwable refused = catchThrowable(() -> PROCESSOR.process(a.token()));
                assertThat(refused).as(a.name()).isInstanceOf(StsException.class);
                assertThat(((StsException) refused).code().awsCode()).as(a.name()).isEqualTo(a.expectedReason());
            }
            assertThat(attacker.requests()).isZero();
        }
    }

    /** The cross cases named: a kid's key type must match the header's alg, even with a valid signature of that alg. */
    @ParameterizedTest
    @MethodSource("keys")
    void anAlgorithmUnderTheOtherKeyTypesKidIsRefused(JWK key) throws Exception {
        // The same token, signed correctly with the other key, but naming this key's kid.
        JWK other = key == EC ? OKP : EC;
        SessionClaims c = claims();
        String signedByOther = sign(other, c);
        SignedJWT jwt = SignedJWT.parse(signedByOther);
        SignedJWT renamed = new SignedJWT(new JWSHeader.Builder(jwt.getHeader()).keyID(key.getKeyID()).build(), c.toClaimsSet());
        renamed.sign(other instanceof OctetKeyPair okp ? new Ed25519Signer(okp) : new ECDSASigner((ECKey) other));
        Throwable refused = catchThrowable(() -> PROCESSOR.process(renamed.serialize()));
        assertThat(((StsException) refused).code()).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }
}
