package dev.sts.kit.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JWT attack catalogue: forged and altered session tokens made from one legitimate token and
 * the key that signed it, each of which every verifier must refuse with UNAUTHENTICATED. Shared
 * through the kit's test-jar, so token-service's ValidateSessionToken and every service's
 * authentication are tested against the same list.
 *
 * <ul>
 * <li>{@code alg} "none" in four spellings, with and without the original signature;</li>
 * <li>HS256 with the verifier's public key as the HMAC secret (its JWK JSON, its X.509 encoding and
 * its PEM);</li>
 * <li>an unknown {@code kid}; {@code kid} values with path characters;</li>
 * <li>{@code jku}, {@code x5u} and {@code jwk} headers naming the attacker's key, signed with it
 * (a verifier must never fetch or use them: point {@code attackerUrl} at a server that counts);</li>
 * <li>an unknown {@code crit} parameter (signed with the real key);</li>
 * <li>expired and not yet valid by an hour (well beyond any clock skew), wrong issuer, wrong
 * audience (all signed with the real key);</li>
 * <li>a tampered payload under the original signature; the signature stripped, truncated, or
 * flipped;</li>
 * <li>a token signed by a key that is not (or no longer) published ({@code retiredKey}).</li>
 * <li>EdDSA and ES256 crossed with the key types: {@code alg} EdDSA under the kid of the real key
 * signed by an attacker's Ed25519 key (for an EC key: an algorithm its key type cannot take; for an
 * OKP key: a forged EdDSA signature), {@code alg} ES256 under the real kid signed by an attacker's
 * P-256 key (the reverse), the real token's header and payload under random 64-byte
 * "EdDSA signatures", and the fully-specified {@code alg} "Ed25519" (RFC 9864), which no verifier
 * accepts.</li>
 * </ul>
 *
 * <p>The signing key may be an EC P-256 key (ES256) or an OKP Ed25519 key (EdDSA); the token's
 * own {@code alg} decides how the catalogue signs the attacks that reuse its header.
 */
public final class JwtAttacks {
    /** The refusal every verifier must give. */
    public static final String INVALID = "InvalidClientTokenId";
    public static final String EXPIRED = "ExpiredToken";

