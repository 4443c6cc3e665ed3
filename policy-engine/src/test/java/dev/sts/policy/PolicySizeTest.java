package dev.sts.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicySizeTest {

    @Test
    void whitespaceIsNotCounted() {
        assertThat(PolicySize.of("{ \"a\" :\n\t[ 1 , 2 ] }")).isEqualTo("{\"a\":[1,2]}".length());
        assertThat(PolicySize.of("")).isZero();
        assertThat(PolicySize.of("\u00e9\uD83D\uDE00")).isEqualTo(2); // code points, not UTF-16 units
        assertThat(PolicySize.total(List.of("{ }", "[ ]"))).isEqualTo(4);
    }

    @Test
    void quotas() {
        assertThat(PolicySize.MANAGED_POLICY_MAX).isEqualTo(6144);
        assertThat(PolicySize.ROLE_INLINE_POLICIES_TOTAL_MAX).isEqualTo(10240);
        assertThat(PolicySize.TRUST_POLICY_MAX).isEqualTo(2048);
        assertThat(PolicySize.SESSION_POLICY_MAX).isEqualTo(2048);
        PolicySize.requireWithin(6144, PolicySize.MANAGED_POLICY_MAX, "a managed policy");
        assertThatThrownBy(() -> PolicySize.requireWithin(6145, PolicySize.MANAGED_POLICY_MAX, "a managed policy"))
                .isInstanceOfSatisfying(MalformedPolicyException.class, e -> {
                    assertThat(e.code()).isEqualTo("LimitExceeded");
                    assertThat(e.getMessage()).isEqualTo(
                            "Policy: size 6145 exceeds the 6144-character quota for a managed policy (whitespace not counted)");
                });
    }

    @Test
    void sessionPolicyPlaintextQuota() {
        String p = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}";
        PolicySize.requireSessionPoliciesWithin(p, List.of("arn:aws:iam::111122223333:policy/a"));
        String big = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"" + "x".repeat(2000) + "\"}}";
        assertThatThrownBy(() -> PolicySize.requireSessionPoliciesWithin(big, List.of("arn:aws:iam::111122223333:policy/a")))
                .isInstanceOf(MalformedPolicyException.class).hasMessageContaining("session policies");
        assertThatThrownBy(() -> PolicySize.requireSessionPoliciesWithin(null, java.util.Collections.nCopies(11, "arn:x")))
                .isInstanceOf(MalformedPolicyException.class).hasMessageContaining("at most 10");
    }

    @Test
    void packedSizeGrowsWithContentAndIgnoresWhitespace() {
        String p = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}";
        int small = PolicySize.packedPolicySizePercent(p, List.of(), Map.of());
        assertThat(small).isBetween(1, 10);
        assertThat(PolicySize.packedPolicySizePercent(p.replace(",", " ,\n "), List.of(), Map.of())).isEqualTo(small);
        assertThat(PolicySize.packedPolicySizePercent(null, List.of(), Map.of())).isZero();
        StringBuilder tags = new StringBuilder();
        java.util.Random r = new java.util.Random(1);
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 50; i++) {
            many.put("tag" + i, Long.toString(r.nextLong(), 36) + Long.toString(r.nextLong(), 36) + tags);
        }
        assertThat(PolicySize.packedPolicySizePercent(p, List.of(), many)).isGreaterThan(small);
    }
}
