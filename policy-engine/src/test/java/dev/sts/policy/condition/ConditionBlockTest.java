package dev.sts.policy.condition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.policy.Policy;
import dev.sts.policy.PolicyType;
import dev.sts.policy.RequestContext;
import org.junit.jupiter.api.Test;

/**
 * The Condition element as a whole. IAM JSON policy elements, Condition: "If you specify multiple
 * condition operators, or multiple keys attached to a single condition operator, the conditions
 * are evaluated using a logical AND operation."
 */
class ConditionBlockTest {

    private static ConditionBlock conditions(String condition) {
        String json = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\""
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}}";
        return Policy.parse(json, PolicyType.IDENTITY).statements().get(0).conditions();
    }

    private static final String TWO_OPERATORS_THREE_KEYS = """
            {"StringEquals":{"aws:PrincipalTag/team":"blue","aws:username":["alice","bob"]},
             "Bool":{"aws:SecureTransport":"true"}}""";

    @Test
    void noConditionElementHoldsForEveryRequest() {
        ConditionBlock none = conditions(null);
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.clauses()).isEmpty();
        assertThat(none.firstFailureIndex(RequestContext.empty())).isEqualTo(-1);
        assertThat(none.firstFailure(RequestContext.empty())).isNull();
        assertThat(conditions("{}").isEmpty()).isTrue();
    }

    @Test
    void everyKeyOfEveryOperatorMustHold() {
        ConditionBlock block = conditions(TWO_OPERATORS_THREE_KEYS);
        assertThat(block.isEmpty()).isFalse();
        assertThat(block.clauses()).extracting(ConditionClause::key)
                .containsExactlyInAnyOrder("aws:PrincipalTag/team", "aws:username", "aws:SecureTransport");

        RequestContext all = RequestContext.builder().put("aws:PrincipalTag/team", "blue").put("aws:username", "bob")
                .put("aws:SecureTransport", "true").build();
        assertThat(block.firstFailureIndex(all)).isEqualTo(-1);
        assertThat(block.firstFailure(all)).isNull();

        // any one key failing fails the block, and the failure names that key
        for (String failingKey : new String[] {"aws:PrincipalTag/team", "aws:username", "aws:SecureTransport"}) {
            RequestContext.Builder b = RequestContext.builder();
            b.put("aws:PrincipalTag/team", failingKey.equals("aws:PrincipalTag/team") ? "red" : "blue");
            b.put("aws:username", failingKey.equals("aws:username") ? "carol" : "alice");
            b.put("aws:SecureTransport", failingKey.equals("aws:SecureTransport") ? "false" : "true");
            RequestContext ctx = b.build();
            int index = block.firstFailureIndex(ctx);
            assertThat(index).as(failingKey).isBetween(0, 2);
            assertThat(block.clauses().get(index).key()).isEqualTo(failingKey);
            assertThat(block.firstFailure(ctx)).isNotNull().extracting(ConditionClause::key).isEqualTo(failingKey);
        }
    }

    @Test
    void theFirstFailingClauseIsReportedWhenSeveralFail() {
        ConditionBlock block = conditions(TWO_OPERATORS_THREE_KEYS);
        int index = block.firstFailureIndex(RequestContext.empty());
        assertThat(index).isZero();
        assertThat(block.firstFailure(RequestContext.empty())).isSameAs(block.clauses().get(0));
        // the clauses before the reported one hold: only the later ones fail here
        RequestContext firstHolds = RequestContext.builder().put(block.clauses().get(0).key(),
                block.clauses().get(0).policyValues().get(0)).build();
        assertThat(block.firstFailureIndex(firstHolds)).isEqualTo(1);
        assertThat(block.firstFailure(firstHolds)).isSameAs(block.clauses().get(1));
    }
}
