package dev.sts.kit.aws;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Signs requests for the kit's unit tests with the verifier's own canonicalization (which
 * SigV4VectorsTest holds to the published vectors); the services' tests sign with the AWS SDK.
 */
final class TestSigner {
    private TestSigner() {
    }

    static AwsHttpRequest sign(String body, String accessKeyId, String secret, String token, String service,
            Instant time) {
        String amzDate = SigV4Verifier.AMZ_DATE.format(time);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(entry("Host", "sts.test:8082"));
        headers.add(entry("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"));
        headers.add(entry("X-Amz-Date", amzDate));
        List<String> signed = new ArrayList<>(List.of("content-type", "host", "x-amz-date"));
        if (token != null) {
            headers.add(entry("X-Amz-Security-Token", token));
            signed.add("x-amz-security-token");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        AwsHttpRequest unsigned = new AwsHttpRequest("POST", "/", "", headers, bytes, "r", "127.0.0.1", null);
        String date = amzDate.substring(0, 8);
        String scope = date + "/us-east-1/" + service + "/aws4_request";
        String canonical = new SigV4Verifier(() -> time).canonicalRequest(unsigned, signed,
                SigV4Verifier.sha256Hex(bytes));
        String signature = SigV4Verifier.sign(secret, date, "us-east-1", service,
                SigV4Verifier.stringToSign(amzDate, scope, canonical));
        headers.add(entry("Authorization", SigV4Verifier.ALGORITHM + " Credential=" + accessKeyId + "/" + scope
                + ", SignedHeaders=" + String.join(";", signed) + ", Signature=" + signature));
        return new AwsHttpRequest("POST", "/", "", headers, bytes, "r", "127.0.0.1", null);
    }

    /**
     * A presigned GET: {@code query} (already URI-encoded) plus the SigV4 query parameters, signed over
     * {@code host} only, with the hash of the empty body.
     */
    static AwsHttpRequest presign(String query, String accessKeyId, String secret, String token, String service,
            Instant time, int expires) {
        String amzDate = SigV4Verifier.AMZ_DATE.format(time);
        String date = amzDate.substring(0, 8);
        String scope = date + "/us-east-1/" + service + "/aws4_request";
        List<Map.Entry<String, String>> headers = List.of(entry("Host", "sts.test:8082"));
        String q = query + "&X-Amz-Algorithm=" + SigV4Verifier.ALGORITHM
                + "&X-Amz-Credential=" + SigV4Verifier.uriEncode(accessKeyId + "/" + scope, true)
                + "&X-Amz-Date=" + amzDate + "&X-Amz-Expires=" + expires + "&X-Amz-SignedHeaders=host"
                + (token == null ? "" : "&X-Amz-Security-Token=" + SigV4Verifier.uriEncode(token, true));
        AwsHttpRequest unsigned = new AwsHttpRequest("GET", "/", q, headers, new byte[0], "r", "127.0.0.1", null);
        String canonical = new SigV4Verifier(() -> time).canonicalRequest(unsigned, List.of("host"),
                SigV4Verifier.sha256Hex(new byte[0]), true);
        String signature = SigV4Verifier.sign(secret, date, "us-east-1", service,
                SigV4Verifier.stringToSign(amzDate, scope, canonical));
        return new AwsHttpRequest("GET", "/", q + "&X-Amz-Signature=" + signature, headers, new byte[0], "r",
                "127.0.0.1", null);
    }

    /** The same request with one header's value replaced (or added). */
    static AwsHttpRequest withHeader(AwsHttpRequest r, String name, String value) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        boolean replaced = false;
        for (Map.Entry<String, String> h : r.headers()) {
            if (h.getKey().equalsIgnoreCase(name)) {
                if (!replaced && value != null) {
                    headers.add(entry(h.getKey(), value));
                }
                replaced = true;
            } else {
                headers.add(h);
            }
        }
        if (!replaced && value != null) {
            headers.add(entry(name, value));
        }
        return new AwsHttpRequest(r.method(), r.rawPath(), r.rawQuery(), headers, r.body(), r.requestId(), r.sourceIp(),
                r.userAgent());
    }

    static AwsHttpRequest withBody(AwsHttpRequest r, String body) {
        return new AwsHttpRequest(r.method(), r.rawPath(), r.rawQuery(), r.headers(),
                body.getBytes(StandardCharsets.UTF_8), r.requestId(), r.sourceIp(), r.userAgent());
    }

    static Map.Entry<String, String> entry(String name, String value) {
        return new AbstractMap.SimpleImmutableEntry<>(name, value);
    }
}
