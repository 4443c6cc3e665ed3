package dev.sts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.policy.PrincipalBlock.Match;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a resource or trust policy's {@code Principal} names a caller, and when a
 * {@code NotPrincipal} exempts one. The strength levels follow the evaluation-logic pages
 * (README "Evaluation" 3-5): a statement names the caller itself (DIRECT), its role or the IAM
 * user behind a federated session (LIMITED), only its account (ACCOUNT), or not at all (NONE).
 */
class PrincipalBlockTest {

    private static final String A = "111122223333";
    private static final String B = "444455556666";

    private static PrincipalBlock block(String element, String principal) {
        String effect = element.equals("NotPrincipal") ? "Deny" : "Allow";
        String json = "{\"Statement\":{\"Effect\":\"" + effect + "\",\"" + element + "\":" + principal
                + ",\"Action\":\"s3:*\",\"Resource\":\"*\"}}";
        return Policy.parse(json, PolicyType.RESOURCE).statements().get(0).principal();
    }

    private static RequestPrincipal caller(String raw, String principalArn) {
        return RequestPrincipal.parse(raw, principalArn == null || principalArn.isEmpty() ? null : principalArn);
    }

    @ParameterizedTest(name = "{0} names {1}: {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            "*"                                                              | arn:aws:iam::111122223333:user/alice                | -  | DIRECT
            "*"                                                              | anonymous                                           | -  | DIRECT
            "*"                                                              | ec2.amazonaws.com                                   | -  | DIRECT
            {"AWS":"*"}                                                      | arn:aws:iam::444455556666:user/bob                  | -  | DIRECT
            {"AWS":"*"}                                                      | anonymous                                           | -  | DIRECT
            {"AWS":"*"}                                                      | AIDAJQABLZS4A3QDU576Q                               | -  | DIRECT
            {"AWS":"*"}                                                      | ec2.amazonaws.com                                   | -  | NONE
            {"AWS":"*"}                                                      | accounts.google.com                                 | -  | NONE
            {"AWS":"*"}                                                      | 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be | - | NONE
            {"AWS":"111122223333"}                                           | anonymous                                           | -  | NONE
            {"AWS":"111122223333"}                                           | AIDAJQABLZS4A3QDU576Q                               | -  | NONE
            {"AWS":"AIDAJQABLZS4A3QDU576Q"}                                  | AIDAJQABLZS4A3QDU576Q                               | -  | DIRECT
            {"AWS":"AIDAJQABLZS4A3QDU576Q"}                                  | AROAJQABLZS4A3QDU576Q                               | -  | NONE
            {"Service":"*"}                                                  | lambda.amazonaws.com                                | -  | DIRECT
            {"Service":"*"}                                                  | arn:aws:iam::111122223333:user/alice                | -  | NONE
            {"Service":"EC2.amazonaws.com"}                                  | ec2.amazonaws.com                                   | -  | DIRECT
            {"Service":"ec2.amazonaws.com"}                                  | EC2.AmazonAWS.com                                   | -  | DIRECT
            {"Service":"ec2.amazonaws.com"}                                  | lambda.amazonaws.com                                | -  | NONE
            {"Service":"ec2.amazonaws.com"}                                  | anonymous                                           | -  | NONE
            {"Federated":"*"}                                                | accounts.google.com                                 | -  | DIRECT
            {"Federated":"*"}                                                | arn:aws:iam::111122223333:saml-provider/corp        | -  | DIRECT
            {"Federated":"*"}                                                | arn:aws:iam::111122223333:user/alice                | -  | NONE
            {"Federated":"accounts.google.com"}                              | accounts.google.com                                 | -  | DIRECT
            {"Federated":"accounts.google.com"}                              | Accounts.Google.com                                 | -  | DIRECT
            {"Federated":"Accounts.Google.com"}                              | Accounts.Google.com                                 | -  | DIRECT
            {"Federated":"accounts.google.com"}                              | graph.facebook.com                                  | -  | NONE
            {"Federated":"arn:aws:iam::111122223333:saml-provider/corp"}     | arn:aws:iam::111122223333:saml-provider/corp        | -  | DIRECT
            {"Federated":"arn:aws:iam::111122223333:saml-provider/corp"}     | arn:aws:iam::111122223333:saml-provider/other       | -  | NONE
            {"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"} | token.actions.githubusercontent.com | - | DIRECT
            {"Federated":"arn:aws:iam::111122223333:oidc-provider/Token.Example.com"} | token.example.com                          | -  | DIRECT
            {"Federated":"arn:aws:iam::111122223333:oidc-provider/token.example.com"} | arn:aws:iam::111122223333:oidc-provider/token.example.com | - | DIRECT
            {"Federated":"arn:aws:iam::111122223333:oidc-provider/token.example.com"} | other.example.com                          | -  | NONE
            {"Federated":"accounts.google.com"}                              | arn:aws:iam::111122223333:user/alice                | -  | NONE
            {"AWS":"arn:aws:iam::111122223333:saml-provider/corp"}           | arn:aws:iam::111122223333:saml-provider/corp        | -  | DIRECT
            {"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"} | 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be | - | DIRECT
            {"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"} | 89a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be | - | NONE
            {"AWS":"arn:aws:iam::111122223333:user/alice"}                   | arn:aws:iam::111122223333:user/alice                | -  | DIRECT
            {"AWS":"arn:aws:iam::111122223333:user/team/alice"}              | arn:aws:iam::111122223333:user/team/alice           | -  | DIRECT
            {"AWS":"arn:aws:iam::111122223333:user/alice"}                   | arn:aws:iam::111122223333:user/Alice                | -  | NONE
            {"AWS":"arn:aws:iam::111122223333:user/alice"}                   | arn:aws:iam::111122223333:user/bob                  | -  | NONE
            {"AWS":"111122223333"}                                           | arn:aws:iam::111122223333:user/alice                | -  | ACCOUNT
            {"AWS":"arn:aws:iam::111122223333:root"}                         | arn:aws:iam::111122223333:user/alice                | -  | ACCOUNT
            {"AWS":"arn:aws:iam::111122223333:root"}                         | arn:aws:iam::111122223333:root                      | -  | ACCOUNT
            {"AWS":"arn:aws:iam::444455556666:root"}                         | arn:aws:iam::111122223333:user/alice                | -  | NONE
            {"AWS":["444455556666","arn:aws:iam::111122223333:user/alice"]}  | arn:aws:iam::111122223333:user/alice                | -  | DIRECT
            {"AWS":"arn:aws:sts::111122223333:assumed-role/Dev/s1"}          | arn:aws:sts::111122223333:assumed-role/Dev/s1       | -  | DIRECT
            {"AWS":"arn:aws:sts::111122223333:assumed-role/Dev/s1"}          | arn:aws:sts::111122223333:assumed-role/Dev/s2       | -  | NONE
            {"AWS":"arn:aws:iam::111122223333:role/Dev"}                     | arn:aws:sts::111122223333:assumed-role/Dev/s1       | -  | LIMITED
            {"AWS":"arn:aws:iam::111122223333:role/Dev"}                     | arn:aws:iam::111122223333:role/Dev                  | -  | DIRECT
            {"AWS":"arn:aws:iam::111122223333:role/ops/Dev"}                 | arn:aws:sts::111122223333:assumed-role/Dev/s1       | arn:aws:iam::111122223333:role/ops/Dev | LIMITED
            {"AWS":"arn:aws:iam::111122223333:role/ops/Dev"}                 | arn:aws:sts::111122223333:assumed-role/Dev/s1       | -  | LIMITED
            {"AWS":"arn:aws:iam::111122223333:role/Dev"}                     | arn:aws:sts::111122223333:assumed-role/Ops/s1       | -  | NONE
            {"AWS":"arn:aws:iam::444455556666:role/Dev"}                     | arn:aws:sts::111122223333:assumed-role/Dev/s1       | -  | NONE
            {"AWS":["arn:aws:iam::444455556666:role/Dev","111122223333"]}    | arn:aws:sts::111122223333:assumed-role/Dev/s1       | -  | ACCOUNT
            {"AWS":"arn:aws:iam::111122223333:user/Dev"}                     | arn:aws:sts::111122223333:assumed-role/Dev/s1       | -  | NONE
            {"AWS":"arn:aws:iam::111122223333:role/Dev"}                     | arn:aws:sts::111122223333:federated-user/Dev        | -  | NONE
            {"AWS":"arn:aws:sts::111122223333:federated-user/alice"}         | arn:aws:sts::111122223333:federated-user/alice      | -  | DIRECT
            {"AWS":"arn:aws:iam::111122223333:user/alice"}                   | arn:aws:sts::111122223333:federated-user/alice      | -  | LIMITED
            {"AWS":"arn:aws:iam::111122223333:user/team/alice"}              | arn:aws:sts::111122223333:federated-user/alice      | -  | LIMITED
            {"AWS":"arn:aws:iam::444455556666:user/alice"}                   | arn:aws:sts::111122223333:federated-user/alice      | -  | NONE
            {"AWS":"arn:aws:iam::111122223333:user/bob"}                     | arn:aws:sts::111122223333:federated-user/alice      | -  | NONE
            {"AWS":"arn:aws:iam::111122223333:user/alice"}                   | arn:aws:sts::111122223333:assumed-role/alice/s      | -  | NONE
            {"AWS":"111122223333"}                                           | arn:aws:sts::111122223333:federated-user/alice      | -  | ACCOUNT
            """)
    void principalNamesTheCaller(String principal, String raw, String principalArn, Match expected) {
        assertThat(block("Principal", principal).match(caller(raw, principalArn))).isEqualTo(expected);
    }

    /**
     * NotPrincipal exemption. The NotPrincipal page: AWS "validates the account first, then the
     * user" (for a role session "the account first, then the role"), so an IAM identity escapes the
     * Deny only when its account and the user / role / federated-user session are both listed.
     */
    @ParameterizedTest(name = "NotPrincipal {0} exempts {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            "*"                                                                              | arn:aws:iam::111122223333:user/alice           | true
            {"AWS":"*"}                                                                      | arn:aws:iam::111122223333:user/alice           | true
            {"AWS":"*"}                                                                      | anonymous                                      | true
            {"AWS":"111122223333"}                                                           | anonymous                                      | false
            {"AWS":"*"}                                                                      | AIDAJQABLZS4A3QDU576Q                          | true
            {"AWS":"AIDAJQABLZS4A3QDU576Q"}                                                  | AIDAJQABLZS4A3QDU576Q                          | true
            {"AWS":"AIDAJQABLZS4A3QDU576Q"}                                                  | AIDAOTHERZS4A3QDU576Q                          | false
            {"AWS":"*"}                                                                      | ec2.amazonaws.com                              | false
            {"Service":"*"}                                                                  | ec2.amazonaws.com                              | true
            {"Service":"EC2.amazonaws.com"}                                                  | ec2.amazonaws.com                              | true
            {"Service":"ec2.amazonaws.com"}                                                  | lambda.amazonaws.com                           | false
            {"Federated":"*"}                                                                | accounts.google.com                            | true
            {"Federated":"accounts.google.com"}                                              | accounts.google.com                            | true
            {"Federated":"accounts.google.com"}                                              | graph.facebook.com                             | false
            {"AWS":"arn:aws:iam::111122223333:saml-provider/corp"}                           | arn:aws:iam::111122223333:saml-provider/corp   | true
            {"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"} | 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be | true
            {"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"} | 89a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be | false
            {"AWS":"111122223333"}                                                           | arn:aws:iam::111122223333:root                 | true
            {"AWS":"444455556666"}                                                           | arn:aws:iam::111122223333:root                 | false
            {"AWS":["111122223333","arn:aws:iam::111122223333:user/alice"]}                  | arn:aws:iam::111122223333:user/alice           | true
            {"AWS":"arn:aws:iam::111122223333:user/alice"}                                   | arn:aws:iam::111122223333:user/alice           | false
            {"AWS":"111122223333"}                                                           | arn:aws:iam::111122223333:user/alice           | false
            {"AWS":["111122223333","arn:aws:iam::111122223333:user/bob"]}                    | arn:aws:iam::111122223333:user/alice           | false
            {"AWS":["111122223333","arn:aws:sts::111122223333:federated-user/alice"]}        | arn:aws:sts::111122223333:federated-user/alice | true
            {"AWS":"arn:aws:sts::111122223333:federated-user/alice"}                         | arn:aws:sts::111122223333:federated-user/alice | false
            {"AWS":["111122223333","arn:aws:iam::111122223333:role/Dev"]}                    | arn:aws:sts::111122223333:assumed-role/Dev/s1  | true
            {"AWS":["111122223333","arn:aws:iam::111122223333:role/Dev"]}                    | arn:aws:iam::111122223333:role/Dev             | true
            {"AWS":"arn:aws:iam::111122223333:role/Dev"}                                     | arn:aws:sts::111122223333:assumed-role/Dev/s1  | false
            {"AWS":"111122223333"}                                                           | arn:aws:sts::111122223333:assumed-role/Dev/s1  | false
            {"AWS":["111122223333","arn:aws:iam::111122223333:role/Ops"]}                    | arn:aws:sts::111122223333:assumed-role/Dev/s1  | false
            {"AWS":["444455556666","arn:aws:iam::111122223333:role/Dev"]}                    | arn:aws:sts::111122223333:assumed-role/Dev/s1  | false
            """)
    void notPrincipalExemptsOnlyAFullyListedChain(String principal, String raw, boolean exempt) {
        assertThat(block("NotPrincipal", principal).exempts(caller(raw, null))).isEqualTo(exempt);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Principal    | false
            NotPrincipal | true
            """)
    void elementKindAndEntriesAreReported(String element, boolean not) {
        PrincipalBlock b = block(element, "{\"AWS\":[\"" + A + "\",\"" + B + "\"]}");
        assertThat(b.isNot()).isEqualTo(not);
        assertThat(b.entries()).containsOnlyKeys("AWS");
        assertThat(b.entries().get("AWS")).containsExactly(A, B);
    }
}
