package dev.sts.token;

import static dev.sts.token.TokenServiceTest.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.AssumeRoleWithWebIdentityRequest;
import dev.sts.proto.v1.AssumeRoleWithWebIdentityResponse;
import dev.sts.proto.v1.GetCallerIdentityRequest;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.TokenServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AssumeRoleWithWebIdentity through gRPC against real PostgreSQL and Kafka, with an OIDC issuer
 * served over HTTP ({@link OidcIssuerResource}) whose keys are generated here: IRSA-style trust,
 * every token failure and its STS code, key rollover at the issuer and the refetch rate limit, a
 * static JWK set provider, an unreachable issuer, and the token never reaching an event.
 */
@QuarkusTest
@TestProfile(WebIdentityTest.WithIssuer.class)
class WebIdentityTest {
    static final String SA = "system:serviceaccount:payments:api";

    public static class WithIssuer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.arc.exclude-types", TestRoleDirectory.class.getName());
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(WebIdentityRoles.class);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OidcIssuerResource.class));
        }
    }

    static ManagedChannel channel;
    static TokenServiceGrpc.TokenServiceBlockingStub sts;
    static String issuer;
    static RSAKey rsa;
    static ECKey ec;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        channel = TestChannels.toApplication();
        sts = TokenServiceGrpc.newBlockingStub(channel);
        issuer = ConfigProvider.getConfig().getValue("test.oidc.issuer", String.class);
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        publish(rsa, ec);
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    static void publish(JWK... keys) throws Exception {
        String set = new JWKSet(List.of(keys)).toPublicJWKSet().toString();
        HTTP.send(HttpRequest.newBuilder(URI.create(adminUrl("/admin/jwks"))).POST(HttpRequest.BodyPublishers.ofString(set)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** How often the issuer's JWK set has been fetched so far. */
    static int keyFetches() throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(adminUrl("/admin/fetches"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Integer.parseInt(body.split(" ")[0]);
    }

    static String adminUrl(String path) {
        return issuer.substring(0, issuer.indexOf("/test-issuer")) + path;
    }

    /** The claims of a Kubernetes-shaped service-account token of the test issuer, valid for an hour. */
    static JWTClaimsSet.Builder claims(String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience("sts")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("kubernetes.io", Map.of("namespace", "payments", "serviceaccount", Map.of("name", "api")));
    }

    static String rs256(JWK key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key.toRSAKey()));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String es256(ECKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static AssumeRoleWithWebIdentityRequest request(String role, String session, String token) {
        return AssumeRoleWithWebIdentityRequest.newBuilder().setRoleArn(role).setRoleSessionName(session)
                .setWebIdentityToken(token).build();
    }

    static String session() {
        return "pod-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static StsEvent denial(String session) {
        return SessionEventLog.matching(e -> e.hasAssumeRoleDenied() && e.getAssumeRoleDenied().getRoleSessionName().equals(session))
                .get(0);
    }

    @Test
    void serviceAccountTokenGetsCredentialsUnderAnIrsaTrustPolicy() throws Exception {
        String token = rs256(rsa, claims(SA)
                .claim("https://aws.amazon.com/source_identity", "payments-api")
                .claim("https://aws.amazon.com/tags", Map.of("principal_tags", Map.of("team", List.of("payments")),
                        "transitive_tag_keys", List.of("team")))
                .build());

        AssumeRoleWithWebIdentityResponse r = sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, "api-7d9f", token));

        assertThat(r.getSubjectFromWebIdentityToken()).isEqualTo(SA);
        assertThat(r.getProvider()).isEqualTo(issuer);
        assertThat(r.getAudience()).isEqualTo("sts");
        assertThat(r.getSourceIdentity()).isEqualTo("payments-api");
        assertThat(r.getAssumedRoleUser().getArn()).isEqualTo("arn:aws:sts::000000000000:assumed-role/IrsaRole/api-7d9f");
        assertThat(r.getAssumedRoleUser().getAssumedRoleId()).isEqualTo("AROAIRSAROLEEXAMPLE0:api-7d9f");
        assertThat(r.getCredentials().getExpiration().getSeconds() - Instant.now().getEpochSecond()).isBetween(3500L, 3600L);
        JWTClaimsSet session = SignedJWT.parse(r.getCredentials().getSessionToken()).getJWTClaimsSet();
        assertThat(session.getLongClaim("chain_depth")).isEqualTo(1);
        assertThat(session.getStringClaim("issuer_principal")).isEqualTo(WebIdentityRoles.PROVIDER_ARN);
        assertThat(session.getJSONObjectClaim("session_tags")).containsEntry("team", "payments");
        assertThat(session.getStringListClaim("transitive_tag_keys")).containsExactly("team");

        ConsumerRecord<String, byte[]> record = SessionEventLog.all().stream()
                .filter(x -> SessionEventLog.parse(x.value()).getSessionIssued().getAccessKeyId()
                        .equals(r.getCredentials().getAccessKeyId()))
                .findFirst().orElseThrow();
        var issued = SessionEventLog.parse(record.value()).getSessionIssued();
        assertThat(record.key()).isEqualTo(WebIdentityRoles.IRSA);
        assertThat(issued.getEventName()).isEqualTo("AssumeRoleWithWebIdentity");
        assertThat(issued.getHeader().getActor().getType()).isEqualTo("WebIdentityUser");
        assertThat(issued.getHeader().getActor().getPrincipalId()).isEqualTo(WebIdentityRoles.PROVIDER + ":sts:" + SA);
        assertThat(issued.getWebIdentityProviderArn()).isEqualTo(WebIdentityRoles.PROVIDER_ARN);
        assertThat(issued.getSubjectFromWebIdentityToken()).isEqualTo(SA);
        assertThat(issued.getChainDepth()).isEqualTo(1);
        assertThat(issued.getDecidingStatements(0).getStatementId()).isEqualTo("IrsaPayments");
        String raw = new String(record.value(), StandardCharsets.ISO_8859_1);
        String signature = token.substring(token.lastIndexOf('.') + 1);
        assertThat(raw).doesNotContain(token).doesNotContain(signature).doesNotContain(token.substring(0, token.indexOf('.')))
                .doesNotContain(r.getCredentials().getSecretAccessKey());

        // The session authenticates its holder like any other.
        var me = sts.withCallCredentials(new BearerCredentials(r.getCredentials().getSessionToken()))
                .getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance());
        assertThat(me.getArn()).isEqualTo(r.getAssumedRoleUser().getArn());
    }

    /** The same call through the STS Query API with the AWS SDK: unsigned, as on AWS; the secret signs. */
    @Test
    void theStsQueryApiServesTheSameCall() throws Exception {
        var anonymous = software.amazon.awssdk.services.sts.StsClient.builder()
                .endpointOverride(java.net.URI.create("http://127.0.0.1:" + TestChannels.port()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create()).build();
        var r = anonymous.assumeRoleWithWebIdentity(b -> b.roleArn(WebIdentityRoles.IRSA).roleSessionName("query-api")
                .webIdentityToken(rs256(rsa, claims(SA).build())).durationSeconds(900));
        assertThat(r.subjectFromWebIdentityToken()).isEqualTo(SA);
        assertThat(r.provider()).isEqualTo(issuer);
        assertThat(r.audience()).isEqualTo("sts");
        assertThat(r.assumedRoleUser().arn()).endsWith(":assumed-role/IrsaRole/query-api");
        var session = software.amazon.awssdk.services.sts.StsClient.builder()
                .endpointOverride(java.net.URI.create("http://127.0.0.1:" + TestChannels.port()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(r.credentials().accessKeyId(),
                                r.credentials().secretAccessKey(), r.credentials().sessionToken()))).build();
        assertThat(session.getCallerIdentity().arn()).isEqualTo(r.assumedRoleUser().arn());

        var refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                software.amazon.awssdk.services.sts.model.StsException.class,
                () -> anonymous.assumeRoleWithWebIdentity(b -> b.roleArn(WebIdentityRoles.IRSA).roleSessionName("query-api")
                        .webIdentityToken("not.a.token")));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("InvalidIdentityToken");
        anonymous.close();
        session.close();
    }

    @Test
    void es256TokensAndTheAmrConditionWork() throws Exception {
        var ok = sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), es256(ec, claims(SA).build())));
        assertThat(ok.getSubjectFromWebIdentityToken()).isEqualTo(SA);

        // amr is multi-valued: ForAnyValue:StringEquals finds "mfa" among the methods.
        assertThat(sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.MFA, session(),
                es256(ec, claims("user-1234").claim("amr", List.of("pwd", "mfa")).build()))).getAudience()).isEqualTo("sts");
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.MFA, session(),
                sign(rsa, claims("user-1234").claim("amr", List.of("pwd")).build()))), Status.Code.PERMISSION_DENIED, "AccessDenied");
    }

    @Test
    void trustRefusalsAreUniformAndAudited() throws Exception {
        String wrongSub = session();
        StatusRuntimeException refused = expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, wrongSub,
                sign(rsa, claims("system:serviceaccount:payments:intruder").build()))), Status.Code.PERMISSION_DENIED, "AccessDenied");
        String missingRole = session();
        StatusRuntimeException missing = expect(() -> sts.assumeRoleWithWebIdentity(request(
                "arn:aws:iam::000000000000:role/Nope", missingRole, sign(rsa, claims(SA).build()))),
                Status.Code.PERMISSION_DENIED, "AccessDenied");
        assertThat(missing.getStatus().getDescription()).isEqualTo(refused.getStatus().getDescription())
                .isEqualTo("Not authorized to perform sts:AssumeRoleWithWebIdentity");

        var denied = denial(wrongSub).getAssumeRoleDenied();
        assertThat(denied.getEventName()).isEqualTo("AssumeRoleWithWebIdentity");
        assertThat(denied.getReason()).startsWith("trust policy: ImplicitDeny");
        assertThat(denied.getSubjectFromWebIdentityToken()).isEqualTo("system:serviceaccount:payments:intruder");
        assertThat(denied.getHeader().getActor().getType()).isEqualTo("WebIdentityUser");
        assertThat(denial(missingRole).getAssumeRoleDenied().getReason()).startsWith("role does not exist");
    }

    @Test
    void tokenProblemsGetStsCodes() throws Exception {
        Instant now = Instant.now();
        // Another audience than the provider's client ids.
        String wrongAud = session();
        StatusRuntimeException aud = expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, wrongAud,
                sign(rsa, claims(SA).audience("vault").build()))), Status.Code.UNAUTHENTICATED, "InvalidIdentityToken");
        assertThat(aud.getStatus().getDescription()).isEqualTo("Incorrect token audience");
        assertThat(denial(wrongAud).getAssumeRoleDenied().getErrorCode()).isEqualTo("InvalidIdentityToken");
        assertThat(denial(wrongAud).getAssumeRoleDenied().getWebIdentityProviderArn()).isEqualTo(WebIdentityRoles.PROVIDER_ARN);
        // Expired beyond the five minutes of leeway.
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), sign(rsa, claims(SA)
                .issueTime(Date.from(now.minusSeconds(4000))).notBeforeTime(Date.from(now.minusSeconds(4000)))
                .expirationTime(Date.from(now.minusSeconds(400))).build()))), Status.Code.UNAUTHENTICATED, "ExpiredToken");
        // Expired, but within the leeway: accepted, as IAM does.
        assertThat(sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), sign(rsa, claims(SA)
                .expirationTime(Date.from(now.minusSeconds(60))).build()))).getSubjectFromWebIdentityToken()).isEqualTo(SA);
        // Not valid yet; issued in the future; no sub; no exp.
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), sign(rsa, claims(SA)
                .notBeforeTime(Date.from(now.plusSeconds(3000))).build()))), Status.Code.UNAUTHENTICATED, "InvalidIdentityToken");
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), sign(rsa, claims(SA)
                .issueTime(Date.from(now.plusSeconds(3000))).build()))), Status.Code.UNAUTHENTICATED, "InvalidIdentityToken");
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), sign(rsa, claims(null).build()))),
                Status.Code.UNAUTHENTICATED, "InvalidIdentityToken");
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), sign(rsa, claims(SA)
                .expirationTime(null).build()))), Status.Code.UNAUTHENTICATED, "InvalidIdentityToken");
        // An issuer no provider of the role's account is registered for.
        StatusRuntimeException unknown = expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(),
                sign(rsa, claims(SA).issuer("https://accounts.example.com").build()))), Status.Code.UNAUTHENTICATED,
                "InvalidIdentityToken");
        assertThat(unknown.getStatus().getDescription()).isEqualTo(
                "No OpenIDConnect provider found in your account for https://accounts.example.com");
        // A source identity claim that breaks SourceIdentity's rules: the IdP's claim is refused.
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), sign(rsa, claims(SA)
                .claim("https://aws.amazon.com/source_identity", "aws:admin").build()))), Status.Code.UNAUTHENTICATED,
                "IDPRejectedClaim");
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), sign(rsa, claims(SA)
                .claim("https://aws.amazon.com/tags", Map.of("principal_tags", Map.of("team", "not-a-list"))).build()))),
                Status.Code.UNAUTHENTICATED, "IDPRejectedClaim");
    }

    @Test
    void forgedTokensAreInvalid() throws Exception {
        JWTClaimsSet good = claims(SA).build();
        // alg none, in two spellings.
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), new PlainJWT(good).serialize())),
                Status.Code.UNAUTHENTICATED, "InvalidIdentityToken");
        String noneHeader = Base64URL.encode("{\"alg\":\"None\",\"kid\":\"rsa-1\"}").toString();
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(),
                noneHeader + "." + Base64URL.encode(good.toString()) + ".")), Status.Code.UNAUTHENTICATED, "InvalidIdentityToken");
        // HS256 with the issuer's public key as the HMAC secret.
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), good);
        hmac.sign(new MACSigner(rsa.toRSAPublicKey().getEncoded()));
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), hmac.serialize())),
                Status.Code.UNAUTHENTICATED, "InvalidIdentityToken");
        // A tampered payload under a genuine signature.
        String genuine = sign(rsa, good);
        String[] parts = genuine.split("\\.");
        String tampered = parts[0] + "." + Base64URL.encode(claims("system:serviceaccount:kube-system:admin").build().toString())
                + "." + parts[2];
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), tampered)),
                Status.Code.UNAUTHENTICATED, "InvalidIdentityToken");
        // A key id the issuer does not publish, even after the set is fetched again.
        RSAKey rogue = new RSAKeyGenerator(2048).keyID("rogue").generate();
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), sign(rogue, good))),
                Status.Code.UNAUTHENTICATED, "InvalidIdentityToken");
        // A key embedded in the header (jwk) is never used: keys come only from the issuer's set.
        SignedJWT embedded = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rogue").jwk(rogue.toPublicJWK())
                .type(JOSEObjectType.JWT).build(), good);
        embedded.sign(new RSASSASigner(rogue));
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), embedded.serialize())),
                Status.Code.UNAUTHENTICATED, "InvalidIdentityToken");
    }

    @Test
    void keyRolloverAtTheIssuerIsFollowedAndRandomKeyIdsCannotFloodIt() throws Exception {
        // The set is cached by the first call.
        sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), sign(rsa, claims(SA).build())));
        RSAKey rogue = new RSAKeyGenerator(2048).generate();
        int before = keyFetches();
        long start = System.nanoTime();
        for (int i = 0; i < 25; i++) {
            RSAKey random = new RSAKey.Builder(rogue).keyID(UUID.randomUUID().toString()).build();
            expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), sign(random, claims(SA).build()))),
                    Status.Code.UNAUTHENTICATED, "InvalidIdentityToken");
        }
        long elapsedSeconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        // At most one fetch per two seconds (sts.token.oidc.jwks-min-refetch), however many unknown key ids arrive.
        assertThat(keyFetches() - before).isLessThanOrEqualTo(1 + (int) (elapsedSeconds / 2));

        // The issuer rolls its key: the old one is gone, a new one signs. The first token of the new key
        // is accepted once the rate limit lets the set be fetched again.
        RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        publish(next, ec);
        int beforeRollover = keyFetches();
        String rolled = sign(next, claims(SA).build());
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try {
                return sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), rolled))
                        .getSubjectFromWebIdentityToken().equals(SA);
            } catch (StatusRuntimeException e) {
                assertThat(GrpcErrors.reason(e)).isEqualTo("InvalidIdentityToken");
                return false;
            }
        });
        assertThat(keyFetches()).isGreaterThan(beforeRollover);
        // The retired key no longer verifies anything once the set is refreshed.
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), sign(rsa, claims(SA).build()))),
                Status.Code.UNAUTHENTICATED, "InvalidIdentityToken");
        rsa = next;
    }

    @Test
    void staticJwksProviderNeedsNoReachableIssuer() throws Exception {
        ECKey key = ECKey.parse(Files.readString(Path.of(ConfigProvider.getConfig()
                .getValue("test.oidc.static-private-key", String.class))));
        JWTClaimsSet claims = claims("system:serviceaccount:ci:builder").issuer(OidcIssuerResource.STATIC_ISSUER)
                .audience(List.of("other-client", "sts")).build();
        var r = sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.STATIC, session(), es256(key, claims)).toBuilder()
                .setDurationSeconds(7200).build());
        assertThat(r.getProvider()).isEqualTo(OidcIssuerResource.STATIC_ISSUER);
        assertThat(r.getAudience()).isEqualTo("other-client");
        assertThat(r.getCredentials().getExpiration().getSeconds() - Instant.now().getEpochSecond()).isBetween(7100L, 7200L);
    }

    @Test
    void anUnreachableIssuerIsACommunicationError() throws Exception {
        String down = ConfigProvider.getConfig().getValue("sts.token.oidc.providers.down.issuer", String.class);
        String role = session();
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.DOWN, role, sign(rsa, claims(SA).issuer(down).build()))),
                Status.Code.UNAVAILABLE, "IDPCommunicationError");
        assertThat(denial(role).getAssumeRoleDenied().getErrorCode()).isEqualTo("IDPCommunicationError");
    }

    @Test
    void requestBoundsComeFirst() throws Exception {
        String token = sign(rsa, claims(SA).build());
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), "abc")),
                Status.Code.INVALID_ARGUMENT, "ValidationError");
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), "a".repeat(20_001))),
                Status.Code.INVALID_ARGUMENT, "ValidationError");
        // 20,000 characters is within bounds: then it is the token that is wrong.
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), "a".repeat(20_000))),
                Status.Code.UNAUTHENTICATED, "InvalidIdentityToken");
        StatusRuntimeException name = expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, "x", token)),
                Status.Code.INVALID_ARGUMENT, "ValidationError");
        assertThat(name.getStatus().getDescription()).contains("role_session_name");
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), token).toBuilder()
                .setDurationSeconds(7200).build()), Status.Code.INVALID_ARGUMENT, "ValidationError");
        expect(() -> sts.assumeRoleWithWebIdentity(request(WebIdentityRoles.IRSA, session(), token).toBuilder()
                .setPolicy("{\"Statement\":[{\"Effect\":\"Maybe\"}]}").build()), Status.Code.INVALID_ARGUMENT, "MalformedPolicyDocument");
    }

    static String sign(JWK key, JWTClaimsSet claims) {
        return rs256(key, claims);
    }
}
