package dev.sts.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.iam.PermissionView;
import dev.sts.kit.testing.AwsTestKeys;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.RevokeSessionsRequest;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.TokenServiceGrpc;
import dev.sts.token.domain.RoleView;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The STS Query API through the AWS SDK for Java v2 against the real token-service, PostgreSQL and
 * Kafka: each operation's answer and error shapes, the session credentials AssumeRole returns
 * signing requests (the secret is the derived one, docs/adr/023), the SigV4 refusals, and the SDK's
 * StsAssumeRoleCredentialsProvider refreshing against it.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "tokens"))
class StsQueryApiTest {
    static final String ROOT = AwsTestKeys.ADMIN_PRINCIPAL;
    static final String SDK_ROLE = "arn:aws:iam::000000000000:role/SdkRole";
    static final String SDK_CHAINED = "arn:aws:iam::000000000000:role/SdkChainedRole";
    static final HttpClient HTTP = HttpClient.newHttpClient();
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
    void roles() throws Exception {
        if (view.role(SDK_ROLE).isEmpty() || view.role(SDK_CHAINED).isEmpty()) {
            TestRoleDirectory.publish(bootstrapServers,
                    TestRoleDirectory.state(new RoleView(SDK_ROLE, "AROASDKROLEEXAMPLE00", "SdkRole", "000000000000", """
                            {"Version":"2012-10-17","Statement":[{"Sid":"TrustDeveloper","Effect":"Allow",
                             "Principal":{"AWS":"arn:aws:iam::000000000000:user/developer"},
                             "Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],
                             "Condition":{"StringEquals":{"sts:ExternalId":"Ext-1234"}}}]}""", 3600)),
                    TestRoleDirectory.state(new RoleView(SDK_CHAINED, "AROASDKCHAINEDEXAMP0", "SdkChainedRole",
                            "000000000000", """
                            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                             "Principal":{"AWS":"arn:aws:iam::000000000000:role/SdkRole"},
                             "Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}""", 3600)));
        }
        TestRoleDirectory.awaitInView(view, SDK_ROLE, 1);
        TestRoleDirectory.awaitInView(view, SDK_CHAINED, 1);
    }

    static URI endpoint() {
        return URI.create("http://127.0.0.1:" + TestChannels.port());
    }

