package dev.sts.kit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Presigned requests (SigV4 in the query string): the query-signed variants of the published
 * aws-sig-v4-test-suite (awslabs/aws-c-auth, {@code query-*.txt}), then every bound and window the
 * verifier puts on the SigV4 query parameters.
 */
class SigV4PresignedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Vector(String name, JsonNode context, AwsHttpRequest request, String canonical, String stringToSign,
            String signature) {
        @Override
        public String toString() {
            return name;
        }

        String secret() {
            return context.at("/credentials/secret_access_key").asText();
        }

        Instant time() {
            return Instant.parse(context.get("timestamp").asText());
        }

        String service() {
            return context.get("service").asText();
        }

        SigV4Verifier verifier(Instant now) {
            return new SigV4Verifier(InstantSource.fixed(now), context.path("normalize").asBoolean(true));
        }
    }

    /**
     * Every vector except the one whose signer adds the security token to the query after signing
     * ({@code "omit_session_token": true}, post-sts-header-after), which
     * {@link #aSecurityTokenAddedAfterSigningIsRefused} holds to be refused.
     */
    static Stream<Vector> vectors() throws IOException, URISyntaxException {
        return allVectors().filter(v -> !v.context().path("omit_session_token").asBoolean(false));
    }

    static Stream<Vector> allVectors() throws IOException, URISyntaxException {
        Path root = Path.of(SigV4PresignedTest.class.getResource("/aws-sig-v4-test-suite").toURI());
        List<Vector> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                out.add(new Vector(dir.getFileName().toString(),
                        JSON.readTree(Files.readString(dir.resolve("context.json"))),
                        SigV4VectorsTest.parseRequest(read(dir, "query-signed-request.txt")),
                        read(dir, "query-canonical-request.txt"), read(dir, "query-string-to-sign.txt"),
                        read(dir, "query-signature.txt").strip()));
            }
        }
        return out.stream();
    }

    private static String read(Path dir, String file) throws IOException {
        return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
    }

    private static Vector vector(String name) throws Exception {
        return allVectors().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theWholeSuiteIsRead() throws Exception {
        assertThat(allVectors()).hasSizeGreaterThanOrEqualTo(38);
        assertThat(vectors()).hasSize(allVectors().toList().size() - 1);
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void canonicalRequestAndStringToSignAreTheSigners(Vector v) {
        SigV4Authorization auth = SigV4Verifier.parse(v.request());
        assertThat(auth.presigned()).isTrue();
        assertThat(auth.signature()).isEqualTo(v.signature());
        String canonical = v.verifier(v.time()).canonicalRequest(v.request(), auth.signedHeaders(),
                SigV4Verifier.sha256Hex(v.request().body()), true);
        assertThat(canonical).isEqualTo(v.canonical());
        assertThat(SigV4Verifier.stringToSign(auth.amzDate(), auth.scope(), canonical)).isEqualTo(v.stringToSign());
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void thePresignedRequestVerifiesWithItsSecretOnly(Vector v) {
        SigV4Authorization auth = SigV4Verifier.parse(v.request());
        v.verifier(v.time()).verify(v.request(), auth, v.secret(), v.service());

        String other = v.secret().substring(1) + "x";
        assertThat(code(() -> v.verifier(v.time()).verify(v.request(), auth, other, v.service())))
                .isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    /**
     * The security token is one of the signed query parameters, as the AWS SDKs presign STS requests;
     * a token appended after signing (as some signers do for IoT) is not accepted: the canonical
     * query the verifier builds includes it, so the signature does not match.
     */
    @Test
    void aSecurityTokenAddedAfterSigningIsRefused() throws Exception {
        Vector v = vector("post-sts-header-after");
        assertThat(v.canonical()).doesNotContain("X-Amz-Security-Token");
        assertThat(v.request().rawQuery()).contains("X-Amz-Security-Token=");
        SigV4Authorization auth = SigV4Verifier.parse(v.request());
        assertThat(code(() -> v.verifier(v.time()).verify(v.request(), auth, v.secret(), v.service())))
                .isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void theWindowIsFromTheDateLessTheSkewToTheDatePlusExpiresAndNeverLongerThanFifteenMinutes() throws Exception {
        Vector v = vector("get-vanilla-query");
        SigV4Authorization auth = SigV4Verifier.parse(v.request());
        assertThat(auth.expires()).isEqualTo(Duration.ofSeconds(3600));
        for (Duration ok : List.of(Duration.ofMinutes(-15), Duration.ZERO, Duration.ofMinutes(15))) {
            v.verifier(v.time().plus(ok)).verify(v.request(), auth, v.secret(), v.service());
        }
        for (Duration late : List.of(Duration.ofMinutes(15).plusSeconds(1), Duration.ofSeconds(3601))) {
            assertThat(catchThrowable(() -> v.verifier(v.time().plus(late)).verify(v.request(), auth, v.secret(),
                    v.service()))).isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_EXPIRED);
                        assertThat(e.getMessage()).startsWith("Request has expired");
                    });
        }
        assertThat(code(() -> v.verifier(v.time().minus(Duration.ofMinutes(15)).minusSeconds(1))
                .verify(v.request(), auth, v.secret(), v.service()))).isEqualTo(ErrorCode.REQUEST_EXPIRED);
    }

    @Test
    void aShortExpiresEndsTheWindowEarlier() throws Exception {
        Vector v = vector("get-vanilla-query");
        String secret = v.secret();
        AwsHttpRequest shortLived = presign(v, "60");
        SigV4Authorization auth = SigV4Verifier.parse(shortLived);
        v.verifier(v.time().plusSeconds(60)).verify(shortLived, auth, secret, v.service());
        assertThat(code(() -> v.verifier(v.time().plusSeconds(61)).verify(shortLived, auth, secret, v.service())))
                .isEqualTo(ErrorCode.REQUEST_EXPIRED);
    }

    @Test
    void everySignedParameterIsBound() throws Exception {
        Vector v = vector("get-vanilla-query-order-key-case");
        SigV4Verifier verifier = v.verifier(v.time());
        for (String[] change : List.of(new String[] {"Param1=value1", "Param1=value2"},
                new String[] {"X-Amz-Expires=3600", "X-Amz-Expires=3599"},
                new String[] {"us-east-1", "us-west-2"},
                new String[] {"Param2=value2&", "Param2=value2&Param3=x&"})) {
            AwsHttpRequest tampered = withQuery(v.request(), v.request().rawQuery().replace(change[0], change[1]));
            assertThat(tampered.rawQuery()).isNotEqualTo(v.request().rawQuery());
            assertThat(code(() -> verifier.verify(tampered, SigV4Verifier.parse(tampered), v.secret(), v.service())))
                    .as(change[1]).isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "604801", "-1", "1e3", "", "0000001"})
    void expiresOutsideOneToAWeekIsRefused(String expires) throws Exception {
        Vector v = vector("get-vanilla");
        AwsHttpRequest r = withQuery(v.request(), v.request().rawQuery().replace("X-Amz-Expires=3600",
                "X-Amz-Expires=" + expires));
        assertThat(code(() -> SigV4Verifier.parse(r))).isEqualTo(ErrorCode.INCOMPLETE_SIGNATURE);
    }

    @Test
    void theLongestExpiresIsAWeek() throws Exception {
        Vector v = vector("get-vanilla");
        AwsHttpRequest r = withQuery(v.request(), v.request().rawQuery().replace("X-Amz-Expires=3600",
                "X-Amz-Expires=604800"));
        assertThat(SigV4Verifier.parse(r).expires()).isEqualTo(Duration.ofDays(7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
            "X-Amz-SignedHeaders", "X-Amz-Signature"})
    void everySigV4ParameterIsRequiredOnce(String name) throws Exception {
        Vector v = vector("get-vanilla");
        String query = v.request().rawQuery();
        String without = String.join("&", Stream.of(query.split("&")).filter(p -> !p.startsWith(name + "=")).toList());
        assertThat(code(() -> SigV4Verifier.parse(withQuery(v.request(), without))))
                .isEqualTo(ErrorCode.INCOMPLETE_SIGNATURE);
        String twice = query + "&" + Stream.of(query.split("&")).filter(p -> p.startsWith(name + "=")).findFirst()
                .orElseThrow();
        assertThat(code(() -> SigV4Verifier.parse(withQuery(v.request(), twice))))
                .isEqualTo(ErrorCode.INCOMPLETE_SIGNATURE);
    }

    @Test
    void overlongOrMalformedParametersAreRefusedBeforeUse() throws Exception {
        Vector v = vector("get-vanilla-with-session-token");
        String query = v.request().rawQuery();
        List<String> bad = List.of(
                query.replaceFirst("X-Amz-Security-Token=[^&]*", "X-Amz-Security-Token=" + "a".repeat(16 * 1024 + 1)),
                query.replaceFirst("X-Amz-Security-Token=[^&]*", "X-Amz-Security-Token=" + "%41".repeat(16 * 1024 + 1)),
                query.replaceFirst("X-Amz-Credential=[^&]*", "X-Amz-Credential=" + "A".repeat(400)),
                query.replaceFirst("X-Amz-Signature=[^&]*", "X-Amz-Signature=" + "0".repeat(65)),
                query.replaceFirst("X-Amz-Signature=[^&]*", "X-Amz-Signature=" + "G".repeat(64)),
                query.replaceFirst("X-Amz-Date=[^&]*", "X-Amz-Date=2015-08-30T12:36:00Z"),
                query.replaceFirst("X-Amz-Algorithm=[^&]*", "X-Amz-Algorithm=AWS4-HMAC-SHA512"),
                query.replaceFirst("X-Amz-SignedHeaders=[^&]*", "X-Amz-SignedHeaders=x-amz-date"),
                query + "&a".repeat(SigV4Verifier.MAX_QUERY_PARAMETERS));
        for (String q : bad) {
            assertThat(code(() -> SigV4Verifier.parse(withQuery(v.request(), q))))
                    .as(q.length() > 120 ? q.substring(0, 120) : q).isEqualTo(ErrorCode.INCOMPLETE_SIGNATURE);
        }
    }

    @Test
    void aPresignedRequestWithAnAuthorizationHeaderOrAHeaderTokenIsRefused() throws Exception {
        Vector v = vector("get-vanilla-with-session-token");
        AwsHttpRequest both = TestSigner.withHeader(v.request(), "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                        + " SignedHeaders=host, Signature=" + v.signature());
        assertThat(code(() -> SigV4Verifier.parse(both))).isEqualTo(ErrorCode.INCOMPLETE_SIGNATURE);
        AwsHttpRequest headerToken = TestSigner.withHeader(v.request(), "X-Amz-Security-Token", "t");
        assertThat(code(() -> SigV4Verifier.parse(headerToken))).isEqualTo(ErrorCode.INCOMPLETE_SIGNATURE);
        assertThat(SigV4Verifier.parse(v.request()).securityToken())
                .isEqualTo(v.context().at("/credentials/token").asText());
    }

    @Test
    void aDeclaredPayloadHashMustBeTheBodys() throws Exception {
        Vector v = vector("get-vanilla");
        AwsHttpRequest unsigned = withQuery(v.request(), v.request().rawQuery()
                + "&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD");
        assertThat(code(() -> v.verifier(v.time()).verify(unsigned, SigV4Verifier.parse(unsigned), v.secret(),
                v.service()))).isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    /** The vector's request presigned again with another X-Amz-Expires, by the verifier's canonicalization. */
    private static AwsHttpRequest presign(Vector v, String expires) {
        String query = v.request().rawQuery().replace("X-Amz-Expires=3600", "X-Amz-Expires=" + expires)
                .replaceFirst("&X-Amz-Signature=[0-9a-f]{64}", "");
        AwsHttpRequest unsigned = withQuery(v.request(), query + "&X-Amz-Signature=" + "0".repeat(64));
        SigV4Authorization auth = SigV4Verifier.parse(unsigned);
        String canonical = v.verifier(v.time()).canonicalRequest(unsigned, auth.signedHeaders(),
                SigV4Verifier.sha256Hex(unsigned.body()), true);
        String signature = SigV4Verifier.sign(v.secret(), auth.date(), auth.region(), auth.service(),
                SigV4Verifier.stringToSign(auth.amzDate(), auth.scope(), canonical));
        return withQuery(v.request(), query + "&X-Amz-Signature=" + signature);
    }

    private static AwsHttpRequest withQuery(AwsHttpRequest r, String query) {
        return new AwsHttpRequest(r.method(), r.rawPath(), query, r.headers(), r.body(), r.requestId(), r.sourceIp(),
                r.userAgent());
    }

    private static ErrorCode code(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(StsException.class);
        return ((StsException) t).code();
    }
}
