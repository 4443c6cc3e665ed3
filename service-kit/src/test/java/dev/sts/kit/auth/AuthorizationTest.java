package dev.sts.kit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.iam.InMemoryPermissionView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who holds administrator rights and what the system's own services may do. */
class AuthorizationTest {
    static final String ROOT = "arn:aws:iam::000000000000:root";
    static final String INTERNAL = "token-service.sts.internal";
    /** A session ARN: its last segment is the session name, which the caller of AssumeRole chooses. */
    static final String SESSION_ARN = "arn:aws:sts::000000000000:assumed-role/Operators/admin";
    static final String ROLE = "arn:aws:iam::000000000000:role/apps/S3AccessRole";

    Authenticator authenticator;
    Authorizer authorizer;

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("static-credentials");
        Files.writeString(file, StaticCredentials.sha256Hex("admin-token") + " " + ROOT + "\n"
                + StaticCredentials.sha256Hex("internal-token") + " " + INTERNAL + "\n");
        // An operator who lists a session ARN as a bootstrap principal must not hand administrator
        // rights to whoever names a session "admin" when assuming the Operators role.
        TestStsConfig config = TestStsConfig.of(TestStsConfig.TestAuth.principals(file.toString(),
                List.of(ROOT, SESSION_ARN), List.of(INTERNAL)));
        SessionTokenVerifier sessions = token -> session(SESSION_ARN);
        authenticator = new Authenticator(config, sessions, new NoSessionRevocations());
        // No role in the view: sessions are refused (their authorization is SessionAuthorizationTest's).
        authorizer = new Authorizer(config, new InMemoryPermissionView(), InstantSource.system());
    }

    static SessionClaims session(String arn) {
        Instant now = Instant.now();
        return new SessionClaims("https://sts.test", "sts", "jti", arn, "arn:aws:iam::000000000000:role/Operators",
                "AROAEXAMPLE", "admin", "000000000000", null, Map.of(), List.of(), "ASIAEXAMPLEEXAMPLE00", now,
                now.plusSeconds(900), 1, ROOT, null);
    }

    static ErrorCode refusal(Runnable call) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).isInstanceOf(StsException.class);
        return ((StsException) thrown).code();
    }

    @Test
    void aSessionNeverHoldsBootstrapRightsEvenWhenItsArnIsListed() {
        CallerIdentity caller = authenticator.authenticate("header.payload.signature");

        assertThat(caller.isSession()).isTrue();
        assertThat(caller.bootstrap()).isFalse();
        assertThat(refusal(() -> authorizer.require(caller, "iam:CreateRole", ROLE))).isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    @Test
    void aStaticBootstrapPrincipalIsTheAdministrator() {
        CallerIdentity caller = authenticator.authenticate("admin-token");

        assertThat(caller.bootstrap()).isTrue();
        assertThatCode(() -> authorizer.require(caller, "iam:CreateRole", ROLE)).doesNotThrowAnyException();
        assertThatCode(() -> authorizer.require(caller, "audit:LookupEvents", "*")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({
        "iam:GetRole, arn:aws:iam::000000000000:role/apps/S3AccessRole",
        "iam:GetRolePolicy, arn:aws:iam::000000000000:role/S3AccessRole",
        "iam:ListRoleTags, arn:aws:iam::000000000000:role/S3AccessRole",
        "iam:ListRoles, arn:aws:iam::000000000000:role/*",
        "IAM:getRole, arn:aws:iam::000000000000:role/S3AccessRole",
    })
    void anInternalPrincipalMayReadRoles(String action, String resource) {
        CallerIdentity caller = authenticator.authenticate("internal-token");
        assertThat(caller.bootstrap()).isFalse();
        assertThatCode(() -> authorizer.require(caller, action, resource)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({
        "iam:CreateRole, arn:aws:iam::000000000000:role/S3AccessRole",
        "iam:DeleteRole, arn:aws:iam::000000000000:role/S3AccessRole",
        "iam:GetRole, *",
        "iam:GetPolicy, arn:aws:iam::000000000000:policy/Admin",
        "iam:GetRole, arn:aws:iam::111122223333:role/S3AccessRole",
        "iam:GetRole, arn:aws:sts::000000000000:assumed-role/S3AccessRole/s1",
        "audit:GetEvent, *",
        "audit:LookupEvents, *",
        "sts:GetCallerIdentity, *",
        "token:GetRole, arn:aws:iam::000000000000:role/S3AccessRole",
    })
    void anInternalPrincipalMayDoNothingElse(String action, String resource) {
        CallerIdentity caller = authenticator.authenticate("internal-token");
        assertThat(refusal(() -> authorizer.require(caller, action, resource))).isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    @Test
    void anUnknownStaticCredentialIsRefused() {
        assertThat(refusal(() -> authenticator.authenticate("guess"))).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }
}