    static StsClient sts(AwsCredentialsProvider credentials) {
        return StsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials).build();
    }

    static StsClient adminSts() {
        return sts(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(AwsTestKeys.ADMIN_ACCESS_KEY_ID, AwsTestKeys.adminSecret())));
    }

    /** The IAM user the roles trust by name (the account root cannot assume roles, as on AWS). */
    static StsClient developerSts() {
        return sts(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(AwsTestKeys.USER_ACCESS_KEY_ID, AwsTestKeys.userSecret())));
    }

    static AssumeRoleRequest.Builder assume(String session) {
        return AssumeRoleRequest.builder().roleArn(SDK_ROLE).roleSessionName(session).externalId("Ext-1234");
    }

    static SessionClaims claims(String token) throws Exception {
        return SessionClaims.fromClaimsSet(SignedJWT.parse(token).getJWTClaimsSet());
    }

    @Test
    void assumeRoleWithEveryParameterReturnsADerivedSecretThatSigns() throws Exception {
        String session = "sdk-" + UUID.randomUUID().toString().substring(0, 8);
        AssumeRoleResponse r;
        try (StsClient sts = developerSts()) {
            r = sts.assumeRole(assume(session).durationSeconds(900).sourceIdentity("alice")
                    .policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                            + "\"Resource\":\"*\"}]}")
                    .policyArns(p -> p.arn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"))
                    .tags(t -> t.key("team").value("storage"), t -> t.key("project").value("x"))
                    .transitiveTagKeys("team")
                    .serialNumber("arn:aws:iam::000000000000:mfa/alice").tokenCode("123456").build());
        }
        assertThat(r.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::000000000000:assumed-role/SdkRole/" + session);
        assertThat(r.assumedRoleUser().assumedRoleId()).isEqualTo("AROASDKROLEEXAMPLE00:" + session);
        assertThat(r.sourceIdentity()).isEqualTo("alice");
        assertThat(r.packedPolicySize()).isPositive();
        assertThat(r.credentials().accessKeyId()).matches("ASIA[A-Z2-7]{16}");
        SessionClaims claims = claims(r.credentials().sessionToken());
        assertThat(claims.secretKeyId()).isEqualTo("test-2");
        assertThat(claims.tags()).containsEntry("team", "storage").containsEntry("project", "x");
        assertThat(claims.transitiveTagKeys()).containsExactly("team");
        assertThat(claims.policyArns()).containsExactly("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        assertThat(claims.sessionPolicy()).contains("s3:GetObject");
        assertThat(r.credentials().expiration()).isEqualTo(claims.expiresAt());
        // The secret is derived from the ring, never stored: any holder of the ring derives it again.
        assertThat(r.credentials().secretAccessKey())
                .isEqualTo(AwsTestKeys.RING.sessionSecret("test-2", claims.accessKeyId(), claims.sessionId()).orElseThrow());

        // Audited as the gRPC call is: the decision's event, with the HTTP request's facts, no secret.
        var record = SessionEventLog.all().stream()
                .filter(rec -> SessionEventLog.parse(rec.value()).getSessionIssued().getAccessKeyId()
                        .equals(claims.accessKeyId())).findFirst().orElseThrow();
        StsEvent event = SessionEventLog.parse(record.value());
        assertThat(event.getSessionIssued().getHeader().getActor().getArn()).isEqualTo(AwsTestKeys.USER_PRINCIPAL);
        assertThat(event.getSessionIssued().getHeader().getUserAgent()).contains("aws-sdk-java");
        assertThat(event.getSessionIssued().getHeader().getSourceIpAddress()).isEqualTo("127.0.0.1");
        assertThat(event.getSessionIssued().getHeader().getRequestId()).isNotEmpty();
        assertThat(new String(record.value(), StandardCharsets.ISO_8859_1))
                .doesNotContain(r.credentials().secretAccessKey());

        // The session credentials sign: GetCallerIdentity and AssumeRole of the next role in the chain.
        var creds = StaticCredentialsProvider.create(AwsSessionCredentials.create(r.credentials().accessKeyId(),
                r.credentials().secretAccessKey(), r.credentials().sessionToken()));
        try (StsClient asSession = sts(creds)) {
            GetCallerIdentityResponse me = asSession.getCallerIdentity();
            assertThat(me.arn()).isEqualTo(r.assumedRoleUser().arn());
            assertThat(me.userId()).isEqualTo(r.assumedRoleUser().assumedRoleId());
            assertThat(me.account()).isEqualTo("000000000000");
            // Its session policy allows s3:GetObject only, so it may not assume another role.
            StsException limited = catchThrowableOfType(StsException.class,
                    () -> asSession.assumeRole(b -> b.roleArn(SDK_CHAINED).roleSessionName("hop2")));
            assertThat(limited.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        }
    }

    @Test
    void theSdksDefaultCredentialChainUsesTheSessionCredentials() throws Exception {
        AssumeRoleResponse r;
        try (StsClient sts = developerSts()) {
            r = sts.assumeRole(assume("chain").build());
        }
        assertThat(claims(r.credentials().sessionToken()).chainDepth()).isEqualTo(1);
        // The default chain reads the system properties first, as it reads AWS_ACCESS_KEY_ID & co.
        System.setProperty("aws.accessKeyId", r.credentials().accessKeyId());
        System.setProperty("aws.secretAccessKey", r.credentials().secretAccessKey());
        System.setProperty("aws.sessionToken", r.credentials().sessionToken());
        try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
                StsClient sts = sts(chain)) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:sts::000000000000:assumed-role/SdkRole/chain");
            // A session signs AssumeRole too: role chaining through the Query API.
            AssumeRoleResponse chained = sts.assumeRole(b -> b.roleArn(SDK_CHAINED).roleSessionName("hop2"));
            assertThat(chained.assumedRoleUser().arn())
                    .isEqualTo("arn:aws:sts::000000000000:assumed-role/SdkChainedRole/hop2");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
            System.clearProperty("aws.sessionToken");
        }
    }

    @Test
    void getCallerIdentityOfLongTermKeys() {
        try (StsClient sts = adminSts()) {
            GetCallerIdentityResponse me = sts.getCallerIdentity();
            assertThat(me.arn()).isEqualTo(ROOT);
            assertThat(me.account()).isEqualTo("000000000000");
        }
        try (StsClient sts = sts(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(AwsTestKeys.USER_ACCESS_KEY_ID, AwsTestKeys.userSecret())))) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo(AwsTestKeys.USER_PRINCIPAL);
        }
    }

    @Test
    void errorsInStsShapes() {
        try (StsClient sts = developerSts()) {
            StsException denied = catchThrowableOfType(StsException.class,
                    () -> sts.assumeRole(assume("denied").externalId("Wrong-0000").build()));
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(denied.awsErrorDetails().errorMessage())
                    .isEqualTo("User: " + AwsTestKeys.USER_PRINCIPAL + " is not authorized to perform: sts:AssumeRole"
                            + " on resource: " + SDK_ROLE);
            assertThat(denied.requestId()).isNotEmpty();

            StsException invalid = catchThrowableOfType(StsException.class,
                    () -> sts.assumeRole(assume("bad name!").build()));
            assertThat(invalid.statusCode()).isEqualTo(400);
            assertThat(invalid.awsErrorDetails().errorCode()).isEqualTo("ValidationError");

            StsException policy = catchThrowableOfType(StsException.class,
                    () -> sts.assumeRole(assume("pp").policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                            + "\"Maybe\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}").build()));
            assertThat(policy.awsErrorDetails().errorCode()).isEqualTo("MalformedPolicyDocument");

            StsException missing = catchThrowableOfType(StsException.class,
                    () -> sts.assumeRole(b -> b.roleSessionName("no-arn")));
            assertThat(missing.awsErrorDetails().errorCode()).isEqualTo("MissingParameter");
            assertThat(missing.statusCode()).isEqualTo(400);
        }
        try (StsClient stranger = sts(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAAAAAAAAAAAAAAAAA", AwsTestKeys.adminSecret())))) {
            StsException unknown = catchThrowableOfType(StsException.class, stranger::getCallerIdentity);
            assertThat(unknown.statusCode()).isEqualTo(403);
            assertThat(unknown.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
        }
    }

    /** A request signed by the AWS SDK's own SigV4 signer (not the verifier's code), then sent as is. */
    record Signed(SdkHttpRequest request, String body) {
    }

    static Signed sign(String body, AwsCredentialsIdentity identity, String service, Clock clock) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint())
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        var signed = AwsV4HttpSigner.create().sign(s -> s.identity(identity).request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        return new Signed(signed.request(), body);
    }

    static HttpResponse<String> send(Signed s, Map<String, String> override, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint().resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        s.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !override.containsKey(name)) {
                values.forEach(v -> b.header(name, v));
            }
        });
        override.forEach((name, value) -> {
            if (!value.isEmpty()) { // "" leaves the header out
                b.header(name, value);
            }
        });
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void refused(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).contains("text/xml");
        assertThat(r.body()).startsWith("<?xml").contains("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
                .contains("<Type>Sender</Type>", "<Code>" + code + "</Code>")
                .contains("<RequestId>" + r.headers().firstValue("x-amzn-RequestId").orElseThrow() + "</RequestId>");
    }

    @Test
    void sigV4Refusals() throws Exception {
        String body = "Action=GetCallerIdentity&Version=2011-06-15";
        Clock now = Clock.systemUTC();
        AssumeRoleResponse a;
        AssumeRoleResponse b;
        try (StsClient sts = developerSts()) {
            a = sts.assumeRole(assume("sig-a").build());
            b = sts.assumeRole(assume("sig-b").build());
        }
        AwsSessionCredentialsIdentity sessionA = AwsSessionCredentialsIdentity.create(a.credentials().accessKeyId(),
                a.credentials().secretAccessKey(), a.credentials().sessionToken());

        // The control: the SDK signer's request is accepted as sent.
        HttpResponse<String> ok = send(sign(body, sessionA, "sts", now), Map.of(), body);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("<Arn>arn:aws:sts::000000000000:assumed-role/SdkRole/sig-a</Arn>");

        // Another first character: "x" + the rest was the same secret whenever it began with "x"
        // (1 run in 64), and then the control's request was accepted.
        String secret = a.credentials().secretAccessKey();
        String wrongSecret = (secret.charAt(0) == 'x' ? "y" : "x") + secret.substring(1);
        refused(send(sign(body, AwsSessionCredentialsIdentity.create(a.credentials().accessKeyId(),
                wrongSecret, a.credentials().sessionToken()), "sts", now),
                Map.of(), body), 403, "SignatureDoesNotMatch");
        refused(send(sign(body, sessionA, "sts", now), Map.of(), body + "&RoleArn=x"), 403, "SignatureDoesNotMatch");
        refused(send(sign(body, sessionA, "sts", now), Map.of("Content-Type", "application/x-www-form-urlencoded"), body),
                403, "SignatureDoesNotMatch");
        refused(send(sign(body, sessionA, "sts", Clock.offset(now, Duration.ofMinutes(-20))), Map.of(), body),
                400, "RequestExpired");
        refused(send(sign(body, sessionA, "iam", now), Map.of(), body), 403, "SignatureDoesNotMatch");
        // The secret of another session with this session's key and token.
        refused(send(sign(body, AwsSessionCredentialsIdentity.create(a.credentials().accessKeyId(),
                b.credentials().secretAccessKey(), a.credentials().sessionToken()), "sts", now), Map.of(), body),
                403, "SignatureDoesNotMatch");
        // Another session's token under this session's key.
        refused(send(sign(body, AwsSessionCredentialsIdentity.create(a.credentials().accessKeyId(),
                a.credentials().secretAccessKey(), b.credentials().sessionToken()), "sts", now), Map.of(), body),
                403, "InvalidClientTokenId");
        refused(send(sign(body, sessionA, "sts", now), Map.of("Authorization", "", "X-Amz-Security-Token", ""), body),
                403, "MissingAuthenticationToken");
        HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(endpoint().resolve("/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        refused(unsigned, 403, "MissingAuthenticationToken");

        // The token of a revoked session: refused once the revocation is in force.
        admin.revokeSessions(RevokeSessionsRequest.newBuilder().setSessionId(claims(a.credentials().sessionToken())
                .sessionId()).setReason("test").build());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                refused(send(sign(body, sessionA, "sts", Clock.systemUTC()), Map.of(), body), 403, "InvalidClientTokenId"));
        // The other session is untouched.
        HttpResponse<String> other = send(sign(body, AwsSessionCredentialsIdentity.create(b.credentials().accessKeyId(),
                b.credentials().secretAccessKey(), b.credentials().sessionToken()), "sts", now), Map.of(), body);
        assertThat(other.statusCode()).isEqualTo(200);
    }

    @Test
    void oversizedAndMalformedFormsAreRefusedCleanly() throws Exception {
        AwsCredentialsIdentity key = AwsCredentialsIdentity.create(AwsTestKeys.ADMIN_ACCESS_KEY_ID, AwsTestKeys.adminSecret());
        Clock now = Clock.systemUTC();
        String big = "Action=GetCallerIdentity&Version=2011-06-15&Pad=" + "x".repeat(300_000);
        HttpResponse<String> tooLarge = HTTP.send(HttpRequest.newBuilder(endpoint().resolve("/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());
        refused(tooLarge, 413, "RequestEntityTooLarge");

        String bad = "Action=GetCallerIdentity&Version=2011-06-15&X=%zz";
        refused(send(sign(bad, key, "sts", now), Map.of(), bad), 404, "MalformedQueryString");
        String noAction = "Version=2011-06-15";
        refused(send(sign(noAction, key, "sts", now), Map.of(), noAction), 400, "MissingAction");
        String unknown = "Action=GetSessionToken&Version=2011-06-15";
        refused(send(sign(unknown, key, "sts", now), Map.of(), unknown), 400, "InvalidAction");
        String version = "Action=GetCallerIdentity&Version=2010-05-08";
        refused(send(sign(version, key, "sts", now), Map.of(), version), 400, "InvalidAction");
        String gap = "Action=AssumeRole&Version=2011-06-15&RoleArn=" + SDK_ROLE + "&RoleSessionName=g&ExternalId=Ext-1234"
                + "&Tags.member.2.Key=a&Tags.member.2.Value=b";
        refused(send(sign(gap, key, "sts", now), Map.of(), gap), 400, "ValidationError");
        String json = "{\"Action\":\"GetCallerIdentity\"}";
        refused(send(sign(json, key, "sts", now), Map.of("Content-Type", "application/json"), json), 404,
                "MalformedQueryString");
    }

    @Test
    void stsAssumeRoleCredentialsProviderRefreshes() throws Exception {
        try (StsClient sts = developerSts();
                StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                        .refreshRequest(assume("refreshing").durationSeconds(900).build())
                        // Stale one second after issue: every resolution after that asks STS again.
                        .staleTime(Duration.ofSeconds(899)).prefetchTime(Duration.ofSeconds(899))
                        .asyncCredentialUpdateEnabled(false).build()) {
            AwsCredentials first = provider.resolveCredentials();
            assertThat(first.accessKeyId()).startsWith("ASIA");
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !provider.resolveCredentials().accessKeyId().equals(first.accessKeyId()));
            try (StsClient asRole = sts(provider)) {
                assertThat(asRole.getCallerIdentity().arn())
                        .isEqualTo("arn:aws:sts::000000000000:assumed-role/SdkRole/refreshing");
            }
        }
    }
}
