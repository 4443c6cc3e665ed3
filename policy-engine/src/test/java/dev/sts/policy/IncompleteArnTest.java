package dev.sts.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Incomplete resource ARNs. IAM User Guide, "Identify AWS resources with Amazon Resource Names
 * (ARNs)": "When you specify an incomplete ARN (one with fewer than the standard six fields) in an
 * identity-based policy, AWS automatically completes the ARN by adding wildcard characters (*) to
 * all missing fields. For example, specifying arn:aws:sqs is equivalent to arn:aws:sqs:*:*:* [...]
 * However, session policies passed to AWS STS AssumeRole, AssumeRoleWithWebIdentity, and
 * AssumeRoleWithSAML requests, do not support incomplete ARNs."
 */
class IncompleteArnTest {

    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";

    private static String policy(String resourceKey, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\""
                + resourceKey + "\":\"" + resource + "\"}}";
    }

    private static Outcome identityAllows(String pattern, String resource) {
        return PolicyEvaluator.iam().evaluate(EvaluationRequest.builder().kind(RequestKind.AUTHORIZATION)
                .principal(ALICE).action("sqs:SendMessage").resource(resource).resourceAccount("111122223333")
                .context(RequestContext.builder().put("aws:PrincipalArn", ALICE).build())
                .identityPolicy(Policy.parse(policy("Resource", pattern), PolicyType.IDENTITY)).build()).outcome();
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            arn:aws:sqs                                | arn:aws:sqs:us-east-1:111122223333:orders        | ALLOW
            arn:aws:sqs                                | arn:aws:sqs:eu-west-1:444455556666:a:b           | ALLOW
            arn:aws:sqs                                | arn:aws:sns:us-east-1:111122223333:orders        | IMPLICIT_DENY
            arn:aws:sqs                                | arn:aws-cn:sqs:cn-north-1:111122223333:orders    | IMPLICIT_DENY
            arn:aws                                    | arn:aws:sns:us-east-1:111122223333:orders        | ALLOW
            arn:aws                                    | arn:aws-cn:sns:cn-north-1:111122223333:orders    | IMPLICIT_DENY
            arn:aws:sqs:us-east-1                      | arn:aws:sqs:us-east-1:111122223333:orders        | ALLOW
            arn:aws:sqs:us-east-1                      | arn:aws:sqs:us-east-2:111122223333:orders        | IMPLICIT_DENY
            arn:aws:sqs:us-east-1:111122223333         | arn:aws:sqs:us-east-1:111122223333:orders        | ALLOW
            arn:aws:sqs:us-east-1:111122223333         | arn:aws:sqs:us-east-1:444455556666:orders        | IMPLICIT_DENY
            arn:aws:sqs:us-*                           | arn:aws:sqs:us-west-2:111122223333:orders        | ALLOW
            arn:aws:s3::                               | arn:aws:s3:::bucket/key                          | ALLOW
            arn:aws:s3::                               | arn:aws:s3:us-east-1::bucket/key                 | IMPLICIT_DENY
            """)
    void identityPoliciesCompleteMissingFieldsWithWildcards(String pattern, String resource, Outcome expected) {
        assertThat(identityAllows(pattern, resource)).isEqualTo(expected);
    }

    @Test
    void theWrittenFormIsReportedAndTheCompletedFormIsMatched() {
        Policy p = Policy.parse(policy("NotResource", "arn:aws:sqs:us-east-1"), PolicyType.BOUNDARY);
        ResourceBlock r = p.statements().get(0).resource();
        assertThat(r.patterns()).containsExactly("arn:aws:sqs:us-east-1");
        assertThat(r.covers("arn:aws:sqs:us-east-1:111122223333:orders", null)).isFalse();
        assertThat(r.covers("arn:aws:sqs:eu-west-1:111122223333:orders", null)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = PolicyType.class, names = {"SESSION", "RESOURCE"})
    void sessionAndResourcePoliciesStillNeedSixFields(PolicyType type) {
        String json = type == PolicyType.RESOURCE
                ? "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"arn:aws:sqs\"}}"
                : policy("Resource", "arn:aws:sqs");
        assertThatThrownBy(() -> Policy.parse(json, type)).isInstanceOf(MalformedPolicyException.class)
                .hasMessage("Statement.Resource: \"arn:aws:sqs\" is not a valid ARN: it needs six colon-separated fields"
                        + " (arn:partition:service:region:account:resource); only identity-based policies accept an incomplete ARN")
                .extracting(e -> ((MalformedPolicyException) e).code()).isEqualTo("MalformedPolicyDocument");
    }

    @Test
    void aSessionPolicyWithFiveFieldsIsRejectedToo() {
        assertThatThrownBy(() -> Policy.parse(policy("Resource", "arn:aws:sqs:us-east-1:111122223333"), PolicyType.SESSION))
                .isInstanceOf(MalformedPolicyException.class).hasMessageContaining("needs six colon-separated fields");
    }

    @Test
    void thePartitionMustBeWritten() {
        // The same page: "You also cannot ... have a wildcard in the partition section of an ARN."
        for (String bad : List.of("arn", "arn:")) {
            assertThatThrownBy(() -> Policy.parse(policy("Resource", bad), PolicyType.IDENTITY))
                    .as(bad).isInstanceOf(MalformedPolicyException.class);
        }
    }
}
