package dev.sts.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.iam.PermissionView;
import dev.sts.kit.testing.AwsTestKeys;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.RevokeSessionsRequest;
import dev.sts.proto.v1.TokenServiceGrpc;
import dev.sts.token.domain.RoleView;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

/**
 * Presigned {@code sts:GetCallerIdentity} URLs, as aws-iam-authenticator (EKS) and Vault's AWS auth
 * method use them: the AWS SDK's own SigV4 signer puts the signature in the query string, and a
 * third party that holds only the URL sends it with a plain HTTP client to learn who signed it. The
 * real token-service, PostgreSQL and Kafka; tampered, expired and revoked-session URLs are refused
 * with AWS's codes.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "tokens"))
class StsPresignedTest {
    static final String ROLE = "arn:aws:iam::000000000000:role/PresignRole";
    static final String QUERY = "Action=GetCallerIdentity&Version=2011-06-15";
    static ManagedChannel channel;
    static TokenServiceGrpc.TokenServiceBlockingStub admin;

    @Inject
    PermissionView view;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        admin = TokenServiceGrpc.newBlockingStub(channel).withCallCredentials(new BearerCredentials("test-admin-token"));
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    @BeforeEach
    void role() throws Exception {
        if (view.role(ROLE).isEmpty()) {
            TestRoleDirectory.publish(bootstrapServers, TestRoleDirectory.state(new RoleView(ROLE,
                    "AROAPRESIGNROLEEXAM0", "PresignRole", "000000000000", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"AWS":"arn:aws:iam::000000000000:user/developer"},"Action":"sts:AssumeRole"}]}""",
                    3600)));
        }
        TestRoleDirectory.awaitInView(view, ROLE, 1);
    }

    /** A GET of GetCallerIdentity presigned by the AWS SDK's AwsV4HttpSigner (AUTH_LOCATION = QUERY_STRING). */
    static URI presign(AwsCredentialsIdentity identity, Clock clock, Duration expires) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(StsQueryApiTest.endpoint().resolve("/?" + QUERY)).build();
        var signed = AwsV4HttpSigner.create().sign(s -> s.identity(identity).request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expires)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        assertThat(signed.request().headers()).doesNotContainKey("Authorization");
        return signed.request().getUri();
    }

    /** What the third party does: a plain GET of the URL, no header of its own but Host. */
    static HttpResponse<String> get(URI url) throws Exception {
        return StsQueryApiTest.HTTP.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static AssumeRoleResponse session(String name) {
        try (StsClient sts = StsQueryApiTest.developerSts()) {
            return sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName(name));
        }
    }

    static AwsSessionCredentialsIdentity identity(AssumeRoleResponse r) {
        return AwsSessionCredentialsIdentity.create(r.credentials().accessKeyId(), r.credentials().secretAccessKey(),
                r.credentials().sessionToken());
    }

    @Test
    void aPresignedUrlOfALongTermKeyNamesItsPrincipal() throws Exception {
        URI url = presign(AwsCredentialsIdentity.create(AwsTestKeys.USER_ACCESS_KEY_ID, AwsTestKeys.userSecret()),
                Clock.systemUTC(), Duration.ofSeconds(60));
        assertThat(url.getRawQuery()).contains("X-Amz-Signature=", "X-Amz-Expires=60", "X-Amz-Credential=")
                .doesNotContain("X-Amz-Security-Token");
        HttpResponse<String> r = get(url);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">",
                "<Arn>" + AwsTestKeys.USER_PRINCIPAL + "</Arn>", "<Account>000000000000</Account>");
    }

    @Test
    void aPresignedUrlOfSessionCredentialsNamesTheAssumedRole() throws Exception {
        AssumeRoleResponse s = session("presigner");
        URI url = presign(identity(s), Clock.systemUTC(), Duration.ofMinutes(15));
        assertThat(url.getRawQuery()).contains("X-Amz-Security-Token=");
        HttpResponse<String> r = get(url);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("<Arn>arn:aws:sts::000000000000:assumed-role/PresignRole/presigner</Arn>",
                "<UserId>AROAPRESIGNROLEEXAM0:presigner</UserId>");
    }

    @Test
    void tamperedExpiredAndRevokedUrlsAreRefused() throws Exception {
        AssumeRoleResponse s = session("refusals");
        URI good = presign(identity(s), Clock.systemUTC(), Duration.ofSeconds(120));
        assertThat(get(good).statusCode()).isEqualTo(200);

        // Tampered: another action, another expiry, another session's token, a parameter added.
        String q = good.getRawQuery();
        AssumeRoleResponse other = session("other");
        String otherToken = java.net.URLEncoder.encode(other.credentials().sessionToken(),
                java.nio.charset.StandardCharsets.UTF_8);
        for (String tampered : new String[] {
                q.replace("Action=GetCallerIdentity", "Action=AssumeRole"),
                q.replace("X-Amz-Expires=120", "X-Amz-Expires=900"),
                q + "&RoleArn=x",
                q.replaceFirst("X-Amz-Signature=[0-9a-f]{64}", "X-Amz-Signature=" + "0".repeat(64))}) {
            assertThat(tampered).isNotEqualTo(q);
            StsQueryApiTest.refused(get(withQuery(good, tampered)), 403, "SignatureDoesNotMatch");
        }
        StsQueryApiTest.refused(get(withQuery(good, q.replaceFirst("X-Amz-Security-Token=[^&]*",
                "X-Amz-Security-Token=" + otherToken))), 403, "InvalidClientTokenId");

        // Expired: signed 20 minutes ago for 15, and signed 2 minutes ago for 60 seconds.
        StsQueryApiTest.refused(get(presign(identity(s), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20)),
                Duration.ofMinutes(15))), 400, "RequestExpired");
        StsQueryApiTest.refused(get(presign(identity(s), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2)),
                Duration.ofSeconds(60))), 400, "RequestExpired");
        // Out of range: X-Amz-Expires above a week (re-signed, so only the bound can refuse it).
        StsQueryApiTest.refused(get(withQuery(good, q.replace("X-Amz-Expires=120", "X-Amz-Expires=604801"))), 400,
                "IncompleteSignature");

        // Revoked: the URL signed while the session was good stops working once the revocation is in force.
        SessionClaims claims = SessionClaims.fromClaimsSet(SignedJWT.parse(s.credentials().sessionToken())
                .getJWTClaimsSet());
        admin.revokeSessions(RevokeSessionsRequest.newBuilder().setSessionId(claims.sessionId()).setReason("test")
                .build());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                StsQueryApiTest.refused(get(good), 403, "InvalidClientTokenId"));
        // The other session is untouched.
        assertThat(get(presign(identity(other), Clock.systemUTC(), Duration.ofSeconds(60))).statusCode()).isEqualTo(200);
    }

    private static URI withQuery(URI url, String rawQuery) {
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath() + "?" + rawQuery);
    }
}
