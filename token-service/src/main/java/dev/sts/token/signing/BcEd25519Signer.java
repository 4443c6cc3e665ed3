package dev.sts.token.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Signs EdDSA (Ed25519, RFC 8032 "pure" variant, as RFC 8037 uses it for JWS) with BouncyCastle's
 * Ed25519 instead of Nimbus's own {@code Ed25519Signer}, which runs on Tink. Ed25519 signatures are
 * deterministic, so both produce the same bytes for the same key and input
 * ({@code BcEd25519SignerTest} checks that, and that Nimbus's verifier accepts them).
 *
 * <p>Why another implementation: signing is the largest single cost of an AssumeRole, and on this
 * project's reference machine BouncyCastle 1.84 signs a session token in about 32 µs where Tink
 * 1.23 takes about 59 µs, on Java 17 and Java 25 alike (ADR 026). Verification stays with Nimbus
 * and Tink: verified tokens are cached, so it is off the hot path.
 *
 * <p>Thread-safe: {@link Ed25519PrivateKeyParameters} is immutable (it computes the public key once),
 * and every call signs into its own array.
 */
final class BcEd25519Signer implements JWSSigner {
    private final Ed25519PrivateKeyParameters key;
    private final JCAContext jca = new JCAContext();

    BcEd25519Signer(OctetKeyPair privateKey) throws JOSEException {
        if (!Curve.Ed25519.equals(privateKey.getCurve()) || !privateKey.isPrivate()) {
            throw new JOSEException("an EdDSA signer needs a private Ed25519 key");
        }
        byte[] d = privateKey.getDecodedD();
        if (d.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new JOSEException("an Ed25519 private key is " + Ed25519PrivateKeyParameters.KEY_SIZE + " bytes");
        }
        this.key = new Ed25519PrivateKeyParameters(d, 0);
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
            throw new JOSEException("this signer signs EdDSA only, not " + header.getAlgorithm());
        }
        byte[] signature = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
        key.sign(Ed25519.Algorithm.Ed25519, null, signingInput, 0, signingInput.length, signature, 0);
        return Base64URL.encode(signature);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
        return jca;
    }
}
