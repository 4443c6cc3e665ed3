package dev.sts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Resource / NotResource element. IAM JSON policy elements, Resource: ARNs are matched
 * case-sensitively, "*" and "?" may be used, and a policy variable in a Resource is replaced by
 * the request's value (Version 2012-10-17 only; "If the key is not present ... the policy
 * variable is not resolved" and the statement does not match). NotResource "matches every
 * resource except those specified".
 */
class ResourceBlockTest {

    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";

    private static Outcome evaluate(String version, String element, String resources, String resource, String username) {
        String json = "{" + (version == null ? "" : "\"Version\":\"" + version + "\",")
                + "\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"" + element + "\":" + resources + "}}";
        RequestContext.Builder ctx = RequestContext.builder().put("aws:PrincipalArn", ALICE);
        if (username != null) {
            ctx.put("aws:username", username);
        }
        return PolicyEvaluator.iam().evaluate(EvaluationRequest.builder().principal(ALICE).action("s3:GetObject")
                .resource(resource).resourceAccount("111122223333").context(ctx.build())
                .identityPolicy(Policy.parse(json, PolicyType.IDENTITY)).build()).outcome();
    }

    /*
     * The last rows: in the resource part (after the fifth colon) a wildcard matches anything,
     * colons included; inside one of the first five fields a wildcard that does not end the field
     * stays within it ("if the * wildcard is the last character of a resource ARN segment, it can
     * expand to match beyond the colon boundaries").
     */
    @ParameterizedTest(name = "{1} {2} covers {3}: {5}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            2012-10-17 | Resource    | "*"                                               | arn:aws:s3:::b/k                 | -      | ALLOW
            2012-10-17 | Resource    | "*"                                               | not-an-arn                       | -      | ALLOW
            2012-10-17 | Resource    | "arn:aws:s3:::b/k"                                | arn:aws:s3:::b/k                 | -      | ALLOW
            2012-10-17 | Resource    | "arn:aws:s3:::b/k"                                | arn:aws:s3:::b/K                 | -      | IMPLICIT_DENY
            2012-10-17 | Resource    | ["arn:aws:s3:::x/*","arn:aws:s3:::b/*"]           | arn:aws:s3:::b/k                 | -      | ALLOW
            2012-10-17 | Resource    | ["arn:aws:s3:::x/*","arn:aws:s3:::y/*"]           | arn:aws:s3:::b/k                 | -      | IMPLICIT_DENY
            2012-10-17 | Resource    | ["arn:aws:s3:::x/*","*"]                          | arn:aws:s3:::b/k                 | -      | ALLOW
            2012-10-17 | NotResource | "arn:aws:s3:::b/*"                                | arn:aws:s3:::b/k                 | -      | IMPLICIT_DENY
            2012-10-17 | NotResource | "arn:aws:s3:::b/*"                                | arn:aws:s3:::c/k                 | -      | ALLOW
            2012-10-17 | NotResource | ["arn:aws:s3:::x/*","*"]                          | arn:aws:s3:::c/k                 | -      | IMPLICIT_DENY
            2012-10-17 | Resource    | "arn:aws:s3:::b/${aws:username}/*"                | arn:aws:s3:::b/alice/k           | alice  | ALLOW
            2012-10-17 | Resource    | "arn:aws:s3:::b/${aws:username}/*"                | arn:aws:s3:::b/bob/k             | alice  | IMPLICIT_DENY
            2012-10-17 | Resource    | "arn:aws:s3:::b/${aws:username}/*"                | arn:aws:s3:::b//k                | -      | IMPLICIT_DENY
            2012-10-17 | Resource    | ["arn:aws:s3:::b/${aws:username}/*","arn:aws:s3:::b/public/*"] | arn:aws:s3:::b/public/k | - | ALLOW
            2012-10-17 | Resource    | "arn:aws:s3:::b/${aws:username}/*"                | arn:aws:s3:::b/a*/k              | a*     | ALLOW
            2012-10-17 | Resource    | "arn:aws:s3:::b/${aws:username}/*"                | arn:aws:s3:::b/ab/k              | a*     | IMPLICIT_DENY
            2012-10-17 | Resource    | "arn:aws:s3:::b/${aws:username, 'shared'}/*"      | arn:aws:s3:::b/shared/k          | -      | ALLOW
            2012-10-17 | NotResource | "arn:aws:s3:::b/${aws:username}/*"                | arn:aws:s3:::b/alice/k           | alice  | IMPLICIT_DENY
            2012-10-17 | NotResource | "arn:aws:s3:::b/${aws:username}/*"                | arn:aws:s3:::b/alice/k           | -      | ALLOW
            -          | Resource    | "arn:aws:s3:::b/${aws:username}/*"                | arn:aws:s3:::b/alice/k           | alice  | IMPLICIT_DENY
            -          | Resource    | "arn:aws:s3:::b/${aws:username}/*"                | arn:aws:s3:::b/${aws:username}/k | alice  | ALLOW
            2008-10-17 | Resource    | "arn:aws:s3:::b/${aws:username}/*"                | arn:aws:s3:::b/${aws:username}/k | alice  | ALLOW
            2012-10-17 | Resource    | "arn:aws:logs:*:111122223333:app-*-prod"          | arn:aws:logs:us-east-1:111122223333:app-a:b-prod | - | ALLOW
            2012-10-17 | Resource    | "arn:aws:logs:*:111122223333:log-group:app-*-prod" | arn:aws:logs:us-east-1:111122223333:log-group:app-a:b-prod | - | ALLOW
            2012-10-17 | Resource    | "arn:aws:logs:*:111122223333:log-group:app-*-prod" | arn:aws:logs:us-east-1:111122223333:log-group:app-a-test | - | IMPLICIT_DENY
            2012-10-17 | Resource    | "arn:aws:logs:us*1:111122223333:*"                | arn:aws:logs:us-east-1:111122223333:x | - | ALLOW
            2012-10-17 | Resource    | "arn:aws:logs:us*1:111122223333:*"                | arn:aws:logs:us:east-1:111122223333:x | - | IMPLICIT_DENY
            """)
    void resourcesMatchAsDocumented(String version, String element, String resources, String resource, String username,
                                    Outcome expected) {
        assertThat(evaluate(version, element, resources, resource, username)).isEqualTo(expected);
    }

    @Test
    void theElementIsReportedAsWritten() {
        Policy p = Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":[\"arn:aws:s3:::b/${aws:username}\",\"*\"]},"
                + "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"NotResource\":\"arn:aws:s3:::b\"}]}", PolicyType.IDENTITY);
        ResourceBlock first = p.statements().get(0).resource();
        assertThat(first.isNot()).isFalse();
        assertThat(first.patterns()).containsExactly("arn:aws:s3:::b/${aws:username}", "*");
        assertThat(p.statements().get(1).resource().isNot()).isTrue();
        assertThat(p.statements().get(1).resource().patterns()).containsExactly("arn:aws:s3:::b");
    }
}
