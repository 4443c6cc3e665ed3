package dev.sts.audit.cloudtrail;

import dev.sts.kit.testing.AwsTestKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs a raw CloudTrail request as the AWS SDK does (its own SigV4 signer), for requests an SDK
 * client would never send: unknown targets, malformed bodies.
 */
final class CloudTrailAuth {
    /** Set by the JDK's HTTP client itself, to the values the signer saw. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length");

    private CloudTrailAuth() {
    }

    /** Signs the request with the bootstrap administrator's long-term key. */
    static void sign(HttpRequest.Builder request, URI uri, Map<String, String> headers, byte[] body) {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
        headers.forEach(unsigned::putHeader);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(AwsTestKeys.ADMIN_ACCESS_KEY_ID, AwsTestKeys.adminSecret()))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "cloudtrail")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            if (!RESTRICTED.contains(h.getKey().toLowerCase()) && !headers.containsKey(h.getKey())) {
                h.getValue().forEach(v -> request.header(h.getKey(), v));
            }
        }
    }
}
