package dev.sts.kit.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The parts of a SigV4 {@code Authorization} header (or of a presigned request's query) and the request time, parsed and bounded but
 * not yet verified.
 *
 * @param accessKeyId the Credential's access key id
 * @param date the Credential scope's date, {@code yyyyMMdd}
 * @param region the Credential scope's region (any region is accepted)
 * @param service the Credential scope's service
 * @param signedHeaders lower-case header names, as listed in SignedHeaders
 * @param signature 64 lower-case hex digits
 * @param amzDate the {@code X-Amz-Date} value, {@code yyyyMMdd'T'HHmmss'Z'}
 * @param requestTime {@code amzDate} as an instant
 * @param securityToken the {@code X-Amz-Security-Token}, or {@code null}
 * @param expires for a presigned request (SigV4 in the query string), its {@code X-Amz-Expires};
 *     {@code null} for the {@code Authorization} header form
 */
public record SigV4Authorization(String accessKeyId, String date, String region, String service,
        List<String> signedHeaders, String signature, String amzDate, Instant requestTime, String securityToken,
        Duration expires) {

    public SigV4Authorization {
        signedHeaders = List.copyOf(signedHeaders);
    }

    /** The {@code Authorization} header form. */
    public SigV4Authorization(String accessKeyId, String date, String region, String service,
            List<String> signedHeaders, String signature, String amzDate, Instant requestTime, String securityToken) {
        this(accessKeyId, date, region, service, signedHeaders, signature, amzDate, requestTime, securityToken, null);
    }

    /** Whether the signature came in the query string ({@code X-Amz-Signature}). */
    public boolean presigned() {
        return expires != null;
    }

    /** {@code date/region/service/aws4_request}. */
    public String scope() {
        return date + "/" + region + "/" + service + "/" + SigV4Verifier.TERMINATOR;
    }
}
