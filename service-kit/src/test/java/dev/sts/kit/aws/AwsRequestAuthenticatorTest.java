package dev.sts.kit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.testing.AwsTestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Session and long-term credentials through the request authenticator, and every refusal it names. */
class AwsRequestAuthenticatorTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final String BODY = "Action=GetCallerIdentity&Version=2011-06-15";
    private static final String ASIA = "ASIAQWERTYUIOPASDFGH";
    private static final String TOKEN = "header.claims.signature";

    private final SessionClaims session = new SessionClaims("https://sts.test", "sts", "session-1",
            "arn:aws:sts::000000000000:assumed-role/Reader/alice", "arn:aws:iam::000000000000:role/Reader",
            "AROAEXAMPLE", "alice", "000000000000", null, Map.of(), List.of(), ASIA, NOW.minusSeconds(60),
            NOW.plusSeconds(900), 1, AwsTestKeys.ADMIN_PRINCIPAL, null, null, List.of(), "test-2");

    private AwsRequestAuthenticator authenticator(Function<String, SessionClaims> sessions) {
        return new AwsRequestAuthenticator(AwsTestKeys.RING,
                AwsAccessKeys.parse(List.of(AwsTestKeys.ADMIN_ACCESS_KEY_ID + " test-2 " + AwsTestKeys.ADMIN_PRINCIPAL,
                        AwsTestKeys.USER_ACCESS_KEY_ID + " test-1 " + AwsTestKeys.USER_PRINCIPAL), "test"),
                sessions, Set.of(AwsTestKeys.ADMIN_PRINCIPAL), "000000000000", () -> NOW);
    }

    private final AwsRequestAuthenticator auth = authenticator(token -> {
        if (token.equals(TOKEN)) {
            return session;
        }
        throw new StsException(ErrorCode.INVALID_CLIENT_TOKEN_ID, "invalid");
    });

    private String sessionSecret() {
        return AwsTestKeys.RING.sessionSecret("test-2", ASIA, "session-1").orElseThrow();
    }

    @Test
    void derivedSecretsLookLikeAwsSecretsAndDifferPerInput() {
        String secret = sessionSecret();
        assertThat(secret).hasSize(40).matches("[A-Za-z0-9+/]{40}");
        assertThat(AwsTestKeys.RING.sessionSecret("test-1", ASIA, "session-1")).get().isNotEqualTo(secret);
        assertThat(AwsTestKeys.RING.sessionSecret("test-2", ASIA, "session-2")).get().isNotEqualTo(secret);
        assertThat(AwsTestKeys.RING.accessKeySecret("test-2", ASIA)).get().isNotEqualTo(secret);
        assertThat(AwsTestKeys.RING.sessionSecret("absent", ASIA, "session-1")).isEmpty();
        assertThat(AwsTestKeys.RING.currentKeyId()).contains("test-2");
    }

    @Test
    void aSessionSignsWithItsDerivedSecret() {
        CallerIdentity caller = auth.authenticate(
                TestSigner.sign(BODY, ASIA, sessionSecret(), TOKEN, "sts", NOW), "sts");
        assertThat(caller.type()).isEqualTo("AssumedRole");
        assertThat(caller.arn()).isEqualTo(session.assumedRoleArn());
        assertThat(caller.session()).isEqualTo(session);
        assertThat(caller.bootstrap()).isFalse();
    }

    @Test
    void aLongTermKeySignsAsItsPrincipal() {
        CallerIdentity admin = auth.authenticate(TestSigner.sign(BODY, AwsTestKeys.ADMIN_ACCESS_KEY_ID,
                AwsTestKeys.adminSecret(), null, "iam", NOW), "iam");
        assertThat(admin.arn()).isEqualTo(AwsTestKeys.ADMIN_PRINCIPAL);
        assertThat(admin.type()).isEqualTo("Root");
        assertThat(admin.bootstrap()).isTrue();
        assertThat(admin.accessKeyId()).isEqualTo(AwsTestKeys.ADMIN_ACCESS_KEY_ID);

        CallerIdentity user = auth.authenticate(TestSigner.sign(BODY, AwsTestKeys.USER_ACCESS_KEY_ID,
                AwsTestKeys.userSecret(), null, "iam", NOW), "iam");
        assertThat(user.type()).isEqualTo("IAMUser");
        assertThat(user.bootstrap()).isFalse();
    }

    @Test
    void refusals() {
        AwsHttpRequest good = TestSigner.sign(BODY, ASIA, sessionSecret(), TOKEN, "sts", NOW);
        assertThat(refusal(TestSigner.withHeader(good, "Authorization", null), "sts"))
                .isEqualTo(ErrorCode.MISSING_AUTHENTICATION_TOKEN);
        assertThat(refusal(TestSigner.sign(BODY, ASIA, "x" + sessionSecret().substring(1), TOKEN, "sts", NOW), "sts"))
                .as("wrong secret").isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertThat(refusal(TestSigner.withBody(good, BODY + "&RoleArn=x"), "sts"))
                .as("altered body").isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertThat(refusal(TestSigner.withHeader(good, "Host", "elsewhere:8082"), "sts"))
                .as("altered signed header").isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertThat(refusal(TestSigner.withHeader(good, "X-Amz-Content-Sha256",
                SigV4Verifier.sha256Hex(new byte[0])), "sts"))
                .as("declared body hash of another body").isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertThat(refusal(good, "iam")).as("wrong service").isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertThat(refusal(TestSigner.sign(BODY, ASIA, sessionSecret(), TOKEN, "sts",
                NOW.minus(Duration.ofMinutes(16))), "sts")).as("expired date").isEqualTo(ErrorCode.REQUEST_EXPIRED);
        assertThat(refusal(TestSigner.sign(BODY, ASIA, sessionSecret(), TOKEN, "sts",
                NOW.plus(Duration.ofMinutes(16))), "sts")).as("future date").isEqualTo(ErrorCode.REQUEST_EXPIRED);
        assertThat(refusal(TestSigner.sign(BODY, ASIA, sessionSecret(), null, "sts", NOW), "sts"))
                .as("session key without its token").isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
        assertThat(refusal(TestSigner.sign(BODY, ASIA, sessionSecret(), "other.token.here", "sts", NOW), "sts"))
                .as("a token the session verifier refuses").isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
        assertThat(refusal(TestSigner.sign(BODY, "ASIAZZZZZZZZZZZZZZZZ", sessionSecret(), TOKEN, "sts", NOW), "sts"))
                .as("token of another access key").isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
        assertThat(refusal(TestSigner.sign(BODY, "AKIAZZZZZZZZZZZZZZZZ", AwsTestKeys.adminSecret(), null, "sts", NOW),
                "sts")).as("unknown long-term key").isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
        assertThat(refusal(TestSigner.sign(BODY, AwsTestKeys.ADMIN_ACCESS_KEY_ID, AwsTestKeys.adminSecret(), TOKEN,
                "sts", NOW), "sts")).as("long-term key with a token").isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
        assertThat(refusal(TestSigner.sign(BODY, AwsTestKeys.USER_ACCESS_KEY_ID, AwsTestKeys.adminSecret(), null,
                "sts", NOW), "sts")).as("another key's secret").isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertThat(refusal(TestSigner.withHeader(good, "Authorization",
                "AWS4-HMAC-SHA256 Credential=" + ASIA + "/20261130/us-east-1/sts/aws4_request, Signature=00"), "sts"))
                .isEqualTo(ErrorCode.INCOMPLETE_SIGNATURE);
        assertThat(refusal(TestSigner.withHeader(good, "X-Amz-Date", null), "sts"))
                .isEqualTo(ErrorCode.INCOMPLETE_SIGNATURE);
    }

    @Test
    void presignedRequestsOfSessionsAndLongTermKeys() {
        String query = "Action=GetCallerIdentity&Version=2011-06-15";
        CallerIdentity caller = auth.authenticate(TestSigner.presign(query, ASIA, sessionSecret(), TOKEN, "sts", NOW,
                60), "sts");
        assertThat(caller.arn()).isEqualTo(session.assumedRoleArn());
        CallerIdentity admin = auth.authenticate(TestSigner.presign(query, AwsTestKeys.ADMIN_ACCESS_KEY_ID,
                AwsTestKeys.adminSecret(), null, "sts", NOW, 900), "sts");
        assertThat(admin.arn()).isEqualTo(AwsTestKeys.ADMIN_PRINCIPAL);

        assertThat(refusal(TestSigner.presign(query, ASIA, sessionSecret(), "other.token.here", "sts", NOW, 60),
                "sts")).as("a token the session verifier refuses (revoked, expired)")
                .isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
        assertThat(refusal(TestSigner.presign(query, ASIA, sessionSecret(), null, "sts", NOW, 60), "sts"))
                .as("session key without its token").isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
        assertThat(refusal(TestSigner.presign(query, ASIA, sessionSecret(), TOKEN, "sts", NOW.minusSeconds(61), 60),
                "sts")).as("expired").isEqualTo(ErrorCode.REQUEST_EXPIRED);
        AwsHttpRequest good = TestSigner.presign(query, ASIA, sessionSecret(), TOKEN, "sts", NOW, 60);
        AwsHttpRequest tampered = new AwsHttpRequest("GET", "/", good.rawQuery().replace("GetCallerIdentity",
                "AssumeRole"), good.headers(), good.body(), "r", "127.0.0.1", null);
        assertThat(refusal(tampered, "sts")).as("tampered").isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertThat(refusal(good, "iam")).as("another service").isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void theSecretOfAnotherSessionDoesNotSign() {
        String otherSessionSecret = AwsTestKeys.RING.sessionSecret("test-2", ASIA, "session-2").orElseThrow();
        assertThat(refusal(TestSigner.sign(BODY, ASIA, otherSessionSecret, TOKEN, "sts", NOW), "sts"))
                .isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void aSessionWhoseRingKeyIsUnknownIsRefused() {
        AwsRequestAuthenticator noKey = authenticator(t -> session.withSecretKeyId("retired"));
        assertThat(refusal(noKey, TestSigner.sign(BODY, ASIA, sessionSecret(), TOKEN, "sts", NOW), "sts"))
                .isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
        AwsRequestAuthenticator none = authenticator(t -> session.withSecretKeyId(null));
        assertThat(refusal(none, TestSigner.sign(BODY, ASIA, sessionSecret(), TOKEN, "sts", NOW), "sts"))
                .isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }

    @Test
    void anAccessKeyOfAnAbsentRingKeyStopsStartUp() {
        Throwable thrown = catchThrowable(() -> new AwsRequestAuthenticator(AwsTestKeys.RING,
                AwsAccessKeys.parse(List.of(AwsTestKeys.ADMIN_ACCESS_KEY_ID + " gone " + AwsTestKeys.ADMIN_PRINCIPAL),
                        "test"), t -> session, Set.of(), "000000000000", () -> NOW));
        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("gone");
    }

    private ErrorCode refusal(AwsHttpRequest request, String service) {
        return refusal(auth, request, service);
    }

    private static ErrorCode refusal(AwsRequestAuthenticator a, AwsHttpRequest request, String service) {
        Throwable thrown = catchThrowable(() -> a.authenticate(request, service));
        assertThat(thrown).isInstanceOf(StsException.class);
        return ((StsException) thrown).code();
    }
}
