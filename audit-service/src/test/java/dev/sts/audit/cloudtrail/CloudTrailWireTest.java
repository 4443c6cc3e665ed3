package dev.sts.audit.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sts.audit.AuditDatabaseResource;
import dev.sts.kit.testing.TestChannels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CloudTrail's JSON protocol on the wire, below what an SDK lets a caller send: a missing or
 * unknown target, an oversized body, a body that is not JSON. Each is refused with CloudTrail's
 * JSON error shape and status, never a stack trace or an HTML page.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
class CloudTrailWireTest {
    static final String TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Answer(int status, String type, String message, HttpResponse<String> raw) {
    }

    static Answer post(String target, byte[] body, boolean signed) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + TestChannels.port() + "/");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-amz-json-1.1");
        if (target != null) {
            headers.put("X-Amz-Target", target);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        if (signed) {
            CloudTrailAuth.sign(b, uri, headers, body);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
        JsonNode n = JSON.readTree(r.body());
        return new Answer(r.statusCode(), n.path("__type").asText(null), n.path("message").asText(null), r);
    }

    @Test
    void anUnsignedRequestIsMissingAuthentication() throws Exception {
        Answer a = post(TARGET + "LookupEvents", "{}".getBytes(StandardCharsets.UTF_8), false);
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.type()).isEqualTo("MissingAuthenticationToken");
    }

    @Test
    void aSignedLookupAnswersWithEvents() throws Exception {
        Answer a = post(TARGET + "LookupEvents", "{\"MaxResults\": 1}".getBytes(StandardCharsets.UTF_8), true);
        assertThat(a.status()).as(a.raw().body()).isEqualTo(200);
        assertThat(JSON.readTree(a.raw().body()).get("Events").isArray()).isTrue();
    }

    @Test
    void aSignatureOverAnotherBodyDoesNotMatch() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + TestChannels.port() + "/");
        Map<String, String> headers = Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", TARGET + "LookupEvents");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString("{\"MaxResults\": 50}"));
        headers.forEach(b::header);
        CloudTrailAuth.sign(b, uri, headers, "{\"MaxResults\": 1}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).path("__type").asText()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void anUnknownOrMissingTargetIsUnknownOperation() throws Exception {
        for (String target : new String[] {TARGET + "CreateTrail", "com.amazonaws.cloudtrail.v20131101.Other.LookupEvents",
            TARGET + "lookupevents", null}) {
            Answer a = post(target, "{}".getBytes(StandardCharsets.UTF_8), true);
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.type()).isEqualTo("UnknownOperationException");
        }
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() throws Exception {
        byte[] body = ("{\"NextToken\": \"" + "a".repeat(64 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        Answer a = post(TARGET + "LookupEvents", body, true);
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.type()).isEqualTo("RequestEntityTooLarge");
    }

    @Test
    void aBodyThatIsNotTheOperationsJsonIsASerializationException() throws Exception {
        for (String body : new String[] {"{", "[1]", "{\"MaxResults\": \"ten\"}", "{\"MaxResults\": 1, \"MaxResults\": 2}",
            "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}"}) {
            Answer a = post(TARGET + "LookupEvents", body.getBytes(StandardCharsets.UTF_8), true);
            assertThat(a.status()).as(body).isEqualTo(400);
            assertThat(a.type()).as(body).isEqualTo("SerializationException");
            assertThat(a.message()).doesNotContain("jackson").doesNotContain("Exception:");
        }
    }
}
