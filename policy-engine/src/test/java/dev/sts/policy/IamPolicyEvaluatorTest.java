package dev.sts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way the evaluation logic decides, with the reason it gives (the audit trail records it).
 * Sources: Policy evaluation logic (single account), Cross-account policy evaluation logic,
 * Permissions boundaries ("Resource-based policies ... naming the role grants, boundaries and
 * session policies still apply"), Session policies, and the AssumeRole trust rules (the trust
 * policy must allow even within the account; the root user cannot assume a role).
 */
class IamPolicyEvaluatorTest {

    private static final String A = "111122223333";
    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    private static final String BOB = "arn:aws:iam::444455556666:user/bob";
    private static final String SESSION = "arn:aws:sts::111122223333:assumed-role/Dev/s1";
    private static final String ROOT = "arn:aws:iam::111122223333:root";
    private static final String ROLE = "arn:aws:iam::111122223333:role/Target";

    private static String principalArnOf(String caller) {
        return caller.equals(SESSION) ? "arn:aws:iam::111122223333:role/Dev" : caller;
    }

    private static Decision evaluate(String kind, String caller, String resourceAccount, String resource,
                                     String resourcePrincipal, boolean identity, String boundary, String session) {
        boolean assume = kind.equals("ASSUME");
        String action = assume ? "sts:AssumeRole" : "s3:GetObject";
        EvaluationRequest.Builder b = EvaluationRequest.builder()
                .kind(assume ? RequestKind.ASSUME_ROLE : RequestKind.AUTHORIZATION)
                .principal(caller).action(action)
                .resource(resource != null ? resource : assume ? ROLE : "arn:aws:s3:::b/k")
                .resourceAccount(resourceAccount)
                .context(RequestContext.builder().put("aws:PrincipalArn", principalArnOf(caller)).build());
        if (identity) {
            b.identityPolicy(Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":[\"s3:*\",\"sts:*\"],\"Resource\":\"*\"}}",
                    PolicyType.IDENTITY));
        }
        if (boundary != null) {
            b.permissionsBoundary(Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\""
                    + (boundary.equals("ok") ? "*" : "ec2:*") + "\",\"Resource\":\"*\"}}", PolicyType.BOUNDARY));
        }
        if (session != null) {
            b.sessionPolicy(Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\""
                    + (session.equals("ok") ? "*" : "ec2:*") + "\",\"Resource\":\"*\"}}", PolicyType.SESSION));
        }
        if (resourcePrincipal != null) {
            String json = "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":" + resourcePrincipal + ",\"Action\":\""
                    + action + "\"" + (assume ? "" : ",\"Resource\":\"*\"") + "}}";
            b.resourcePolicy(Policy.parse(json, assume ? PolicyType.TRUST : PolicyType.RESOURCE));
        }
        return PolicyEvaluator.iam().evaluate(b.build());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            root cannot assume                  | ASSUME | arn:aws:iam::111122223333:root                | 111122223333 | - | {"AWS":"111122223333"}                     | true  | -    | -      | IMPLICIT_DENY | the account root user cannot assume a role
            no trust policy                     | ASSUME | arn:aws:iam::111122223333:user/alice          | 111122223333 | - | -                                          | true  | -    | -      | IMPLICIT_DENY | the role has no trust policy
            trust names someone else            | ASSUME | arn:aws:iam::111122223333:user/alice          | 111122223333 | - | {"AWS":"arn:aws:iam::444455556666:user/bob"} | true | -   | -      | IMPLICIT_DENY | the role's trust policy does not allow this caller
            service trusted                     | ASSUME | ec2.amazonaws.com                             | 111122223333 | - | {"Service":"ec2.amazonaws.com"}            | false | -    | -      | ALLOW         | the trust policy allows this principal
            caller named, no identity policy    | ASSUME | arn:aws:iam::111122223333:user/alice          | 111122223333 | - | {"AWS":"arn:aws:iam::111122223333:user/alice"} | false | - | -      | ALLOW         | the trust policy names the caller
            role named for its session          | ASSUME | arn:aws:sts::111122223333:assumed-role/Dev/s1 | 111122223333 | - | {"AWS":"arn:aws:iam::111122223333:role/Dev"} | false | ok  | ok     | ALLOW         | the trust policy names the caller's role; boundary and session policies agree
            role named, session policy narrower | ASSUME | arn:aws:sts::111122223333:assumed-role/Dev/s1 | 111122223333 | - | {"AWS":"arn:aws:iam::111122223333:role/Dev"} | true  | -   | narrow | IMPLICIT_DENY | no session policy allows the request
            role named, boundary narrower       | ASSUME | arn:aws:sts::111122223333:assumed-role/Dev/s1 | 111122223333 | - | {"AWS":"arn:aws:iam::111122223333:role/Dev"} | true  | deny | -     | IMPLICIT_DENY | the permissions boundary does not allow the request
            role named, session narrower, no id | ASSUME | arn:aws:sts::111122223333:assumed-role/Dev/s1 | 111122223333 | - | {"AWS":"arn:aws:iam::111122223333:role/Dev"} | false | -   | narrow | IMPLICIT_DENY | no identity-based policy allows the request
            account trusted, identity allows    | ASSUME | arn:aws:iam::111122223333:user/alice          | 111122223333 | - | {"AWS":"111122223333"}                     | true  | ok   | -      | ALLOW         | the trust policy trusts the account and the caller's identity policies allow
            account trusted, no identity policy | ASSUME | arn:aws:iam::111122223333:user/alice          | 111122223333 | - | {"AWS":"arn:aws:iam::111122223333:root"}   | false | -    | -      | IMPLICIT_DENY | the trust policy names only the account, so the caller's identity policies must allow: no identity-based policy allows the request
            account trusted, boundary narrower  | ASSUME | arn:aws:iam::111122223333:user/alice          | 111122223333 | - | {"AWS":"111122223333"}                     | true  | deny | -      | IMPLICIT_DENY | the trust policy names only the account, so the caller's identity policies must allow: the permissions boundary does not allow the request
            cross-account both allow            | ASSUME | arn:aws:iam::444455556666:user/bob            | 111122223333 | - | {"AWS":"arn:aws:iam::444455556666:user/bob"} | true | -   | -      | ALLOW         | cross-account: the trust policy and the caller's identity policies both allow
            cross-account, account trusted      | ASSUME | arn:aws:iam::444455556666:user/bob            | 111122223333 | - | {"AWS":"444455556666"}                     | true  | -    | -      | ALLOW         | cross-account: the trust policy and the caller's identity policies both allow
            cross-account, no identity policy   | ASSUME | arn:aws:iam::444455556666:user/bob            | 111122223333 | - | {"AWS":"arn:aws:iam::444455556666:user/bob"} | false | -   | -      | IMPLICIT_DENY | cross-account: the trust policy allows but no identity-based policy allows the request
            cross-account, session narrower     | ASSUME | arn:aws:iam::444455556666:user/bob            | 111122223333 | - | {"AWS":"arn:aws:iam::444455556666:user/bob"} | true | -   | narrow | IMPLICIT_DENY | cross-account: the trust policy allows but no session policy allows the request
            service allowed by resource policy  | AUTH   | ec2.amazonaws.com                             | 111122223333 | - | {"Service":"ec2.amazonaws.com"}            | false | -    | -      | ALLOW         | the resource policy allows this principal
            service without resource policy     | AUTH   | ec2.amazonaws.com                             | 111122223333 | - | -                                          | false | -    | -      | IMPLICIT_DENY | no resource policy statement allows this principal
            service not named                   | AUTH   | ec2.amazonaws.com                             | 111122223333 | - | {"Service":"lambda.amazonaws.com"}         | false | -    | -      | IMPLICIT_DENY | no resource policy statement allows this principal
            identity allows                     | AUTH   | arn:aws:iam::111122223333:user/alice          | 111122223333 | - | -                                          | true  | ok   | -      | ALLOW         | identity policies allow (within boundary and session policies)
            root needs no identity policy       | AUTH   | arn:aws:iam::111122223333:root                | 111122223333 | - | -                                          | false | -    | -      | ALLOW         | the account root user
            resource policy names the caller    | AUTH   | arn:aws:iam::111122223333:user/alice          | 111122223333 | - | {"AWS":"arn:aws:iam::111122223333:user/alice"} | false | deny | - | ALLOW         | the resource policy names the caller
            resource policy names the role      | AUTH   | arn:aws:sts::111122223333:assumed-role/Dev/s1 | 111122223333 | - | {"AWS":"arn:aws:iam::111122223333:role/Dev"} | false | ok  | ok     | ALLOW         | the resource policy names the caller's role; boundary and session policies agree
            role named, session narrower        | AUTH   | arn:aws:sts::111122223333:assumed-role/Dev/s1 | 111122223333 | - | {"AWS":"arn:aws:iam::111122223333:role/Dev"} | false | -   | narrow | IMPLICIT_DENY | the resource policy names the caller's role, but no session policy allows the request
            role named, boundary narrower       | AUTH   | arn:aws:sts::111122223333:assumed-role/Dev/s1 | 111122223333 | - | {"AWS":"arn:aws:iam::111122223333:role/Dev"} | false | deny | -     | IMPLICIT_DENY | the resource policy names the caller's role, but the permissions boundary does not allow the request
            account named, no identity policy   | AUTH   | arn:aws:iam::111122223333:user/alice          | 111122223333 | - | {"AWS":"111122223333"}                     | false | -    | -      | IMPLICIT_DENY | the resource policy names only the account (delegating to IAM): no identity-based policy allows the request
            account named, identity allows      | AUTH   | arn:aws:iam::111122223333:user/alice          | 111122223333 | - | {"AWS":"111122223333"}                     | true  | -    | -      | ALLOW         | identity policies allow (within boundary and session policies)
            nothing allows                      | AUTH   | arn:aws:iam::111122223333:user/alice          | 111122223333 | - | -                                          | false | -    | -      | IMPLICIT_DENY | no identity-based policy allows the request
            boundary narrower                   | AUTH   | arn:aws:iam::111122223333:user/alice          | 111122223333 | - | -                                          | true  | deny | -      | IMPLICIT_DENY | the permissions boundary does not allow the request
            session narrower                    | AUTH   | arn:aws:sts::111122223333:assumed-role/Dev/s1 | 111122223333 | - | -                                          | true  | ok   | narrow | IMPLICIT_DENY | no session policy allows the request
            cross-account, resource silent      | AUTH   | arn:aws:iam::444455556666:user/bob            | 111122223333 | - | -                                          | true  | -    | -      | IMPLICIT_DENY | cross-account: the resource policy does not allow this caller
            cross-account, nothing allows       | AUTH   | arn:aws:iam::444455556666:user/bob            | 111122223333 | - | {"AWS":"arn:aws:iam::999999999999:root"}   | false | -    | -      | IMPLICIT_DENY | cross-account: neither the resource policy nor the identity policies allow
            cross-account, both allow           | AUTH   | arn:aws:iam::444455556666:user/bob            | 111122223333 | - | {"AWS":"arn:aws:iam::444455556666:user/bob"} | true | -   | -      | ALLOW         | cross-account: identity and resource policies both allow
            cross-account, account named        | AUTH   | arn:aws:iam::444455556666:user/bob            | 111122223333 | - | {"AWS":"444455556666"}                     | true  | -    | -      | ALLOW         | cross-account: identity and resource policies both allow
            cross-account, no identity policy   | AUTH   | arn:aws:iam::444455556666:user/bob            | 111122223333 | - | {"AWS":"arn:aws:iam::444455556666:user/bob"} | false | -   | -      | IMPLICIT_DENY | cross-account: the resource policy allows but no identity-based policy allows the request
            cross-account, boundary narrower    | AUTH   | arn:aws:iam::444455556666:user/bob            | 111122223333 | - | {"AWS":"arn:aws:iam::444455556666:user/bob"} | true | deny | -      | IMPLICIT_DENY | cross-account: the resource policy allows but the permissions boundary does not allow the request
            owner from the resource ARN         | AUTH   | arn:aws:iam::111122223333:user/alice          | -            | arn:aws:sqs:us-east-1:444455556666:q | - | true | - | -   | IMPLICIT_DENY | cross-account: the resource policy does not allow this caller
            owner from the resource ARN, same   | AUTH   | arn:aws:iam::111122223333:user/alice          | -            | arn:aws:sqs:us-east-1:111122223333:q | {"AWS":"111122223333"} | false | - | - | IMPLICIT_DENY | the resource policy names only the account (delegating to IAM): no identity-based policy allows the request
            empty owner read from the ARN       | AUTH   | arn:aws:iam::111122223333:user/alice          | ''           | arn:aws:sqs:us-east-1:444455556666:q | - | true | - | -   | IMPLICIT_DENY | cross-account: the resource policy does not allow this caller
            no owner anywhere: same account     | AUTH   | arn:aws:iam::111122223333:user/alice          | -            | arn:aws:s3:::b/k                   | -   | true | -  | -   | ALLOW         | identity policies allow (within boundary and session policies)
            no owner, resource not an ARN       | AUTH   | arn:aws:iam::444455556666:user/bob            | -            | *                                  | -   | true | -  | -   | ALLOW         | identity policies allow (within boundary and session policies)
            """)
    void decidesAndSaysWhy(String name, String kind, String caller, String resourceAccount, String resource,
                           String resourcePrincipal, boolean identity, String boundary, String session,
                           Outcome outcome, String reason) {
        Decision d = evaluate(kind, caller, resourceAccount, resource, resourcePrincipal, identity, boundary, session);
        assertThat(d.outcome()).as(name).isEqualTo(outcome);
        assertThat(d.reason()).as(name).isEqualTo(reason);
        if (outcome == Outcome.ALLOW && !caller.equals(ROOT)) {
            assertThat(d.decidingStatements()).as(name).isNotEmpty();
        }
    }

    /**
     * Permissions boundaries page: a resource-based policy Deny with NotPrincipal denies a caller
     * that has a permissions boundary, even when NotPrincipal lists it.
     */
    @Test
    void aNotPrincipalDenyAlwaysAppliesToACallerWithABoundary() {
        String deny = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ALICE + "\"},\"Action\":\"s3:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"" + A + "\",\"" + ALICE + "\"]},\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
        Policy rp = Policy.parse(deny, PolicyType.RESOURCE);
        EvaluationRequest.Builder b = EvaluationRequest.builder().principal(ALICE).action("s3:GetObject")
                .resource("arn:aws:s3:::b/k").resourceAccount(A)
                .context(RequestContext.builder().put("aws:PrincipalArn", ALICE).build()).resourcePolicy(rp);
        assertThat(PolicyEvaluator.iam().evaluate(b.build()).outcome()).isEqualTo(Outcome.ALLOW);
        Decision bounded = PolicyEvaluator.iam().evaluate(b.permissionsBoundary(
                Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}", PolicyType.BOUNDARY)).build());
        assertThat(bounded.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(bounded.decidingStatements()).extracting(StatementRef::index).containsExactly(1);
        // a caller not listed is denied either way; a service (no boundary applies) listed is exempt
        EvaluationRequest.Builder bob = EvaluationRequest.builder().principal(BOB).action("s3:GetObject")
                .resource("arn:aws:s3:::b/k").resourceAccount(A)
                .context(RequestContext.builder().put("aws:PrincipalArn", BOB).build()).resourcePolicy(rp);
        assertThat(PolicyEvaluator.iam().evaluate(bob.build()).outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
    }

    @Test
    void aFailedConditionInTheResourcePolicyGrantsNothing() {
        Policy rp = Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ALICE
                + "\"},\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}}",
                PolicyType.RESOURCE);
        Decision d = PolicyEvaluator.iam().evaluate(EvaluationRequest.builder().principal(ALICE).action("s3:GetObject")
                .resource("arn:aws:s3:::b/k").resourceAccount(A)
                .context(RequestContext.builder().put("aws:PrincipalArn", ALICE).put("aws:SecureTransport", "false").build())
                .resourcePolicy(rp).build());
        assertThat(d.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(d.reason()).isEqualTo("no identity-based policy allows the request");
        assertThat(d.trace()).extracting(TraceEntry::result).containsExactly(Statement.Result.CONDITION_FAILED);
    }

    @Test
    void everyStatementOfEveryPolicyIsTraced() {
        Decision d = evaluate("AUTH", SESSION, A, null, "{\"AWS\":\"arn:aws:iam::111122223333:role/Dev\"}", true, "ok", "ok");
        assertThat(d.trace()).extracting(TraceEntry::policyType).containsExactly(PolicyType.IDENTITY, PolicyType.SESSION,
                PolicyType.BOUNDARY, PolicyType.RESOURCE);
        assertThat(d.trace()).allMatch(TraceEntry::matched);
    }

    @Test
    void unnamedTrustAndResourcePoliciesAreNamedByTheirRoleInTheDecision() {
        Decision trust = evaluate("ASSUME", ALICE, A, null, "{\"AWS\":\"" + ALICE + "\"}", false, null, null);
        assertThat(trust.decidingStatements()).containsExactly(new StatementRef("trust", 0, null));
        Decision resource = evaluate("AUTH", ALICE, A, null, "{\"AWS\":\"" + ALICE + "\"}", false, null, null);
        assertThat(resource.decidingStatements()).containsExactly(new StatementRef("resource", 0, null));
    }

    /**
     * "When the principal and the resource are in different AWS accounts ... the identity-based
     * policy and the resource-based policy must both allow" (Cross-account policy evaluation
     * logic). Without a resourceAccount the owner is the account field of the resource ARN; an
     * ARN without one (S3) says nothing, so the request is taken as within the account.
     */
    @Test
    void theResourceArnNamesTheOwningAccountWhenTheRequestDoesNot() {
        Policy identity = Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sqs:*\",\"Resource\":\"*\"}}",
                PolicyType.IDENTITY);
        java.util.function.Function<String, Decision> send = queue -> PolicyEvaluator.iam().evaluate(
                EvaluationRequest.builder().principal(ALICE).action("sqs:SendMessage").resource(queue)
                        .context(RequestContext.builder().put("aws:PrincipalArn", ALICE).build())
                        .identityPolicy(identity).build());
        Decision other = send.apply("arn:aws:sqs:us-east-1:444455556666:queue");
        assertThat(other.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(other.reason()).isEqualTo("cross-account: the resource policy does not allow this caller");
        assertThat(send.apply("arn:aws:sqs:us-east-1:111122223333:queue").outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(send.apply("arn:aws:s3:::bucket/key").outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(send.apply("*").outcome()).isEqualTo(Outcome.ALLOW);
    }

    /**
     * Permissions boundaries are set "for an IAM entity (user or role)"; a service principal has
     * none, so the documented rule that a NotPrincipal Deny applies to every caller with a
     * boundary does not reach a service that NotPrincipal lists, even if a request carries one.
     */
    @Test
    void theNotPrincipalBoundaryRuleIsForIamEntitiesOnly() {
        Policy rp = Policy.parse("""
                {"Statement":[
                 {"Effect":"Deny","NotPrincipal":{"Service":"ec2.amazonaws.com"},"Action":"s3:*","Resource":"*"},
                 {"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"s3:*","Resource":"*"}]}""",
                PolicyType.RESOURCE);
        Policy boundary = Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}",
                PolicyType.BOUNDARY);
        Decision d = PolicyEvaluator.iam().evaluate(EvaluationRequest.builder().principal("ec2.amazonaws.com")
                .action("s3:GetObject").resource("arn:aws:s3:::b/k").resourceAccount(A).permissionsBoundary(boundary)
                .resourcePolicy(rp).build());
        assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(d.trace()).filteredOn(t -> t.policyType() == PolicyType.RESOURCE).extracting(TraceEntry::detail)
                .containsExactly("the caller is listed in NotPrincipal", "matched");
    }
}
