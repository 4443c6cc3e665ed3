package dev.sts.role;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.kit.testing.AwsTestKeys;
import dev.sts.kit.testing.TestJwksResource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * IAM Query requests signed by the AWS SDK's SigV4 signer and sent over a given transport, and a
 * role whose session may call iam:GetRole only over TLS (AWS's usual "deny unless TLS" statement on
 * {@code aws:SecureTransport}, IAM User Guide, AWS global condition context keys).
 */
final class IamSecureTransport {
    /** GetRole and ListRolePolicies allowed; GetRole denied when the request did not come over TLS. */
    static final String POLICY = """
            {"Version":"2012-10-17","Statement":[
             {"Effect":"Allow","Action":["iam:GetRole","iam:ListRolePolicies"],"Resource":"*"},
             {"Sid":"DenyInsecureTransport","Effect":"Deny","Action":"iam:GetRole","Resource":"*",
              "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""";
    private static final Pattern ARN = Pattern.compile("<Arn>([^<]+)</Arn>");
    private static final Pattern ROLE_ID = Pattern.compile("<RoleId>([^<]+)</RoleId>");

    private final HttpClient http;
    private final URI endpoint;

    IamSecureTransport(HttpClient http, URI endpoint) {
        this.http = http;
        this.endpoint = endpoint;
    }

    /** Creates a role with {@link #POLICY} as the administrator, and returns a session of it. */
    TestJwksResource.AwsSession roleSession(String name) throws Exception {
        HttpResponse<String> created = send(admin(), "Action=CreateRole&Version=2010-05-08&RoleName=" + name
                + "&AssumeRolePolicyDocument=" + encode(RoleTests.TRUST), Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        HttpResponse<String> put = send(admin(), "Action=PutRolePolicy&Version=2010-05-08&RoleName=" + name
                + "&PolicyName=tls&PolicyDocument=" + encode(POLICY), Map.of());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        return TestJwksResource.awsSession(group(ARN, created.body()), group(ROLE_ID, created.body()), "s1");
    }

    HttpResponse<String> getRole(TestJwksResource.AwsSession s, String name, Map<String, String> extraHeaders)
            throws Exception {
        return send(identity(s), "Action=GetRole&Version=2010-05-08&RoleName=" + name, extraHeaders);
    }

    HttpResponse<String> listRolePolicies(TestJwksResource.AwsSession s, String name) throws Exception {
        return send(identity(s), "Action=ListRolePolicies&Version=2010-05-08&RoleName=" + name, Map.of());
    }

    static AwsCredentialsIdentity admin() {
        return AwsCredentialsIdentity.create(AwsTestKeys.ADMIN_ACCESS_KEY_ID, AwsTestKeys.adminSecret());
    }

    static AwsCredentialsIdentity identity(TestJwksResource.AwsSession s) {
        return AwsSessionCredentialsIdentity.create(s.accessKeyId(), s.secretAccessKey(), s.sessionToken());
    }

    /** POSTs the form signed for service iam; {@code extraHeaders} are added after signing (unsigned). */
    HttpResponse<String> send(AwsCredentialsIdentity identity, String form, Map<String, String> extraHeaders)
            throws Exception {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request)
                .payload(ContentStreamProvider.fromUtf8String(form))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "iam")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(form));
        Set<String> restricted = Set.of("host", "content-length", "connection");
        signed.headers().forEach((k, values) -> {
            if (!restricted.contains(k.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> b.header(k, v));
            }
        });
        extraHeaders.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String group(Pattern p, String body) {
        Matcher m = p.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }
}
