package dev.sts.token.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BcEd25519SignerTest {
    private static final JWSHeader EDDSA = new JWSHeader(JWSAlgorithm.EdDSA);

    @Test
    void signsTheSameBytesAsNimbusOnTinkAndNimbusVerifiesThem() throws Exception {
        for (int i = 0; i < 20; i++) {
            OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyID("k" + i).generate();
            byte[] input = ("header." + "payload-".repeat(i * 13)).getBytes(StandardCharsets.US_ASCII);

            Base64URL ours = new BcEd25519Signer(key).sign(EDDSA, input);

            assertThat(ours).isEqualTo(new Ed25519Signer(key).sign(EDDSA, input));
            assertThat(new Ed25519Verifier(key.toPublicJWK()).verify(EDDSA, input, ours)).isTrue();
            input[input.length - 1] ^= 1;
            assertThat(new Ed25519Verifier(key.toPublicJWK()).verify(EDDSA, input, ours)).isFalse();
        }
    }

    @Test
    void matchesRfc8032TestVector2() throws Exception {
        // RFC 8032 section 7.1, TEST 2: one-byte message 0x72.
        HexFormat hex = HexFormat.of();
        byte[] d = hex.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
        byte[] x = hex.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        OctetKeyPair key = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).d(Base64URL.encode(d)).build();

        Base64URL signature = new BcEd25519Signer(key).sign(EDDSA, new byte[] {0x72});

        assertThat(hex.formatHex(signature.decode())).isEqualTo("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
    }

    @Test
    void refusesAPublicKeyAndAnotherAlgorithm() throws Exception {
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).generate();

        assertThatThrownBy(() -> new BcEd25519Signer(key.toPublicJWK())).isInstanceOf(JOSEException.class);
        assertThatThrownBy(() -> new BcEd25519Signer(key).sign(new JWSHeader(JWSAlgorithm.ES256), new byte[1]))
                .isInstanceOf(JOSEException.class).hasMessageContaining("EdDSA only");
    }
}
