package dev.sts.token.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A parsed trust policy is reused only for the very document it came from. */
class TrustPoliciesTest {
    static final String ARN = "arn:aws:iam::000000000000:role/R";
    static final String EC2 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},\
            "Action":"sts:AssumeRole"}]}""";
    static final String LAMBDA = EC2.replace("ec2", "lambda");

    static RoleView role(String arn, String trust) {
        return new RoleView(arn, "AROAEXAMPLE", "R", "000000000000", trust, 3600);
    }

    @Test
    void parsesOnceAndAnswersANewDocumentWithItsOwnPolicy() {
        TrustPolicies cache = new TrustPolicies(100);
        TrustPolicies.Parsed first = cache.of(role(ARN, EC2));
        assertThat(cache.of(role(ARN, new String(EC2))).policy()).isSameAs(first.policy());

        TrustPolicies.Parsed changed = cache.of(role(ARN, LAMBDA));
        assertThat(changed.policy()).isNotSameAs(first.policy());
        assertThat(changed.policy().json()).contains("lambda.amazonaws.com");
        assertThat(first.policy().json()).contains("ec2.amazonaws.com");
    }

    @Test
    void aMalformedDocumentIsAnErrorEveryTime() {
        TrustPolicies cache = new TrustPolicies(100);
        assertThat(cache.of(role(ARN, "{\"Statement\":")).error()).isNotNull();
        assertThat(cache.of(role(ARN, "{\"Statement\":")).policy()).isNull();
    }

    @Test
    void staysWithinItsCapacity() {
        TrustPolicies cache = new TrustPolicies(10);
        for (int i = 0; i < 25; i++) {
            assertThat(cache.of(role(ARN + i, EC2)).policy()).isNotNull();
            assertThat(cache.size()).isLessThanOrEqualTo(10);
        }
    }
}
