package dev.sts.kit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published aws-sig-v4-test-suite (awslabs/aws-c-auth, src/test/resources/aws-sig-v4-test-suite):
 * for every case, the verifier's canonical request and string to sign are the signer's, and the
 * signed request verifies with the published secret at the published time, and not with another.
 */
class SigV4VectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Vector(String name, JsonNode context, AwsHttpRequest request, String canonical, String stringToSign) {
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

        boolean normalize() {
            return context.path("normalize").asBoolean(true);
        }
    }

    static Stream<Vector> vectors() throws IOException, URISyntaxException {
        Path root = Path.of(SigV4VectorsTest.class.getResource("/aws-sig-v4-test-suite").toURI());
        List<Vector> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                out.add(new Vector(dir.getFileName().toString(),
                        JSON.readTree(Files.readString(dir.resolve("context.json"))),
                        parseRequest(Files.readString(dir.resolve("header-signed-request.txt"), StandardCharsets.UTF_8)),
                        Files.readString(dir.resolve("header-canonical-request.txt"), StandardCharsets.UTF_8),
                        Files.readString(dir.resolve("header-string-to-sign.txt"), StandardCharsets.UTF_8)));
            }
        }
        return out.stream();
    }

    /** The suite's request files: a request line, headers (folded lines continue a value), a blank line, the body. */
    static AwsHttpRequest parseRequest(String text) {
        String[] lines = text.split("\n", -1);
        String requestLine = lines[0];
        String method = requestLine.substring(0, requestLine.indexOf(' '));
        String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(' '));
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        List<String[]> headers = new ArrayList<>();
        int i = 1;
        for (; i < lines.length && !lines[i].isEmpty(); i++) {
            String line = lines[i];
            if (line.startsWith(" ") || line.startsWith("\t")) {
                String[] last = headers.get(headers.size() - 1);
                last[1] = last[1] + " " + line.strip();
            } else {
                int colon = line.indexOf(':');
                headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1)});
            }
        }
        String body = i + 1 < lines.length ? String.join("\n", List.of(lines).subList(i + 1, lines.length)) : "";
        List<Map.Entry<String, String>> entries = headers.stream()
                .<Map.Entry<String, String>>map(h -> new AbstractMap.SimpleImmutableEntry<>(h[0], h[1])).toList();
        return new AwsHttpRequest(method, path, query, entries, body.getBytes(StandardCharsets.UTF_8), "r", "127.0.0.1",
                null);
    }

    @Test
    void theWholeSuiteIsRead() throws Exception {
        assertThat(vectors()).hasSizeGreaterThanOrEqualTo(37);
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void canonicalRequestAndStringToSignAreTheSigners(Vector v) {
        SigV4Verifier verifier = new SigV4Verifier(InstantSource.fixed(v.time()), v.normalize());
        SigV4Authorization auth = SigV4Verifier.parse(v.request());
        String canonical = verifier.canonicalRequest(v.request(), auth.signedHeaders(),
                SigV4Verifier.sha256Hex(v.request().body()));
        assertThat(canonical).isEqualTo(v.canonical());
        assertThat(SigV4Verifier.stringToSign(auth.amzDate(), auth.scope(), canonical)).isEqualTo(v.stringToSign());
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void theSignedRequestVerifiesWithItsSecretOnly(Vector v) {
        SigV4Verifier verifier = new SigV4Verifier(InstantSource.fixed(v.time()), v.normalize());
        SigV4Authorization auth = SigV4Verifier.parse(v.request());
        String service = v.context().get("service").asText();
        verifier.verify(v.request(), auth, v.secret(), service);

        String other = v.secret().substring(1) + "x";
        assertThatThrownBy(() -> verifier.verify(v.request(), auth, other, service))
                .isInstanceOfSatisfying(StsException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH));
    }
}
