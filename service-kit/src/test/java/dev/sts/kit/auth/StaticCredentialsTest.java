package dev.sts.kit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StaticCredentialsTest {

    @Test
    void findsThePrincipalByTheTokensHashOnly() {
        String token = "sts-dev-abc";
        StaticCredentials creds = StaticCredentials.parse(List.of(
                "# comment", "", StaticCredentials.sha256Hex(token) + " arn:aws:iam::000000000000:root"), "test");

        assertThat(creds.principalFor(token)).contains("arn:aws:iam::000000000000:root");
        assertThat(creds.principalFor("sts-dev-abd")).isEmpty();
        assertThat(creds.principalFor(StaticCredentials.sha256Hex(token))).isEmpty();
    }

    @Test
    void rejectsALineThatIsNotAHashAndAPrincipal() {
        assertThatThrownBy(() -> StaticCredentials.parse(List.of("sts-dev-raw-token arn:aws:iam::1:root"), "creds"))
                .hasMessage("creds:1: expected '<hex sha-256 of token> <principal>'");
    }

    @Test
    void principalKinds() {
        assertThat(CallerIdentity.ofPrincipal("arn:aws:iam::111122223333:root", "0", true).type()).isEqualTo("Root");
        assertThat(CallerIdentity.ofPrincipal("arn:aws:iam::111122223333:root", "0", true).accountId()).isEqualTo("111122223333");
        assertThat(CallerIdentity.ofPrincipal("arn:aws:iam::111122223333:user/a", "0", false).type()).isEqualTo("IAMUser");
        CallerIdentity svc = CallerIdentity.ofPrincipal("ec2.amazonaws.com", "000000000000", false);
        assertThat(svc.type()).isEqualTo("AWSService");
        assertThat(svc.accountId()).isEqualTo("000000000000");
    }
}
