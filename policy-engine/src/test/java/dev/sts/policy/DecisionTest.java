package dev.sts.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision carries the deciding statements and a trace that says why. */
class DecisionTest {

    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";

    private static final Policy IDENTITY = Policy.parse("""
            {"Version":"2012-10-17","Statement":[
              {"Sid":"ReadAll","Effect":"Allow","Action":"s3:Get*","Resource":"*"},
              {"Sid":"OnlyProd","Effect":"Allow","Action":"s3:PutObject","Resource":"*",
               "Condition":{"StringEquals":{"aws:PrincipalTag/env":["prod"]}}},
              {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::logs/*"}]}""",
            PolicyType.IDENTITY, "arn:aws:iam::111122223333:policy/Dev");

    private static EvaluationRequest.Builder request(String action, String resource) {
        return EvaluationRequest.builder().principal(ALICE).action(action).resource(resource)
                .resourceAccount("111122223333")
                .context(RequestContext.builder().put("aws:PrincipalArn", ALICE).put("aws:PrincipalTag/env", "dev").build())
                .identityPolicy(IDENTITY);
    }

    @Test
    void allowNamesTheGrantingStatement() {
        Decision d = PolicyEvaluator.iam().evaluate(request("s3:GetObject", "arn:aws:s3:::b/k").build());
        assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(d.isAllowed()).isTrue();
        assertThat(d.decidingStatements()).containsExactly(
                new StatementRef("arn:aws:iam::111122223333:policy/Dev", 0, "ReadAll"));
        assertThat(d.trace()).hasSize(3);
        assertThat(d.trace().get(0).matched()).isTrue();
        assertThat(d.trace().get(1).result()).isEqualTo(Statement.Result.ACTION_NOT_MATCHED);
        assertThat(d.trace().get(2).detail()).isEqualTo("action not matched");
        assertThat(d.explain()).startsWith("Allow: ").contains("decided by arn:aws:iam::111122223333:policy/Dev/ReadAll");
    }

