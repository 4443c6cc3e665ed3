package dev.sts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Action / NotAction element. IAM JSON policy elements, Action: action names are
 * case-insensitive ("s3:GetObject" and "S3:getobject" are the same), "*" and "?" wildcards may be
 * used; NotAction "matches everything except the specified list of actions".
 */
class ActionBlockTest {

    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";

    private static Decision evaluate(String action, String... statements) {
        Policy p = Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}",
                PolicyType.IDENTITY, "p");
        return PolicyEvaluator.iam().evaluate(EvaluationRequest.builder().principal(ALICE).action(action)
                .resource("arn:aws:s3:::b/k").resourceAccount("111122223333")
                .context(RequestContext.builder().put("aws:PrincipalArn", ALICE).build()).identityPolicy(p).build());
    }

    private static String allow(String actionJson) {
        return "{\"Effect\":\"Allow\",\"Action\":" + actionJson + ",\"Resource\":\"*\"}";
    }

    private static String allowNot(String actionJson) {
        return "{\"Effect\":\"Allow\",\"NotAction\":" + actionJson + ",\"Resource\":\"*\"}";
    }

    private static String deny(String actionJson) {
        return "{\"Effect\":\"Deny\",\"Action\":" + actionJson + ",\"Resource\":\"*\"}";
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            "s3:GetObject"                  | s3:GetObject        | ALLOW
            "s3:GetObject"                  | S3:GETOBJECT        | ALLOW
            "S3:getobject"                  | s3:GetObject        | ALLOW
            "s3:GetObject"                  | s3:GetObjectAcl     | IMPLICIT_DENY
            "s3:GetObject"                  | s3:PutObject        | IMPLICIT_DENY
            "s3:GetObject"                  | ec2:GetObject       | IMPLICIT_DENY
            "s3:Get*"                       | s3:GetObjectAcl     | ALLOW
            "s3:Get*"                       | s3:ListBucket       | IMPLICIT_DENY
            "s3:*Object"                    | S3:putobject        | ALLOW
            "iam:Get?ser"                   | iam:GetUser         | ALLOW
            "iam:Get?ser"                   | iam:GetUsser        | IMPLICIT_DENY
            "*"                             | anything:AtAll      | ALLOW
            ["ec2:*","s3:Put*"]             | s3:PutObject        | ALLOW
            ["ec2:*","s3:Put*"]             | EC2:StartInstances  | ALLOW
            ["ec2:*","s3:Put*"]             | s3:GetObject        | IMPLICIT_DENY
            ["ec2:*","s3:Put*"]             | sqs:SendMessage     | IMPLICIT_DENY
            """)
    void actionsMatchIgnoringCase(String actionJson, String action, Outcome expected) {
        assertThat(evaluate(action, allow(actionJson)).outcome()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "NotAction {0} covers {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            "iam:*"                         | s3:GetObject        | ALLOW
            "iam:*"                         | IAM:CreateUser      | IMPLICIT_DENY
            ["iam:*","s3:Delete*"]          | s3:DeleteObject     | IMPLICIT_DENY
            ["iam:*","s3:Delete*"]          | s3:GetObject        | ALLOW
            "*"                             | s3:GetObject        | IMPLICIT_DENY
            """)
    void notActionCoversEverythingElse(String actionJson, String action, Outcome expected) {
        assertThat(evaluate(action, allowNot(actionJson)).outcome()).isEqualTo(expected);
    }

    /**
     * Statements that can cover any service ("*", NotAction) apply to every request, whatever
     * service-specific statements the policy also holds, and a statement naming several services
     * covers each of them.
     */
    @Test
    void statementsForAnyServiceAreNeverSkipped() {
        String[] others = {allow("\"ec2:*\""), allow("[\"sqs:Send*\",\"sns:Publish\"]"), allow("\"iam:Get*\"")};
        // an Allow by NotAction among service-specific statements
        assertThat(evaluate("s3:GetObject", others[0], others[1], allowNot("\"iam:*\""), others[2]).outcome())
                .isEqualTo(Outcome.ALLOW);
        // a Deny "*" after an Allow for the same service
        assertThat(evaluate("S3:GetObject", allow("\"s3:*\""), others[0], deny("\"*\"")).outcome())
                .isEqualTo(Outcome.EXPLICIT_DENY);
        // a Deny by NotAction
        Decision d = evaluate("s3:GetObject", allow("\"s3:*\""), others[1],
                "{\"Effect\":\"Deny\",\"NotAction\":\"ec2:*\",\"Resource\":\"*\"}");
        assertThat(d.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(d.decidingStatements()).extracting(StatementRef::index).containsExactly(2);
        // a statement naming several services is found under each of them
        for (String action : List.of("sqs:SendMessage", "SNS:Publish")) {
            assertThat(evaluate(action, others[0], others[1], others[2]).outcome()).as(action).isEqualTo(Outcome.ALLOW);
        }
        assertThat(evaluate("sns:Subscribe", others[0], others[1], others[2]).outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        // an action without a service prefix is matched only by statements that may cover any service
        assertThat(evaluate("GetObject", allow("\"s3:*\""), allow("\"*\"")).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(evaluate("GetObject", allow("\"s3:*\"")).outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
    }

    @Test
    void theTraceShowsWhichStatementsDidNotMatchTheAction() {
        Decision d = evaluate("s3:GetObject", allow("\"ec2:*\""), allow("\"s3:Get*\""), allowNot("\"s3:*\""));
        assertThat(d.trace()).extracting(TraceEntry::result).containsExactly(Statement.Result.ACTION_NOT_MATCHED,
                Statement.Result.APPLIES, Statement.Result.ACTION_NOT_MATCHED);
        assertThat(d.decidingStatements()).extracting(StatementRef::index).containsExactly(1);
    }

    @Test
    void theElementIsReportedAsWritten() {
        Policy p = Policy.parse("{\"Statement\":[" + allow("[\"S3:Get*\",\"ec2:*\"]") + "," + allowNot("\"iam:*\"") + "]}",
                PolicyType.IDENTITY);
        ActionBlock first = p.statements().get(0).action();
        assertThat(first.isNot()).isFalse();
        assertThat(first.patterns()).containsExactly("S3:Get*", "ec2:*");
        ActionBlock second = p.statements().get(1).action();
        assertThat(second.isNot()).isTrue();
        assertThat(second.patterns()).containsExactly("iam:*");
    }
}
