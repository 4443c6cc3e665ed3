package dev.sts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The compiled policy as the API describes it (README, "API"): its elements as written, the IAM
 * size, whether policy variables are on, and how an unnamed policy is labelled in decisions.
 */
class PolicyTest {

    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";

    private static final String JSON = """
            {
              "Version": "2012-10-17",
              "Statement": [ { "Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" } ]
            }""";

    @Test
    void elementsAsWritten() {
        Policy p = Policy.parse(JSON, PolicyType.IDENTITY);
        assertThat(p.version()).contains("2012-10-17");
        assertThat(p.json()).isEqualTo(JSON);
        assertThat(p.type()).isEqualTo(PolicyType.IDENTITY);
        assertThat(p.name()).isNull();
        assertThat(p.withName("inline").name()).isEqualTo("inline");
        assertThat(p.statements()).extracting(Statement::sid).containsExactly("Read");
        // "IAM doesn't count white space when calculating the size of a policy" (IAM and AWS STS quotas)
        assertThat(p.size()).isEqualTo(JSON.replaceAll("\\s", "").length()).isLessThan(JSON.length());
        assertThat(Policy.parse("{\"Statement\":[]}", PolicyType.IDENTITY).version()).isEmpty();
    }

    /**
     * Policy variables: "you must specify version 2012-10-17 ... Earlier versions of the policy
     * language don't support policy variables" (IAM policy elements: Version).
     */
    @Test
    void variablesNeedVersion2012() {
        String body = "\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b/${aws:username}/*\"}}";
        Policy v2012 = Policy.parse("{\"Version\":\"2012-10-17\"," + body, PolicyType.IDENTITY);
        Policy v2008 = Policy.parse("{\"Version\":\"2008-10-17\"," + body, PolicyType.IDENTITY);
        Policy none = Policy.parse("{" + body, PolicyType.IDENTITY);
        assertThat(v2012.variablesEnabled()).isTrue();
        assertThat(v2008.variablesEnabled()).isFalse();
        assertThat(none.variablesEnabled()).isFalse();
        RequestContext ctx = RequestContext.builder().put("aws:PrincipalArn", ALICE).put("aws:username", "alice").build();
        assertThat(evaluate(v2012, "arn:aws:s3:::b/alice/k", ctx).outcome()).isEqualTo(Outcome.ALLOW);
        // without variables "${aws:username}" is literal text of the ARN
        assertThat(evaluate(v2008, "arn:aws:s3:::b/alice/k", ctx).outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(evaluate(v2008, "arn:aws:s3:::b/${aws:username}/k", ctx).outcome()).isEqualTo(Outcome.ALLOW);
    }

    private static Decision evaluate(Policy identity, String resource, RequestContext ctx) {
        return PolicyEvaluator.iam().evaluate(EvaluationRequest.builder().principal(ALICE).action("s3:GetObject")
                .resource(resource).resourceAccount("111122223333").context(ctx).identityPolicy(identity).build());
    }

    /**
     * One parsed policy may be attached in several places (a managed policy attached twice, the
     * same document as identity and session policy). Without a name it is labelled by the place it
     * has in each evaluation: identity[i], session[i], boundary, resource or trust (README, API).
     */
    @Test
    void anUnnamedPolicyIsLabelledByItsPlaceInEachEvaluation() {
        Policy p = Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}",
                PolicyType.IDENTITY);
        EvaluationRequest.Builder twice = request().identityPolicies(List.of(p, p));
        assertThat(labels(twice)).containsExactly("identity[0]", "identity[1]");
        assertThat(labels(request().identityPolicy(p))).containsExactly("identity[0]");
        Policy other = Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"ec2:*\",\"Resource\":\"*\"}}",
                PolicyType.IDENTITY);
        assertThat(labels(request().identityPolicies(List.of(other, p)))).containsExactly("identity[0]", "identity[1]");
        // the same position under another label
        assertThat(labels(request().identityPolicy(other).sessionPolicy(p))).containsExactly("identity[0]", "session[0]");
        // and back: nothing of the earlier labels sticks to the policy
        assertThat(labels(request().identityPolicy(p))).containsExactly("identity[0]");

        Policy resource = Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ALICE
                + "\"},\"Action\":\"*\"}}", PolicyType.TRUST);
        EvaluationRequest.Builder asTrust = request().kind(RequestKind.ASSUME_ROLE).resourcePolicy(resource);
        EvaluationRequest.Builder asResource = request().resourcePolicy(resource);
        assertThat(labels(asTrust)).containsExactly("trust");
        assertThat(labels(asResource)).containsExactly("resource");
        assertThat(labels(asTrust)).containsExactly("trust");
    }

    @Test
    void aNamedPolicyKeepsItsNameWherever() {
        Policy p = Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}",
                PolicyType.IDENTITY, "arn:aws:iam::111122223333:policy/Read");
        assertThat(labels(request().identityPolicies(List.of(p, p)).sessionPolicy(p)))
                .containsOnly("arn:aws:iam::111122223333:policy/Read").hasSize(3);
    }

    private static EvaluationRequest.Builder request() {
        return EvaluationRequest.builder().principal(ALICE).action("s3:GetObject").resource("arn:aws:s3:::b/k")
                .resourceAccount("111122223333").context(RequestContext.builder().put("aws:PrincipalArn", ALICE).build());
    }

    private static List<String> labels(EvaluationRequest.Builder b) {
        return PolicyEvaluator.iam().evaluate(b.build()).trace().stream().map(t -> t.statement().policy()).toList();
    }
}
