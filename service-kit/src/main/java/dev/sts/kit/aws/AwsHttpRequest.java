package dev.sts.kit.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as an AWS protocol endpoint received it: what SigV4 signs (method, path and query
 * as sent on the wire, headers in arrival order, the whole body) and what the audit trail records.
 *
 * @param rawPath the path as sent, percent-escapes intact
 * @param rawQuery the query string as sent, without {@code ?}, or {@code ""}
 * @param headers every header in arrival order; names as sent (compared case-insensitively)
 * @param body the whole body, already bounded by the endpoint
 * @param requestId the id this request is answered and audited with
 * @param sourceIp the peer address
 * @param userAgent the {@code User-Agent} header, or {@code null}
 * @param secureTransport whether the request reached the service over TLS ({@code aws:SecureTransport}):
 *     the connection's TLS, or, behind a TLS-terminating proxy, the forwarded scheme only when the
 *     operator configured Quarkus's proxy-address-forwarding with trusted proxies (ADR 027)
 */
public record AwsHttpRequest(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
        byte[] body, String requestId, String sourceIp, String userAgent, boolean secureTransport) {

    /** A request whose transport is not known to be TLS (tests, tools): {@code aws:SecureTransport} false. */
    public AwsHttpRequest(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
            byte[] body, String requestId, String sourceIp, String userAgent) {
        this(method, rawPath, rawQuery, headers, body, requestId, sourceIp, userAgent, false);
    }

    public AwsHttpRequest {
        rawQuery = rawQuery == null ? "" : rawQuery;
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /**
     * The call as the kit's {@link dev.sts.kit.auth.Authorizer} and audit code see a gRPC call: its
     * request id, source, user agent and transport ({@code aws:SecureTransport} is always known here,
     * so a "deny unless TLS" statement applies to a plaintext request). No bearer: the caller was
     * authenticated by its signature.
     */
    public dev.sts.kit.grpc.RequestContext requestContext() {
        return new dev.sts.kit.grpc.RequestContext(requestId, null, sourceIp == null ? "" : sourceIp,
                userAgent == null ? "" : userAgent, Optional.of(secureTransport));
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return Optional.of(h.getValue());
            }
        }
        return Optional.empty();
    }

    /** Every value of a header, in arrival order. */
    public List<String> headerValues(String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().toLowerCase(Locale.ROOT).equals(name)) {
                values.add(h.getValue());
            }
        }
        return values;
    }
}