    @Test
    void explicitDenyNamesTheDenyStatementByIndexWhenItHasNoSid() {
        Decision d = PolicyEvaluator.iam().evaluate(request("s3:DeleteObject", "arn:aws:s3:::logs/2024").build());
        assertThat(d.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(d.decidingStatements()).containsExactly(new StatementRef("arn:aws:iam::111122223333:policy/Dev", 2, null));
        assertThat(d.decidingStatements().get(0)).hasToString("arn:aws:iam::111122223333:policy/Dev/Statement[2]");
        assertThat(d.outcome().wireName()).isEqualTo("ExplicitDeny");
    }

    @Test
    void implicitDenySaysWhichConditionFailedAndWhy() {
        Decision d = PolicyEvaluator.iam().evaluate(request("s3:PutObject", "arn:aws:s3:::b/k").build());
        assertThat(d.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(d.decidingStatements()).isEmpty();
        assertThat(d.reason()).isEqualTo("no identity-based policy allows the request");
        TraceEntry onlyProd = d.trace().get(1);
        assertThat(onlyProd.statement().sid()).isEqualTo("OnlyProd");
        assertThat(onlyProd.result()).isEqualTo(Statement.Result.CONDITION_FAILED);
        assertThat(onlyProd.detail()).isEqualTo(
                "condition StringEquals aws:PrincipalTag/env: request value [\"dev\"] matches none of [\"prod\"]");
        assertThat(d.trace().get(0).result()).isEqualTo(Statement.Result.ACTION_NOT_MATCHED);
    }

    @Test
    void unnamedPoliciesAreLabelledByTheirRole() {
        Policy boundary = Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"ec2:*\",\"Resource\":\"*\"}}",
                PolicyType.BOUNDARY);
        Decision d = PolicyEvaluator.iam().evaluate(request("s3:GetObject", "arn:aws:s3:::b/k")
                .permissionsBoundary(boundary).build());
        assertThat(d.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(d.reason()).isEqualTo("the permissions boundary does not allow the request");
        assertThat(d.trace()).extracting(t -> t.statement().policy()).contains("boundary");
        assertThat(d.trace()).filteredOn(t -> t.policyType() == PolicyType.BOUNDARY).singleElement()
                .satisfies(t -> assertThat(t.detail()).isEqualTo("action not matched"));
    }

    @Test
    void resourcePolicyGrantAndCrossAccountReasons() {
        Policy bucket = Policy.parse("""
                {"Version":"2012-10-17","Statement":[{"Sid":"Alice","Effect":"Allow",
                 "Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""",
                PolicyType.RESOURCE, "bucket-policy");
        EvaluationRequest same = EvaluationRequest.builder().principal(ALICE).action("s3:GetObject").resource("arn:aws:s3:::b/k")
                .resourceAccount("111122223333").resourcePolicy(bucket).build();
        Decision d = PolicyEvaluator.iam().evaluate(same);
        assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(d.reason()).isEqualTo("the resource policy names the caller");
        assertThat(d.decidingStatements()).containsExactly(new StatementRef("bucket-policy", 0, "Alice"));

        EvaluationRequest cross = EvaluationRequest.builder().principal(ALICE).action("s3:GetObject").resource("arn:aws:s3:::b/k")
                .resourceAccount("999999999999").resourcePolicy(bucket).build();
        Decision c = PolicyEvaluator.iam().evaluate(cross);
        assertThat(c.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(c.reason()).isEqualTo("cross-account: the resource policy allows but no identity-based policy allows the request");
    }

    @Test
    void notPrincipalNotesInTheTrace() {
        Policy bucket = Policy.parse("""
                {"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/alice","111122223333"]},
                 "Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}""", PolicyType.RESOURCE);
        Decision d = PolicyEvaluator.iam().evaluate(request("s3:GetObject", "arn:aws:s3:::b/k").resourcePolicy(bucket).build());
        assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(d.trace()).filteredOn(t -> t.policyType() == PolicyType.RESOURCE).singleElement()
                .satisfies(t -> assertThat(t.detail()).isEqualTo("the caller is listed in NotPrincipal"));
    }

    @Test
    void requestsAreImmutableValues() {
        EvaluationRequest r = request("s3:GetObject", "arn:aws:s3:::b/k").build();
        assertThat(r.identityPolicies()).hasSize(1);
        assertThat(r.sessionPolicies()).isEmpty();
        assertThat(r.principal().kind()).isEqualTo(RequestPrincipal.Kind.USER);
        assertThat(r.context().get("AWS:PRINCIPALTAG/ENV")).contains(List.of("dev"));
        assertThat(r.context().isMultiValued("aws:PrincipalTag/env")).isFalse();
        assertThat(r.kind()).isEqualTo(RequestKind.AUTHORIZATION);
    }

    @Test
    void decisionsDoNotChangeWithTheListsTheyWereMadeFrom() {
        List<StatementRef> refs = new java.util.ArrayList<>(List.of(new StatementRef("p", 0, null)));
        Decision d = PolicyEvaluator.iam().evaluate(request("s3:GetObject", "arn:aws:s3:::b/k").build());
        List<TraceEntry> trace = new java.util.ArrayList<>(d.trace());
        Decision copy = new Decision(Outcome.EXPLICIT_DENY, refs, "r", trace);
        refs.clear();
        trace.clear();
        assertThat(copy.decidingStatements()).containsExactly(new StatementRef("p", 0, null));
        assertThat(copy.trace()).hasSize(3);
        assertThat(copy.isAllowed()).isFalse();
        assertThat(new Decision(Outcome.IMPLICIT_DENY, List.of(), "r", List.of()).isAllowed()).isFalse();
        assertThat(Outcome.ALLOW.isAllowed()).isTrue();
        assertThat(Outcome.EXPLICIT_DENY.isAllowed()).isFalse();
        assertThat(Outcome.IMPLICIT_DENY.isAllowed()).isFalse();
        // the evaluator's own lists are read-only
        assertThatThrownBy(() -> d.trace().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> d.decidingStatements().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void explainListsEveryStatementWithItsEffectAndWhatHappened() {
        Decision d = PolicyEvaluator.iam().evaluate(request("s3:DeleteObject", "arn:aws:s3:::logs/2024").build());
        assertThat(d.trace()).extracting(TraceEntry::matched).containsExactly(false, false, true);
        assertThat(d.trace()).extracting(TraceEntry::effect).containsExactly(Effect.ALLOW, Effect.ALLOW, Effect.DENY);
        assertThat(d.explain()).isEqualTo("""
                ExplicitDeny: an applicable Deny statement overrides any Allow
                  decided by arn:aws:iam::111122223333:policy/Dev/Statement[2]
                  arn:aws:iam::111122223333:policy/Dev/ReadAll [Allow] action not matched
                  arn:aws:iam::111122223333:policy/Dev/OnlyProd [Allow] action not matched
                  arn:aws:iam::111122223333:policy/Dev/Statement[2] [Deny] matched
                """);
        assertThat(Effect.ALLOW.json()).isEqualTo("Allow");
        assertThat(Effect.DENY.json()).isEqualTo("Deny");
    }

    @Test
    void theTraceIsAListOfExactlyTheStatementsLookedAt() {
        Decision d = PolicyEvaluator.iam().evaluate(request("s3:GetObject", "arn:aws:s3:::b/k").build());
        assertThat(d.trace()).hasSize(3);
        assertThatThrownBy(() -> d.trace().get(3))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> d.trace().get(-1))
                .isInstanceOf(IndexOutOfBoundsException.class);
        Decision none = PolicyEvaluator.iam().evaluate(EvaluationRequest.builder().principal(ALICE).action("s3:GetObject")
                .resource("arn:aws:s3:::b/k").build());
        assertThat(none.trace()).isEmpty();
        assertThat(none.reason()).isEqualTo("no identity-based policy allows the request");
    }

    /**
     * A resource-policy statement that names the caller's account (or, for a role session, its
     * role) is shown with that note: naming the account delegates to the account's IAM policies,
     * naming the role grants within boundary and session policies (Policy evaluation logic;
     * Permissions boundaries).
     */
    @Test
    void theTraceSaysHowAResourcePolicyNamedTheCaller() {
        String session = "arn:aws:sts::111122223333:assumed-role/Dev/s1";
        Policy bucket = Policy.parse("""
                {"Statement":[
                 {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"},
                 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Dev"},"Action":"s3:*","Resource":"*"},
                 {"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/Dev/s1"},"Action":"s3:*","Resource":"*"},
                 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Dev"},"Action":"s3:*","Resource":"arn:aws:s3:::other/*"}]}""",
                PolicyType.RESOURCE);
        Decision d = PolicyEvaluator.iam().evaluate(EvaluationRequest.builder().principal(session).action("s3:GetObject")
                .resource("arn:aws:s3:::b/k").resourceAccount("111122223333")
                .context(RequestContext.builder().put("aws:PrincipalArn", "arn:aws:iam::111122223333:role/Dev").build())
                .resourcePolicy(bucket).build());
        assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(d.trace()).extracting(TraceEntry::detail).containsExactly(
                "matched (names the caller's account)",
                "matched (names the caller's role or federating user)",
                "matched",
                "resource not matched");
        // the session named itself is the strongest grant, and decides
        assertThat(d.decidingStatements()).extracting(StatementRef::index).containsExactly(2);
    }

    /**
     * "Resource-based policy statements that use NotPrincipal with Deny ... deny every principal
     * that has a permissions boundary attached, whatever NotPrincipal lists" (Permissions
     * boundaries page); the trace says why the Deny applied.
     */
    @Test
    void theTraceSaysWhyANotPrincipalDenyAppliedToABoundedCaller() {
        Policy bucket = Policy.parse("""
                {"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/alice","111122223333"]},
                 "Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}""", PolicyType.RESOURCE);
        Policy boundary = Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}",
                PolicyType.BOUNDARY);
        Decision d = PolicyEvaluator.iam().evaluate(request("s3:GetObject", "arn:aws:s3:::b/k").resourcePolicy(bucket)
                .permissionsBoundary(boundary).build());
        assertThat(d.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(d.trace()).filteredOn(t -> t.policyType() == PolicyType.RESOURCE).singleElement()
                .satisfies(t -> assertThat(t.detail()).isEqualTo(
                        "matched (NotPrincipal with Deny applies to every caller that has a permissions boundary)"));
        // a caller NotPrincipal does not list, without a boundary: the Deny applies, with no note
        Decision bob = PolicyEvaluator.iam().evaluate(EvaluationRequest.builder().principal("arn:aws:iam::111122223333:user/bob")
                .action("s3:GetObject").resource("arn:aws:s3:::b/k").resourceAccount("111122223333").resourcePolicy(bucket)
                .build());
        assertThat(bob.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(bob.trace()).singleElement().satisfies(t -> assertThat(t.detail()).isEqualTo("matched"));
    }

    /**
     * A resource policy that names the caller's role grants within the account, but boundary and
     * session policies still limit it (Permissions boundaries; Session policies): the decision
     * names the granting statement and the boundary and session statements that let it through,
     * and no identity statement.
     */
    @Test
    void aGrantToTheRoleIsDecidedWithTheBoundaryAndSessionPoliciesThatAgree() {
        String session = "arn:aws:sts::111122223333:assumed-role/Dev/s1";
        String any = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}";
        String ec2 = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"ec2:*\",\"Resource\":\"*\"}}";
        Policy bucket = Policy.parse("""
                {"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Dev"},"Action":"s3:*","Resource":"*"},
                 {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}]}""", PolicyType.RESOURCE, "bucket");
        Decision d = PolicyEvaluator.iam().evaluate(EvaluationRequest.builder().principal(session).action("s3:GetObject")
                .resource("arn:aws:s3:::b/k").resourceAccount("111122223333")
                .context(RequestContext.builder().put("aws:PrincipalArn", "arn:aws:iam::111122223333:role/Dev").build())
                .identityPolicy(Policy.parse(ec2, PolicyType.IDENTITY, "id"))
                .sessionPolicy(Policy.parse(any, PolicyType.SESSION, "ses"))
                .permissionsBoundary(Policy.parse(any, PolicyType.BOUNDARY, "pb"))
                .resourcePolicy(bucket).build());
        assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(d.reason()).isEqualTo("the resource policy names the caller's role; boundary and session policies agree");
        assertThat(d.decidingStatements()).containsExactly(new StatementRef("ses", 0, null), new StatementRef("pb", 0, null),
                new StatementRef("bucket", 0, null));
    }
}
