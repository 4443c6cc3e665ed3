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

    @Test
    void rawLengthGuardCountsWhitespaceAndRunsBeforeReading() {
        String spaces = " ".repeat(PolicySize.RAW_POLICY_DOCUMENT_MAX);
        PolicySize.requireRawLengthWithin(spaces, PolicySize.RAW_POLICY_DOCUMENT_MAX, "a session policy");
        PolicySize.requireRawLengthWithin(null, 0, "a session policy");
        assertThatThrownBy(() -> PolicySize.requireRawLengthWithin(spaces + " ", PolicySize.RAW_POLICY_DOCUMENT_MAX,
                "a session policy")).isInstanceOfSatisfying(MalformedPolicyException.class, e -> {
                    assertThat(e.code()).isEqualTo("LimitExceeded");
                    assertThat(e.getMessage()).isEqualTo("Policy: length 131073 exceeds the 131072-character hard cap"
                            + " for a session policy (whitespace included)");
                });
        // whitespace is free for the quota but not for the hard cap: a document that is almost all
        // whitespace is refused by the session-policy check before its characters are counted
        String padded = "{\"Statement\":[]}" + "\n".repeat(PolicySize.RAW_POLICY_DOCUMENT_MAX);
        assertThat(PolicySize.of(padded)).isLessThan(PolicySize.SESSION_POLICY_MAX);
        assertThatThrownBy(() -> PolicySize.requireSessionPoliciesWithin(padded, List.of()))
                .isInstanceOf(MalformedPolicyException.class).hasMessageContaining("hard cap for a session policy");
    }

    @Test
    void sessionPolicyQuotaBoundaries() {
        // exactly at the quota passes, one character more fails; ARNs count toward the same quota
        String arn = "arn:aws:iam::111122223333:policy/a"; // 34 characters
        String atQuota = "x".repeat(PolicySize.SESSION_POLICY_MAX - arn.length());
        PolicySize.requireSessionPoliciesWithin(atQuota, List.of(arn));
        assertThatThrownBy(() -> PolicySize.requireSessionPoliciesWithin(atQuota + "y", List.of(arn)))
                .isInstanceOfSatisfying(MalformedPolicyException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("Policy: size 2049 exceeds the 2048-character quota for session policies (whitespace not counted)"));
        PolicySize.requireSessionPoliciesWithin(null, java.util.Collections.nCopies(10, arn));
        // PolicyArns: "Length Constraints: Minimum length of 20. Maximum length of 2048." (STS API reference)
        PolicySize.requireSessionPoliciesWithin(null, List.of("arn:" + "x".repeat(2044)));
        assertThatThrownBy(() -> PolicySize.requireSessionPoliciesWithin(null, List.of("arn:" + "x".repeat(2045))))
                .isInstanceOfSatisfying(MalformedPolicyException.class, e -> {
                    assertThat(e.code()).isEqualTo("LimitExceeded");
                    assertThat(e.location()).isEqualTo("PolicyArns");
                });
    }

    @Test
    void packedSizeAbove100PercentIsPackedPolicyTooLarge() {
        String p = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}";
        int percent = PolicySize.requirePackedPolicyWithin(p, List.of("arn:aws:iam::111122223333:policy/a"), Map.of("team", "blue"));
        assertThat(percent).isEqualTo(PolicySize.packedPolicySizePercent(p, List.of("arn:aws:iam::111122223333:policy/a"),
                Map.of("team", "blue"))).isBetween(1, 100);
        // 50 session tags (the AWS maximum) with 256-character random values do not pack into the budget
        java.util.Random r = new java.util.Random(7);
        Map<String, String> tags = new java.util.HashMap<>();
        for (int i = 0; i < 50; i++) {
            StringBuilder v = new StringBuilder();
            while (v.length() < 256) {
                v.append(Long.toString(r.nextLong() & Long.MAX_VALUE, 36));
            }
            tags.put("key" + i, v.substring(0, 256));
        }
        int over = PolicySize.packedPolicySizePercent(p, List.of(), tags);
        assertThat(over).isGreaterThan(100);
        assertThatThrownBy(() -> PolicySize.requirePackedPolicyWithin(p, List.of(), tags))
                .isInstanceOfSatisfying(MalformedPolicyException.class, e -> {
                    assertThat(e.code()).isEqualTo("PackedPolicyTooLarge");
                    assertThat(e.location()).isEqualTo("PackedPolicySize");
                    assertThat(e.reason()).isEqualTo("the packed session policies and session tags use " + over
                            + "% of the allowed size (at most 100%)");
                });
    }
}
