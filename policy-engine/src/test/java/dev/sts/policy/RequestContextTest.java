package dev.sts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request context (README, API): condition key names are case-insensitive ("Condition key
 * names are not case-sensitive", IAM JSON policy elements: Condition); a key is single- or
 * multi-valued, and a multi-valued key may be empty (Multivalued context keys).
 */
class RequestContextTest {

    @Test
    void singleValuedKeysFromAMap() {
        RequestContext c = RequestContext.of(Map.of("aws:SourceIp", "10.0.0.1", "aws:username", "alice"));
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.getSingle("AWS:SOURCEIP")).contains("10.0.0.1");
        assertThat(c.get("aws:Username")).contains(List.of("alice"));
        assertThat(c.isMultiValued("aws:username")).isFalse();
        assertThat(c.get("aws:userid")).isEmpty();
        assertThat(RequestContext.of(Map.of()).size()).isZero();
        assertThat(RequestContext.empty().asMap()).isEmpty();
    }

    @Test
    void multiValuedKeysHaveNoSingleValue() {
        RequestContext c = RequestContext.builder().putMulti("aws:TagKeys", List.of("env"))
                .putMulti("aws:CalledVia", List.of()).put("aws:PrincipalTag/Team", "blue").build();
        assertThat(c.isMultiValued("AWS:TAGKEYS")).isTrue();
        assertThat(c.isMultiValued("aws:calledvia")).isTrue();
        assertThat(c.isMultiValued("aws:principaltag/team")).isFalse();
        assertThat(c.isMultiValued("aws:NotThere")).isFalse();
        assertThat(c.get("aws:TagKeys")).contains(List.of("env"));
        assertThat(c.getSingle("aws:TagKeys")).isEmpty();
        assertThat(c.get("aws:CalledVia")).contains(List.of());
        assertThat(c.getSingle("aws:principaltag/TEAM")).contains("blue");
        // the keys as first spelled, with their values
        assertThat(c.asMap()).containsOnly(Map.entry("aws:TagKeys", List.of("env")), Map.entry("aws:CalledVia", List.of()),
                Map.entry("aws:PrincipalTag/Team", List.of("blue")));
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.toString()).contains("aws:TagKeys=[env]", "aws:PrincipalTag/Team=[blue]");
    }

    @Test
    void aLaterValueOfTheSameKeyInAnyCaseReplacesTheEarlierOne() {
        RequestContext c = RequestContext.builder().put("aws:username", "alice").put("AWS:UserName", "bob").build();
        assertThat(c.size()).isEqualTo(1);
        assertThat(c.getSingle("aws:username")).contains("bob");
    }

    @Test
    void theBuilderTakesPolicyListsWhole() {
        Policy id = Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}", PolicyType.IDENTITY);
        Policy ses = Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"ec2:*\",\"Resource\":\"*\"}}",
                PolicyType.SESSION);
        EvaluationRequest r = EvaluationRequest.builder().principal("arn:aws:sts::111122223333:assumed-role/R/s")
                .action("s3:GetObject").resource("arn:aws:s3:::b/k")
                .identityPolicies(List.of(id)).sessionPolicies(List.of(ses)).build();
        assertThat(r.identityPolicies()).containsExactly(id);
        assertThat(r.sessionPolicies()).containsExactly(ses);
        // "the resulting session's permissions are the intersection" of identity and session policies
        assertThat(PolicyEvaluator.iam().evaluate(r).reason()).isEqualTo("no session policy allows the request");
    }
}