    /** One forged token and the AWS error code its refusal carries. */
    public record Attack(String name, String token, String expectedReason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private JwtAttacks() {
    }

    /** An HTTP server that counts every request it gets: where jku and x5u point. */
    public static final class CountingServer implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger requests = new AtomicInteger();

        public CountingServer() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", exchange -> {
                requests.incrementAndGet();
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            });
            server.start();
        }

        public URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/keys.json");
        }

        public int requests() {
            return requests.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /**
     * @param legit a valid session token signed by {@code signingKey}
     * @param signingKey the private key that signed it (its public half is what the verifier trusts)
     * @param retiredKey a key the verifier does not (or no longer) publish, with its own kid
     * @param attackerUrl where {@code jku} / {@code x5u} point; nothing may ever request it
     */
    public static List<Attack> all(String legit, JWK signingKey, JWK retiredKey, URI attackerUrl) {
        try {
            return build(SignedJWT.parse(legit), signingKey, retiredKey, attackerUrl);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot build the JWT attack catalogue", e);
        }
    }

    /** A fresh P-256 key with a kid that looks like the service's, for {@code retiredKey}. */
    public static ECKey freshKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh Ed25519 key with a kid that looks like the service's. */
    public static OctetKeyPair freshEdKey(String kid) {
        try {
            return new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Attack> build(SignedJWT jwt, JWK key, JWK retired, URI attackerUrl)
            throws ParseException, JOSEException {
        List<Attack> out = new ArrayList<>();
        JWSHeader header = jwt.getHeader();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        String payload = jwt.getParsedParts()[1].toString();
        String signature = jwt.getSignature().toString();
        String kid = header.getKeyID();

        for (String none : List.of("none", "None", "NONE", "nOnE")) {
            String h = b64("{\"alg\":\"" + none + "\",\"typ\":\"" + header.getType() + "\",\"kid\":\"" + kid + "\"}");
            out.add(new Attack("alg " + none + ", no signature", h + "." + payload + ".", INVALID));
            out.add(new Attack("alg " + none + ", original signature", h + "." + payload + "." + signature, INVALID));
        }

        JWK pub = key.toPublicJWK();
        byte[] spki = spki(pub);
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(spki)
                + "\n-----END PUBLIC KEY-----\n";
        Map<String, byte[]> secrets = Map.of(
                "its JWK", pub.toJSONString().getBytes(StandardCharsets.UTF_8),
                "its X.509 encoding", spki,
                "its PEM", pem.getBytes(StandardCharsets.US_ASCII));
        for (var secret : secrets.entrySet()) {
            SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(header.getType()).keyID(kid)
                    .build(), claims);
            hs.sign(new MACSigner(secret.getValue()));
            out.add(new Attack("HS256 keyed with the public key (" + secret.getKey() + ")", hs.serialize(), INVALID));
        }

        out.add(new Attack("unknown kid", sign(with(header).keyID("unknown-" + kid), claims, key), INVALID));
        for (String path : List.of("../../../../../../dev/null", "/etc/passwd", "..\\..\\keys\\" + kid, kid + "/../" + kid,
                "file:///dev/null")) {
            out.add(new Attack("kid with path characters: " + path, sign(with(header).keyID(path), claims, key), INVALID));
        }

        // The attacker's key is of the real key's type, so only the key's origin is wrong.
        JWK attacker = key instanceof OctetKeyPair ? freshEdKey("attacker-key") : freshKey("attacker-key");
        JWSAlgorithm alg = algorithm(key);
        out.add(new Attack("jku naming the attacker's key set", sign(new JWSHeader.Builder(alg)
                .type(header.getType()).keyID(attacker.getKeyID()).jwkURL(attackerUrl), claims, attacker), INVALID));
        out.add(new Attack("jku with the real kid, signed by the attacker", sign(with(header).jwkURL(attackerUrl),
                claims, attacker), INVALID));
        out.add(new Attack("x5u naming the attacker's certificate", sign(new JWSHeader.Builder(alg)
                .type(header.getType()).keyID(attacker.getKeyID()).x509CertURL(attackerUrl), claims, attacker), INVALID));
        out.add(new Attack("jwk embedding the attacker's key", sign(new JWSHeader.Builder(alg)
                .type(header.getType()).keyID(attacker.getKeyID()).jwk(attacker.toPublicJWK()), claims, attacker),
                INVALID));
        out.add(new Attack("jwk embedding the attacker's key under the real kid", sign(with(header)
                .jwk(attacker.toPublicJWK().toPublicJWK()), claims, attacker), INVALID));

        out.add(new Attack("unknown crit parameter", sign(new JWSHeader.Builder(alg)
                .type(header.getType()).keyID(kid).criticalParams(Set.of("sts-check"))
                .customParam("sts-check", "skip"), claims, key), INVALID));

        Instant now = Instant.now();
        Instant past = now.minus(Duration.ofHours(2));
        out.add(new Attack("expired an hour ago", sign(with(header), times(claims, past, now.minus(Duration.ofHours(1))),
                key), EXPIRED));
        Instant future = now.plus(Duration.ofHours(1));
        out.add(new Attack("not valid for another hour", sign(with(header), times(claims, future,
                future.plus(Duration.ofHours(1))), key), INVALID));
        out.add(new Attack("wrong issuer", sign(with(header), new JWTClaimsSet.Builder(claims)
                .issuer("https://attacker.example").build(), key), INVALID));
        out.add(new Attack("wrong audience", sign(with(header), new JWTClaimsSet.Builder(claims)
                .audience("another-audience").build(), key), INVALID));
        out.add(new Attack("wrong type (typ JWT)", sign(with(header).type(JOSEObjectType.JWT), claims, key), INVALID));

        JWTClaimsSet escalated = new JWTClaimsSet.Builder(claims)
                .claim("role_arn", String.valueOf(claims.getClaim("role_arn")).replaceAll("role/.*", "role/Admin"))
                .build();
        out.add(new Attack("tampered payload under the original signature", jwt.getParsedParts()[0] + "."
                + Base64URL.encode(escalated.toString()) + "." + signature, INVALID));
        out.add(new Attack("stripped signature", jwt.getParsedParts()[0] + "." + payload + ".", INVALID));
        out.add(new Attack("stripped signature and its dot", jwt.getParsedParts()[0] + "." + payload, INVALID));
        out.add(new Attack("truncated signature", jwt.getParsedParts()[0] + "." + payload + "."
                + signature.substring(0, signature.length() - 8), INVALID));
        char last = signature.charAt(10);
        out.add(new Attack("one signature character changed", jwt.getParsedParts()[0] + "." + payload + "."
                + signature.substring(0, 10) + (last == 'A' ? 'B' : 'A') + signature.substring(11), INVALID));

        out.add(new Attack("signed by a key that is not published (retired)", sign(new JWSHeader.Builder(algorithm(retired))
                .type(header.getType()).keyID(retired.getKeyID()), claims, retired), INVALID));

        // EdDSA and ES256 against each other: a kid's key type must match the header's alg.
        OctetKeyPair edAttacker = freshEdKey("attacker-ed25519");
        out.add(new Attack("alg EdDSA under the real kid (" + pub.getKeyType() + "), signed by the attacker's Ed25519 key",
                sign(new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(header.getType()).keyID(kid), claims, edAttacker),
                INVALID));
        out.add(new Attack("alg ES256 under the real kid (" + pub.getKeyType() + "), signed by the attacker's P-256 key",
                sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(header.getType()).keyID(kid), claims,
                        freshKey("attacker-p256")),
                INVALID));
        String edHeader = b64("{\"alg\":\"EdDSA\",\"typ\":\"" + header.getType() + "\",\"kid\":\"" + kid + "\"}");
        SecureRandom random = new SecureRandom();
        for (String h : List.of(jwt.getParsedParts()[0].toString(), edHeader)) {
            byte[] forged = new byte[64];
            random.nextBytes(forged);
            out.add(new Attack("forged 64-byte EdDSA signature" + (h.equals(edHeader) ? " under alg EdDSA" : "")
                    + " on the real payload", h + "." + payload + "." + Base64URL.encode(forged), INVALID));
        }
        out.add(new Attack("alg EdDSA under the real kid with an all-zero signature", edHeader + "." + payload + "."
                + Base64URL.encode(new byte[64]), INVALID));
        if (key instanceof OctetKeyPair) {
            // Signed with the real key, but under the fully-specified name (RFC 9864) that is not accepted.
            String ed25519Header = b64("{\"alg\":\"Ed25519\",\"typ\":\"" + header.getType() + "\",\"kid\":\"" + kid
                    + "\"}");
            Base64URL sig = new Ed25519Signer(key.toOctetKeyPair()).sign(new JWSHeader(JWSAlgorithm.EdDSA),
                    (ed25519Header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            out.add(new Attack("alg Ed25519 (fully specified, not accepted), signed with the real key", ed25519Header + "."
                    + payload + "." + sig, INVALID));
        }
        return List.copyOf(out);
    }

    private static JWSHeader.Builder with(JWSHeader original) {
        return new JWSHeader.Builder(original);
    }

    private static JWTClaimsSet times(JWTClaimsSet claims, Instant issued, Instant expires) {
        return new JWTClaimsSet.Builder(claims).issueTime(Date.from(issued)).notBeforeTime(Date.from(issued))
                .expirationTime(Date.from(expires)).build();
    }

    private static String sign(JWSHeader.Builder header, JWTClaimsSet claims, JWK key) throws JOSEException {
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        jwt.sign(signer(key));
        return jwt.serialize();
    }

    /** The signer of a key's own type; a header claiming another algorithm fails to sign, so callers pick it. */
    private static JWSSigner signer(JWK key) throws JOSEException {
        return key instanceof OctetKeyPair okp ? new Ed25519Signer(okp) : new ECDSASigner(key.toECKey());
    }

    private static JWSAlgorithm algorithm(JWK key) {
        return key instanceof OctetKeyPair ? JWSAlgorithm.EdDSA : JWSAlgorithm.ES256;
    }

    /** The X.509 SubjectPublicKeyInfo of an EC or Ed25519 public key (RFC 8410 for the latter). */
    private static byte[] spki(JWK pub) throws JOSEException {
        if (pub instanceof OctetKeyPair okp) {
            byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
            byte[] x = okp.getDecodedX();
            byte[] out = new byte[prefix.length + x.length];
            System.arraycopy(prefix, 0, out, 0, prefix.length);
            System.arraycopy(x, 0, out, prefix.length, x.length);
            return out;
        }
        return pub.toECKey().toECPublicKey().getEncoded();
    }

    private static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
