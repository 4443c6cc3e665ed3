package dev.sts.kit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The authenticator asks the revocation check about every verified session, and its refusal stands. */
class AuthenticatorRevocationTest {
    static final String ARN = "arn:aws:sts::000000000000:assumed-role/Operators/admin";

    @Test
    void everyUseOfASessionTokenIsCheckedAfterVerification() {
        List<SessionClaims> checked = new ArrayList<>();
        TestStsConfig config = TestStsConfig.of(TestStsConfig.TestAuth.principals(null, List.of(), List.of()));
        Authenticator authenticator = new Authenticator(config, token -> AuthorizationTest.session(ARN), checked::add);

        authenticator.authenticate("a.b.c");
        authenticator.authenticate("a.b.c");
        assertThat(checked).hasSize(2).allMatch(s -> s.assumedRoleArn().equals(ARN));

        Authenticator refusing = new Authenticator(config, token -> AuthorizationTest.session(ARN), s -> {
            throw new StsException(ErrorCode.INVALID_CLIENT_TOKEN_ID, "the security token included in the request is invalid");
        });
        StsException e = catchThrowableOfType(StsException.class, () -> refusing.authenticate("a.b.c"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }
}
