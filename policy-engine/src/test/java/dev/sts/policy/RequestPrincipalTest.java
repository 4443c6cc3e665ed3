package dev.sts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.policy.RequestPrincipal.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestPrincipalTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "arn:aws:iam::111122223333:user/alice, USER, 111122223333, alice",
        "arn:aws:iam::111122223333:user/div/team/alice, USER, 111122223333, alice",
        "arn:aws:iam::111122223333:root, ROOT, 111122223333, ",
        "111122223333, ROOT, 111122223333, ",
        "arn:aws:iam::111122223333:role/path/Dev, ROLE, 111122223333, Dev",
        "arn:aws:sts::111122223333:assumed-role/Dev/sess, ASSUMED_ROLE, 111122223333, Dev",
        "arn:aws:sts::111122223333:federated-user/carol, FEDERATED_USER, 111122223333, carol",
        "arn:aws:iam::111122223333:saml-provider/Corp, FEDERATED_PROVIDER, 111122223333, ",
        "accounts.google.com, FEDERATED_PROVIDER, , ",
        "cognito-identity.amazonaws.com, FEDERATED_PROVIDER, , ",
        "ec2.amazonaws.com, SERVICE, , ",
        "anonymous, ANONYMOUS, , ",
        "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be, CANONICAL_USER, , ",
        "arn:aws:s3:::bucket, UNKNOWN, , ",
        "whoever, UNKNOWN, , ",
        // an account ID is twelve digits; twelve other characters are not an account
        "ABCDEFGHIJKL, UNKNOWN, , ",
        "11112222333a, UNKNOWN, , ",
        // a canonical user ID is 64 hexadecimal digits
        "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2bz, UNKNOWN, , ",
        // an ARN needs all six fields
        "arn:aws:iam::111122223333, UNKNOWN, , ",
    })
    void kinds(String raw, Kind kind, String account, String name) {
        RequestPrincipal p = RequestPrincipal.parse(raw, null);
        assertThat(p.kind()).isEqualTo(kind);
        assertThat(p.account()).isEqualTo(account);
        assertThat(p.name()).isEqualTo(name);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "arn:aws:sts::111122223333:assumed-role/Dev/s, arn:aws:iam::111122223333:role/team/Dev, arn:aws:iam::111122223333:role/team/Dev",
        "arn:aws:sts::111122223333:assumed-role/Dev/s, , arn:aws:iam::111122223333:role/Dev",
        "arn:aws:sts::111122223333:assumed-role/Dev/s, arn:aws:iam::111122223333:role/Other, arn:aws:iam::111122223333:role/Dev",
    })
    void roleArnOfASession(String raw, String principalArn, String roleArn) {
        assertThat(RequestPrincipal.parse(raw, principalArn).roleArn()).isEqualTo(roleArn);
    }

    @org.junit.jupiter.api.Test
    void aMissingPrincipalIsAnonymous() {
        RequestPrincipal p = RequestPrincipal.parse(null, null);
        assertThat(p.kind()).isEqualTo(Kind.ANONYMOUS);
        assertThat(p.raw()).isEqualTo("anonymous");
        assertThat(RequestPrincipal.parse("*", null).raw()).isEqualTo("*");
        assertThat(RequestPrincipal.parse("*", null).kind()).isEqualTo(Kind.ANONYMOUS);
    }
}
