package dev.sts.role.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.policy.Effect;
import dev.sts.policy.Outcome;
import dev.sts.policy.PolicyType;
import dev.sts.role.domain.SimulationRequest.ContextEntry;
import dev.sts.role.domain.SimulationResult.MatchedStatement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SimulatePrincipalPolicy for a role, against the IAM API reference
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html, and its
 * EvaluationResult, Statement and ContextEntry data types) and the IAM User Guide's "Policy
 * evaluation logic", "Permissions boundaries" and "Cross account policy evaluation logic" pages.
 */
class PolicySimulatorTest {
    static final String ACCOUNT = "111122223333";
    static final String OTHER_ACCOUNT = "444455556666";
    static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/S3AccessRole";
    static final String S3_READ_ONLY_ARN = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
    /**
     * AmazonS3ReadOnlyAccess, default version v3, as the AWS managed policy reference prints it
     * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonS3ReadOnlyAccess.html).
     */
    static final String S3_READ_ONLY = """
            {
              "Version" : "2012-10-17",
              "Statement" : [
                {
                  "Effect" : "Allow",
                  "Action" : [
                    "s3:Get*",
                    "s3:List*",
                    "s3:Describe*",
                    "s3-object-lambda:Get*",
                    "s3-object-lambda:List*"
                  ],
                  "Resource" : "*"
                }
              ]
            }""";

    final PolicySimulator simulator = new PolicySimulator();

    /** The seed scenario's role: trusted by ec2.amazonaws.com (trust plays no part in a simulation), AmazonS3ReadOnlyAccess attached. */
    static SimulatedRole s3ReadOnlyRole() {
        return new SimulatedRole(ROLE_ARN, ACCOUNT, List.of(SimulatedRole.AttachedPolicy.managed(S3_READ_ONLY_ARN, S3_READ_ONLY)),
                null);
    }

    static SimulatedRole role(SimulatedRole.AttachedPolicy... policies) {
        return new SimulatedRole(ROLE_ARN, ACCOUNT, List.of(policies), null);
    }

    static String allow(String sid, String action, String resource) {
        return statementPolicy(sid, "Allow", action, resource, "");
    }

    static String statementPolicy(String sid, String effect, String action, String resource, String extra) {
        return """
                {"Version":"2012-10-17","Statement":[{%s"Effect":"%s","Action":"%s","Resource":"%s"%s}]}"""
                .formatted(sid == null ? "" : "\"Sid\":\"" + sid + "\",", effect, action, resource, extra);
    }

    /** A request with only actions; the rest set with the withers. */
    static Req actions(String... actions) {
        return new Req().actions(actions);
    }

    SimulationPage run(SimulatedRole role, Req req) {
        return simulator.simulate(role, req.build());
    }

    SimulationResult only(SimulatedRole role, Req req) {
        SimulationPage page = run(role, req);
        assertThat(page.results()).hasSize(1);
        return page.results().get(0);
    }

    static void assertRejected(ThrowingCallable call, ErrorCode code, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StsException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
        });
    }

    // The seed scenario: an EC2 role with AmazonS3ReadOnlyAccess.

    @Test
    void readOnlyAccessAllowsGetObjectWithItsStatementAndImplicitlyDeniesPutObject() {
        SimulationPage page = run(s3ReadOnlyRole(), actions("s3:GetObject", "s3:PutObject"));

        assertThat(page.nextPageToken()).isEmpty();
        assertThat(page.results()).extracting(SimulationResult::actionName, SimulationResult::resourceName,
                SimulationResult::decision)
                .containsExactly(
                        // ResourceArns: "If this parameter is not provided, then the value defaults to * (all resources)."
                        tuple("s3:GetObject", "*", Outcome.ALLOW),
                        tuple("s3:PutObject", "*", Outcome.IMPLICIT_DENY));
        SimulationResult get = page.results().get(0);
        // MatchedStatements: "the statements in the input policies that determine the result";
        // the managed policy is identified by its ARN, the Sid-less statement by its index
        assertThat(get.matchedStatements()).containsExactly(
                new MatchedStatement(S3_READ_ONLY_ARN, PolicyType.IDENTITY, "#0", Effect.ALLOW));
        assertThat(get.missingContextValues()).isEmpty();
        assertThat(get.trace().get(0)).startsWith("Allow: ");
        // nothing allows PutObject, so nothing decided it (AWS returns "MatchedStatements": [])
        SimulationResult put = page.results().get(1);
        assertThat(put.matchedStatements()).isEmpty();
        assertThat(put.missingContextValues()).isEmpty();
        assertThat(put.trace()).containsExactly("ImplicitDeny: no identity-based policy allows the request");
    }

    @Test
    void aSpecificObjectIsReadableToo() {
        SimulationResult r = only(s3ReadOnlyRole(),
                actions("s3:GetObject").resources("arn:aws:s3:::amzn-s3-demo-bucket/reports/q1.csv"));
        assertThat(r.resourceName()).isEqualTo("arn:aws:s3:::amzn-s3-demo-bucket/reports/q1.csv");
        assertThat(r.decision()).isEqualTo(Outcome.ALLOW);
    }

    @Test
    void inlinePoliciesAreNamedAfterTheRoleAndStatementsByTheirSid() {
        SimulatedRole role = role(SimulatedRole.AttachedPolicy.inline("ReadReports",
                allow("ReadQ1", "s3:GetObject", "arn:aws:s3:::reports/*")));
        SimulationResult r = only(role, actions("s3:GetObject").resources("arn:aws:s3:::reports/q1.csv"));
        assertThat(r.matchedStatements()).containsExactly(
                new MatchedStatement("inline:S3AccessRole/ReadReports", PolicyType.IDENTITY, "ReadQ1", Effect.ALLOW));
    }

    // PolicyInputList: extra identity-based policies.

    @Test
    void anExplicitDenyInAnInputOverridesTheRoleAllowAndIsTheOnlyMatchedStatement() {
        Req req = actions("s3:GetObject")
                .resources("arn:aws:s3:::secret-bucket/payroll.csv", "arn:aws:s3:::public-bucket/readme.txt")
                .policyInputs(statementPolicy("DenySecret", "Deny", "s3:*", "arn:aws:s3:::secret-bucket/*", ""));
        SimulationPage page = run(s3ReadOnlyRole(), req);

        assertThat(page.results()).extracting(SimulationResult::decision)
                .containsExactly(Outcome.EXPLICIT_DENY, Outcome.ALLOW);
        // "if only one statement denies that operation, then the explicit deny overrides any
        // allow. In addition, the deny statement is the only entry included in the result."
        // Inputs are identified as AWS identifies them: PolicyInputList.<n>, from 1.
        assertThat(page.results().get(0).matchedStatements()).containsExactly(
                new MatchedStatement("PolicyInputList.1", PolicyType.IDENTITY, "DenySecret", Effect.DENY));
        assertThat(page.results().get(1).matchedStatements()).extracting(MatchedStatement::sourcePolicyId)
                .containsExactly(S3_READ_ONLY_ARN);
    }

    /**
     * PolicyInputList holds identity-based policies "to include in the simulation", and
     * "cannot be 'scope-down' policies" (SimulateCustomPolicy): an input grants what the role
     * lacks, as an attached policy would. A session policy could only narrow.
     */
    @Test
    void anInputIsAnAdditionalIdentityPolicyNotASessionPolicy() {
        Req req = actions("s3:PutObject", "s3:GetObject")
                .policyInputs(allow("WriteUploads", "s3:PutObject", "*"));
        SimulationPage page = run(s3ReadOnlyRole(), req);
        assertThat(page.results()).extracting(SimulationResult::decision)
                .containsExactly(Outcome.ALLOW, Outcome.ALLOW);
        assertThat(page.results().get(0).matchedStatements()).containsExactly(
                new MatchedStatement("PolicyInputList.1", PolicyType.IDENTITY, "WriteUploads", Effect.ALLOW));
    }

    @Test
    void everyAllowThatGrantedIsListed() {
        Req req = actions("s3:GetObject").policyInputs(allow(null, "s3:GetObject", "*"), allow("Also", "s3:Get*", "*"));
        assertThat(only(s3ReadOnlyRole(), req).matchedStatements()).containsExactly(
                new MatchedStatement(S3_READ_ONLY_ARN, PolicyType.IDENTITY, "#0", Effect.ALLOW),
                new MatchedStatement("PolicyInputList.1", PolicyType.IDENTITY, "#0", Effect.ALLOW),
                new MatchedStatement("PolicyInputList.2", PolicyType.IDENTITY, "Also", Effect.ALLOW));
    }

    // PermissionsBoundaryPolicyInputList and the role's own boundary.

    static final String LIST_ONLY = allow("ListOnly", "s3:List*", "*");
    static final String S3_ALL = allow("AllS3", "s3:*", "*");

    /** "The permissions boundary sets the maximum permissions that the entity can have." */
    @Test
    void aBoundaryInputRemovesWhatItDoesNotAllow() {
        SimulationPage page = run(s3ReadOnlyRole(), actions("s3:GetObject", "s3:ListBucket").boundaryInputs(LIST_ONLY));
        assertThat(page.results()).extracting(SimulationResult::decision)
                .containsExactly(Outcome.IMPLICIT_DENY, Outcome.ALLOW);
        assertThat(page.results().get(0).matchedStatements()).isEmpty();
        assertThat(page.results().get(0).trace().get(0))
                .isEqualTo("ImplicitDeny: the permissions boundary does not allow the request");
        assertThat(page.results().get(1).matchedStatements()).containsExactly(
                new MatchedStatement(S3_READ_ONLY_ARN, PolicyType.IDENTITY, "#0", Effect.ALLOW),
                new MatchedStatement("PermissionsBoundaryPolicyInputList.1", PolicyType.BOUNDARY, "ListOnly",
                        Effect.ALLOW));
    }

    /**
     * "if a permissions boundary is attached to an entity and you pass in a different
     * permissions boundary policy using this parameter, then the new permissions boundary
     * policy is used for the simulation."
     */
    @Test
    void aBoundaryInputReplacesTheRolesOwnBoundary() {
        String boundaryArn = "arn:aws:iam::" + ACCOUNT + ":policy/S3Boundary";
        SimulatedRole bounded = new SimulatedRole(ROLE_ARN, ACCOUNT, s3ReadOnlyRole().policies(),
                new SimulatedRole.Boundary(boundaryArn, S3_ALL));

        SimulationResult withOwn = only(bounded, actions("s3:GetObject"));
        assertThat(withOwn.decision()).isEqualTo(Outcome.ALLOW);
        assertThat(withOwn.matchedStatements()).contains(
                new MatchedStatement("boundary:" + boundaryArn, PolicyType.BOUNDARY, "AllS3", Effect.ALLOW));

        SimulationResult replaced = only(bounded, actions("s3:GetObject").boundaryInputs(LIST_ONLY));
        assertThat(replaced.decision()).isEqualTo(Outcome.IMPLICIT_DENY);
    }

    @Test
    void aDenyInTheRolesBoundaryIsNamedByTheBoundaryArn() {
        String boundaryArn = "arn:aws:iam::" + ACCOUNT + ":policy/NoDeletes";
        SimulatedRole bounded = new SimulatedRole(ROLE_ARN, ACCOUNT,
                List.of(SimulatedRole.AttachedPolicy.inline("All", allow(null, "s3:*", "*"))),
                new SimulatedRole.Boundary(boundaryArn, """
                        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
                         {"Sid":"NoDeletes","Effect":"Deny","Action":"s3:Delete*","Resource":"*"}]}"""));
        SimulationResult r = only(bounded, actions("s3:DeleteBucket"));
        assertThat(r.decision()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(r.matchedStatements()).containsExactly(
                new MatchedStatement("boundary:" + boundaryArn, PolicyType.BOUNDARY, "NoDeletes", Effect.DENY));
    }

    @Test
    void aRoleListsEachPolicyOnce() {
        assertThatThrownBy(() -> role(SimulatedRole.AttachedPolicy.managed(S3_READ_ONLY_ARN, S3_READ_ONLY),
                SimulatedRole.AttachedPolicy.managed(S3_READ_ONLY_ARN, S3_READ_ONLY)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRolesBoundaryAloneGrantsNothing() {
        SimulatedRole onlyBoundary = new SimulatedRole(ROLE_ARN, ACCOUNT, List.of(),
                new SimulatedRole.Boundary("arn:aws:iam::" + ACCOUNT + ":policy/S3Boundary", S3_ALL));
        assertThat(only(onlyBoundary, actions("s3:GetObject")).decision()).isEqualTo(Outcome.IMPLICIT_DENY);
    }

    // ResourcePolicy, ResourceOwner and CallerArn.

    static final String PARTNER_OBJECT = "arn:aws:s3:::partner-bucket/data.csv";

    static String grant(String principalArn) {
        return """
                {"Version":"2012-10-17","Statement":[{"Sid":"GrantPartnerRead","Effect":"Allow",
                 "Principal":{"AWS":"%s"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::partner-bucket/*"}]}"""
                .formatted(principalArn);
    }

    /**
     * Cross account, "the identity-based policy of the requester and the resource-based policy
     * of the resource must both allow" ("Cross account policy evaluation logic"). The bucket's
     * ARN names no account, so ResourceOwner says whose it is.
     */
    @Test
    void aResourcePolicyGrantsCrossAccountWhenTheIdentityPolicyAllowsToo() {
        Req req = actions("s3:GetObject").resources(PARTNER_OBJECT).resourceOwner(OTHER_ACCOUNT);

        assertThat(only(s3ReadOnlyRole(), req).decision()).as("identity policy alone, cross account")
                .isEqualTo(Outcome.IMPLICIT_DENY);

        SimulationResult granted = only(s3ReadOnlyRole(), req.resourcePolicy(grant(ROLE_ARN)));
        assertThat(granted.decision()).isEqualTo(Outcome.ALLOW);
        assertThat(granted.matchedStatements()).containsExactly(
                new MatchedStatement(S3_READ_ONLY_ARN, PolicyType.IDENTITY, "#0", Effect.ALLOW),
                new MatchedStatement("ResourcePolicy", PolicyType.RESOURCE, "GrantPartnerRead", Effect.ALLOW));

        SimulationResult noIdentity = only(role(), req.resourcePolicy(grant(ROLE_ARN)));
        assertThat(noIdentity.decision()).as("resource policy alone, cross account").isEqualTo(Outcome.IMPLICIT_DENY);
    }

    /** The API reference shows ResourceOwner as an account ARN as well: arn:aws:iam::<account>:root. */
    @Test
    void theOwnerMayBeGivenAsTheAccountArn() {
        Req req = actions("s3:GetObject").resources(PARTNER_OBJECT)
                .resourceOwner("arn:aws:iam::" + OTHER_ACCOUNT + ":root");
        assertThat(only(s3ReadOnlyRole(), req).decision()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(only(s3ReadOnlyRole(), req.resourcePolicy(grant(ROLE_ARN))).decision()).isEqualTo(Outcome.ALLOW);
    }

    /** Within one account a resource policy that names the principal allows on its own. */
    @Test
    void sameAccountTheResourcePolicyAloneAllows() {
        SimulationResult r = only(role(), actions("s3:GetObject").resources(PARTNER_OBJECT).resourcePolicy(grant(ROLE_ARN)));
        assertThat(r.decision()).isEqualTo(Outcome.ALLOW);
        assertThat(r.matchedStatements()).extracting(MatchedStatement::sourcePolicyId).containsExactly("ResourcePolicy");
    }

    /** CallerArn: "you simulate calling the API operations as Bob, as if Bob had David's policies." */
    @Test
    void theCallerArnIsThePrincipalTheResourcePolicySees() {
        String bob = "arn:aws:iam::" + ACCOUNT + ":user/Bob";
        Req req = actions("s3:GetObject").resources(PARTNER_OBJECT).resourcePolicy(grant(bob));
        assertThat(only(role(), req).decision()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(only(role(), req.callerArn(bob)).decision()).isEqualTo(Outcome.ALLOW);
    }

    /** "an explicit deny in any of these policies overrides the allow" ("Policy evaluation logic"). */
    @Test
    void aDenyInTheResourcePolicyIsExplicitAndNamed() {
        String denyAll = """
                {"Version":"2012-10-17","Statement":[{"Sid":"NoReads","Effect":"Deny","Principal":"*",
                 "Action":"s3:GetObject","Resource":"arn:aws:s3:::partner-bucket/*"}]}""";
        SimulationResult r = only(s3ReadOnlyRole(), actions("s3:GetObject").resources(PARTNER_OBJECT).resourcePolicy(denyAll));
        assertThat(r.decision()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(r.matchedStatements()).containsExactly(
                new MatchedStatement("ResourcePolicy", PolicyType.RESOURCE, "NoReads", Effect.DENY));
    }

    /** A resource whose ARN names its account belongs to that account, whatever ResourceOwner says. */
    @Test
    void anArnThatNamesItsAccountIsOwnedByIt() {
        String queue = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":jobs";
        Req req = actions("sqs:SendMessage").resources(queue).resourceOwner(OTHER_ACCOUNT)
                .policyInputs(allow(null, "sqs:SendMessage", queue));
        assertThat(only(role(), req).decision()).as("same account, identity policy suffices").isEqualTo(Outcome.ALLOW);
    }

    // MissingContextValues.

    static final String FROM_OFFICE = statementPolicy("FromOffice", "Allow", "s3:*", "*",
            ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}");
    static final String EC2_IN_REGION = statementPolicy("Ec2InRegion", "Allow", "ec2:*", "*",
            ",\"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":\"eu-west-1\"}}");

    /**
     * MissingContextValues: "A list of context keys that are required by the included input
     * policies but that were not provided by one of the input parameters." A statement for
     * another action (ec2:*) requires nothing of an s3 request.
     */
    @Test
    void aConditionKeyNotSuppliedIsReported() {
        SimulationResult r = only(role(), actions("s3:GetObject").policyInputs(FROM_OFFICE, EC2_IN_REGION));
        assertThat(r.decision()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(r.missingContextValues()).containsExactly("aws:SourceIp");
        assertThat(r.trace()).anyMatch(line -> line.contains("FromOffice") && line.contains("aws:SourceIp")
                && line.contains("absent"));
    }

    @Test
    void aSuppliedKeyIsNotReportedWhetherItsConditionHoldsOrNot() {
        Req inOffice = actions("s3:GetObject").policyInputs(FROM_OFFICE)
                .context(new ContextEntry("aws:SourceIp", List.of("203.0.113.7"), "ip"));
        SimulationResult allowed = only(role(), inOffice);
        assertThat(allowed.decision()).isEqualTo(Outcome.ALLOW);
        assertThat(allowed.missingContextValues()).isEmpty();

        Req elsewhere = actions("s3:GetObject").policyInputs(FROM_OFFICE)
                .context(new ContextEntry("aws:SourceIp", List.of("198.51.100.1"), "ip"));
        SimulationResult denied = only(role(), elsewhere);
        assertThat(denied.decision()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(denied.missingContextValues()).isEmpty();
    }

    /** Condition keys are case-insensitive ("Condition element": key names are not case-sensitive). */
    @Test
    void keysMatchIgnoringCase() {
        Req req = actions("s3:GetObject").policyInputs(FROM_OFFICE)
                .context(new ContextEntry("AWS:SOURCEIP", List.of("203.0.113.7"), "ip"));
        SimulationResult r = only(role(), req);
        assertThat(r.decision()).isEqualTo(Outcome.ALLOW);
        assertThat(r.missingContextValues()).isEmpty();
    }

    @Test
    void eachKeyOnceInEvaluationOrderFromEveryApplicablePolicy() {
        String mfaDeny = statementPolicy("NoMfaNoDelete", "Deny", "s3:Delete*", "*",
                ",\"Condition\":{\"BoolIfExists\":{\"aws:MultiFactorAuthPresent\":\"false\"}}");
        String tagged = statementPolicy("Tagged", "Allow", "s3:*", "*",
                ",\"Condition\":{\"StringEquals\":{\"aws:sourceip\":\"x\",\"aws:PrincipalTag/team\":\"red\"}}");
        SimulationResult r = only(role(), actions("s3:DeleteObject").policyInputs(FROM_OFFICE, mfaDeny, tagged));
        // the Deny applies: BoolIfExists holds when the key is absent, and the key is still missing
        assertThat(r.decision()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(r.missingContextValues())
                .containsExactly("aws:SourceIp", "aws:MultiFactorAuthPresent", "aws:PrincipalTag/team");
    }

    @Test
    void aResourcePolicyStatementForAnotherPrincipalRequiresNothing() {
        String forBob = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:user/Bob"},
                 "Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"""
                .formatted(ACCOUNT);
        SimulationResult r = only(role(), actions("s3:GetObject").resources("arn:aws:s3:::b/k").resourcePolicy(forBob));
        assertThat(r.missingContextValues()).isEmpty();
    }

    // ContextEntries and their ContextKeyType.

    static String condition(String operator, String key, String value) {
        return statementPolicy("Cond", "Allow", "s3:GetObject", "*",
                ",\"Condition\":{\"%s\":{\"%s\":%s}}".formatted(operator, key, value));
    }

    Outcome decide(String policy, ContextEntry... entries) {
        return only(role(), actions("s3:GetObject").policyInputs(policy).context(entries)).decision();
    }

    @Test
    void typedValuesReachTheOperators() {
        assertThat(decide(condition("Bool", "aws:MultiFactorAuthPresent", "\"true\""),
                new ContextEntry("aws:MultiFactorAuthPresent", List.of("true"), "boolean"))).isEqualTo(Outcome.ALLOW);
        assertThat(decide(condition("NumericLessThan", "aws:MultiFactorAuthAge", "\"3600\""),
                new ContextEntry("aws:MultiFactorAuthAge", List.of("120"), "numeric"))).isEqualTo(Outcome.ALLOW);
        assertThat(decide(condition("DateGreaterThan", "aws:CurrentTime", "\"2018-08-16T12:00:00Z\""),
                new ContextEntry("aws:CurrentTime", List.of("2019-04-25T11:00:00Z"), "date"))).isEqualTo(Outcome.ALLOW);
        assertThat(decide(condition("DateGreaterThan", "aws:CurrentTime", "\"2018-08-16T12:00:00Z\""),
                new ContextEntry("aws:CurrentTime", List.of("2014-04-25T11:00:00Z"), "date")))
                .isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(decide(condition("BinaryEquals", "test:Blob", "\"QmluYXJ5\""),
                new ContextEntry("test:Blob", List.of("QmluYXJ5"), "binary"))).isEqualTo(Outcome.ALLOW);
    }

    /** List types are multivalued keys: ForAllValues / ForAnyValue see every value. */
    @Test
    void listTypesAreMultivalued() {
        String onlyKnownTags = condition("ForAllValues:StringEquals", "aws:TagKeys", "[\"project\",\"team\"]");
        assertThat(decide(onlyKnownTags, new ContextEntry("aws:TagKeys", List.of("team", "project"), "stringList")))
                .isEqualTo(Outcome.ALLOW);
        assertThat(decide(onlyKnownTags, new ContextEntry("aws:TagKeys", List.of("team", "cost"), "stringList")))
                .isEqualTo(Outcome.IMPLICIT_DENY);
        String anyAdmin = condition("ForAnyValue:IpAddress", "test:Addresses", "\"10.0.0.0/8\"");
        assertThat(decide(anyAdmin, new ContextEntry("test:Addresses", List.of("192.0.2.1", "10.1.2.3"), "ipList")))
                .isEqualTo(Outcome.ALLOW);
    }

    @Test
    void withoutATypeOneValueIsAStringAndSeveralAList() {
        assertThat(decide(condition("StringEquals", "aws:PrincipalTag/team", "\"red\""),
                new ContextEntry("aws:PrincipalTag/team", List.of("red"), ""))).isEqualTo(Outcome.ALLOW);
        assertThat(decide(condition("ForAnyValue:StringEquals", "aws:TagKeys", "\"team\""),
                new ContextEntry("aws:TagKeys", List.of("cost", "team"), ""))).isEqualTo(Outcome.ALLOW);
    }

    static Stream<Arguments> badEntries() {
        return Stream.of(
                // ContextKeyType is AWS's enum, spelled as AWS spells it
                Arguments.of(List.of(new ContextEntry("aws:SourceIp", List.of("192.0.2.1"), "ipaddress")),
                        "context_entries[0].type"),
                Arguments.of(List.of(new ContextEntry("aws:SourceIp", List.of("192.0.2.1"), "IP")),
                        "context_entries[0].type"),
                Arguments.of(List.of(new ContextEntry("aws:SourceIp", List.of("192.0.2.1", "192.0.2.2"), "ip")),
                        "context_entries[0].values"),
                Arguments.of(List.of(new ContextEntry("aws:SourceIp", List.of(), "ip")), "context_entries[0].values"),
                Arguments.of(List.of(new ContextEntry("aws:SourceIp", List.of("192.0.2.0/24"), "ip")),
                        "context_entries[0].values[0]"),
                Arguments.of(List.of(new ContextEntry("aws:MultiFactorAuthAge", List.of("ten"), "numeric")),
                        "context_entries[0].values[0]"),
                Arguments.of(List.of(new ContextEntry("aws:MultiFactorAuthPresent", List.of("yes"), "boolean")),
                        "context_entries[0].values[0]"),
                Arguments.of(List.of(new ContextEntry("aws:CurrentTime", List.of("yesterday"), "date")),
                        "context_entries[0].values[0]"),
                Arguments.of(List.of(new ContextEntry("aws:CurrentTime", List.of("2019-01-01", "soon"), "dateList")),
                        "context_entries[0].values[1]"),
                Arguments.of(List.of(new ContextEntry("test:Blob", List.of("not base64!"), "binary")),
                        "context_entries[0].values[0]"),
                Arguments.of(List.of(new ContextEntry("aws:SourceIp", List.of("192.0.2.1"), "ip"),
                        new ContextEntry("AWS:SourceIP", List.of("192.0.2.2"), "ip")), "context_entries[1].key"));
    }

    @ParameterizedTest
    @MethodSource("badEntries")
    void unusableEntriesAreInvalidInputOnTheirField(List<ContextEntry> entries, String field) {
        assertRejected(() -> run(role(), actions("s3:GetObject").context(entries.toArray(ContextEntry[]::new))),
                ErrorCode.INVALID_INPUT, field);
    }

    // Bad input: the AWS error code and the field.

    static final String OK = allow(null, "s3:GetObject", "*");

    static String longPolicy(int statements) {
        StringBuilder sb = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        for (int i = 0; i < statements; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"Sid\":\"S").append(i)
                    .append("\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket-")
                    .append(i).append("/*\"}");
        }
        return sb.append("]}").toString();
    }

    static List<String> repeat(String value, int times) {
        return Collections.nCopies(times, value);
    }

    static Stream<Arguments> rejected() {
        String tooLong = " ".repeat(SimulationBounds.POLICY_DOCUMENT_MAX_CHARS - OK.length() + 1) + OK;
        return Stream.of(
                // bounds: ValidationError on the field, before anything is parsed
                Arguments.of(new Req(), ErrorCode.VALIDATION_ERROR, "action_names"),
                Arguments.of(new Req().actions(repeat("s3:GetObject", SimulationBounds.ACTION_NAMES_MAX + 1)),
                        ErrorCode.VALIDATION_ERROR, "action_names"),
                Arguments.of(actions("s3"), ErrorCode.VALIDATION_ERROR, "action_names[0]"),
                Arguments.of(actions("s3:" + "A".repeat(126)), ErrorCode.VALIDATION_ERROR, "action_names[0]"),
                Arguments.of(actions("s3:GetObject").resources(repeat("*", SimulationBounds.RESOURCE_ARNS_MAX + 1)
                        .toArray(String[]::new)), ErrorCode.VALIDATION_ERROR, "resource_arns"),
                Arguments.of(actions("s3:GetObject").resources("arn:aws:s3:::b", ""), ErrorCode.VALIDATION_ERROR,
                        "resource_arns[1]"),
                Arguments.of(actions("s3:GetObject").resources("arn:aws:s3:::" + "b".repeat(2_040)),
                        ErrorCode.VALIDATION_ERROR, "resource_arns[0]"),
                Arguments.of(actions("s3:GetObject").policyInputs(repeat(OK, SimulationBounds.POLICY_INPUTS_MAX + 1)
                        .toArray(String[]::new)), ErrorCode.VALIDATION_ERROR, "policy_input_list"),
                Arguments.of(actions("s3:GetObject").boundaryInputs(OK, OK), ErrorCode.VALIDATION_ERROR,
                        "permissions_boundary_policy_input_list"),
                Arguments.of(actions("s3:GetObject").policyInputs(OK, ""), ErrorCode.VALIDATION_ERROR,
                        "policy_input_list[1]"),
                Arguments.of(actions("s3:GetObject").policyInputs(tooLong), ErrorCode.VALIDATION_ERROR,
                        "policy_input_list[0]"),
                Arguments.of(actions("s3:GetObject").resourcePolicy(OK.replace("GetObject", "GetObjé\u20ac")),
                        ErrorCode.VALIDATION_ERROR, "resource_policy"),
                Arguments.of(actions("s3:GetObject").pageSize(SimulationBounds.PAGE_SIZE_MAX + 1),
                        ErrorCode.VALIDATION_ERROR, "page_size"),
                Arguments.of(actions("s3:GetObject").pageSize(-1), ErrorCode.VALIDATION_ERROR, "page_size"),
                Arguments.of(actions("s3:GetObject").context(IntStream.rangeClosed(0, SimulationBounds.CONTEXT_ENTRIES_MAX)
                        .mapToObj(i -> new ContextEntry("test:Key" + i, List.of("v"), "string"))
                        .toArray(ContextEntry[]::new)), ErrorCode.VALIDATION_ERROR, "context_entries"),
                Arguments.of(actions("s3:GetObject").context(new ContextEntry("aws:TagKeys",
                        repeat("t", SimulationBounds.CONTEXT_VALUES_MAX + 1), "stringList")),
                        ErrorCode.VALIDATION_ERROR, "context_entries[0].values"),
                Arguments.of(actions("s3:GetObject").context(new ContextEntry("aws", List.of("v"), "string")),
                        ErrorCode.VALIDATION_ERROR, "context_entries[0].key"),
                Arguments.of(actions("s3:GetObject").context(new ContextEntry("test:Key",
                        List.of("v".repeat(SimulationBounds.CONTEXT_VALUE_MAX_CHARS + 1)), "string")),
                        ErrorCode.VALIDATION_ERROR, "context_entries[0].values[0]"),
                Arguments.of(actions("s3:GetObject").callerArn("arn:aws:iam::" + ACCOUNT + ":user/" + "b".repeat(2_048)),
                        ErrorCode.VALIDATION_ERROR, "caller_arn"),
                // values that cannot be used: InvalidInput on the field
                Arguments.of(actions("s3:*"), ErrorCode.INVALID_INPUT, "action_names[0]"),
                Arguments.of(actions("s3:GetObject", "GetObject"), ErrorCode.INVALID_INPUT, "action_names[1]"),
                Arguments.of(actions("s3:GetObject").resources("my-bucket"), ErrorCode.INVALID_INPUT, "resource_arns[0]"),
                Arguments.of(actions("s3:GetObject").resourceOwner("partner"), ErrorCode.INVALID_INPUT, "resource_owner"),
                Arguments.of(actions("s3:GetObject").resourceOwner("arn:aws:iam::" + OTHER_ACCOUNT + ":user/x"),
                        ErrorCode.INVALID_INPUT, "resource_owner"),
                // CallerArn: "You cannot specify the ARN of an assumed role, federated user, or a service principal."
                Arguments.of(actions("s3:GetObject").callerArn("arn:aws:sts::" + ACCOUNT + ":assumed-role/S3AccessRole/i-0abc"),
                        ErrorCode.INVALID_INPUT, "caller_arn"),
                Arguments.of(actions("s3:GetObject").callerArn("ec2.amazonaws.com"), ErrorCode.INVALID_INPUT, "caller_arn"),
                // documents the policy engine rejects: MalformedPolicyDocument naming field and index
                Arguments.of(actions("s3:GetObject").policyInputs(OK, "{\"Statement\":"), ErrorCode.MALFORMED_POLICY_DOCUMENT,
                        "policy_input_list[1]"),
                Arguments.of(actions("s3:GetObject").policyInputs(OK.replace("\"Effect\"",
                        "\"Principal\":\"*\",\"Effect\"")), ErrorCode.MALFORMED_POLICY_DOCUMENT, "policy_input_list[0]"),
                Arguments.of(actions("s3:GetObject").boundaryInputs(OK.replace("Allow", "Permit")),
                        ErrorCode.MALFORMED_POLICY_DOCUMENT, "permissions_boundary_policy_input_list[0]"),
                Arguments.of(actions("s3:GetObject").resourcePolicy(OK), ErrorCode.MALFORMED_POLICY_DOCUMENT,
                        "resource_policy"),
                // over the identity-policy size quota, whitespace not counted
                Arguments.of(actions("s3:GetObject").policyInputs(longPolicy(150)), ErrorCode.LIMIT_EXCEEDED,
                        "policy_input_list[0]"));
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("rejected")
    void isRefusedWithTheCodeAndTheField(Req req, ErrorCode code, String field) {
        assertRejected(() -> run(s3ReadOnlyRole(), req), code, field);
    }

    @Test
    void aMalformedDocumentsMessageNamesFieldAndPlace() {
        assertThatThrownBy(() -> run(role(), actions("s3:GetObject")
                .policyInputs(OK, OK.replace("\"Effect\":\"Allow\"", "\"Effect\":\"Allow\",\"Condition\":{\"StringEqualz\":{}}"))))
                .hasMessageStartingWith("policy_input_list[1]: Statement[0].Condition");
    }

    /** Counts come before lengths, and both before any document is parsed. */
    @Test
    void boundsAreCheckedBeforeAnythingIsParsed() {
        assertRejected(() -> run(role(), new Req().actions(repeat("s3:GetObject", SimulationBounds.ACTION_NAMES_MAX + 1))
                .policyInputs("not json")), ErrorCode.VALIDATION_ERROR, "action_names");
        String tooLongAndMalformed = "x".repeat(SimulationBounds.POLICY_DOCUMENT_MAX_CHARS + 1);
        assertRejected(() -> run(role(), actions("s3:GetObject").policyInputs("not json", tooLongAndMalformed)),
                ErrorCode.VALIDATION_ERROR, "policy_input_list[1]");
        assertRejected(() -> run(role(), actions("s3:GetObject").policyInputs("not json")
                .context(new ContextEntry("aws", List.of("v"), "string"))), ErrorCode.VALIDATION_ERROR,
                "context_entries[0].key");
    }

    /** A stored document that no longer parses is this service's defect, never the requester's input error. */
    @Test
    void aStoredPolicyThatNoLongerParsesIsAnInternalError() {
        SimulatedRole broken = role(SimulatedRole.AttachedPolicy.inline("Broken", "{\"Statement\":"));
        assertThatThrownBy(() -> run(broken, actions("s3:GetObject")))
                .isInstanceOf(IllegalStateException.class)
                .isNotInstanceOf(StsException.class);
    }

    // Paging.

    static final String[] ACTIONS = {"s3:GetObject", "s3:PutObject", "s3:ListBucket"};
    static final String[] RESOURCES = {"arn:aws:s3:::a/1", "arn:aws:s3:::b/2"};

    Req sixPairs() {
        return actions(ACTIONS).resources(RESOURCES);
    }

    /** "Each operation is evaluated for each resource": one result per pair, actions outermost. */
    @Test
    void onePerPairActionsOutermost() {
        SimulationPage page = run(s3ReadOnlyRole(), sixPairs());
        assertThat(page.results()).extracting(SimulationResult::actionName, SimulationResult::resourceName)
                .containsExactly(
                        tuple("s3:GetObject", "arn:aws:s3:::a/1"), tuple("s3:GetObject", "arn:aws:s3:::b/2"),
                        tuple("s3:PutObject", "arn:aws:s3:::a/1"), tuple("s3:PutObject", "arn:aws:s3:::b/2"),
                        tuple("s3:ListBucket", "arn:aws:s3:::a/1"), tuple("s3:ListBucket", "arn:aws:s3:::b/2"));
        assertThat(page.nextPageToken()).isEmpty();
    }

    @Test
    void pagesFollowTheirTokensToTheEnd() {
        List<SimulationResult> all = run(s3ReadOnlyRole(), sixPairs()).results();
        List<SimulationResult> paged = new ArrayList<>();
        SimulationPage page = run(s3ReadOnlyRole(), sixPairs().pageSize(4));
        assertThat(page.results()).hasSize(4);
        paged.addAll(page.results());
        assertThat(page.nextPageToken()).isPresent();
        // the page size may change from one page to the next, as MaxItems may
        page = run(s3ReadOnlyRole(), sixPairs().pageSize(1).pageToken(page.nextPageToken().get()));
        assertThat(page.results()).hasSize(1);
        paged.addAll(page.results());
        page = run(s3ReadOnlyRole(), sixPairs().pageSize(4).pageToken(page.nextPageToken().get()));
        assertThat(page.results()).hasSize(1);
        paged.addAll(page.results());
        assertThat(page.nextPageToken()).isEmpty();
        assertThat(paged).isEqualTo(all);
    }

    @Test
    void theDefaultPageIsOneHundredResults() {
        String[] actions = IntStream.range(0, 101).mapToObj(i -> "s3:Action" + i).toArray(String[]::new);
        SimulationPage first = run(s3ReadOnlyRole(), actions(actions));
        assertThat(first.results()).hasSize(SimulationBounds.PAGE_SIZE_DEFAULT);
        SimulationPage second = run(s3ReadOnlyRole(), actions(actions).pageToken(first.nextPageToken().orElseThrow()));
        assertThat(second.results()).extracting(SimulationResult::actionName).containsExactly("s3:Action100");
    }

    static String token(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    static Stream<String> badTokens() {
        String fingerprint = SimulationPageToken.fingerprint(List.of(ACTIONS), List.of(RESOURCES));
        return Stream.of(
                "not a token!",
                token("hello"),
                token("sim1.2"),
                token("sim1.." + fingerprint),
                token("sim1.-1." + fingerprint),
                token("sim1.0." + fingerprint),
                token("sim1.6." + fingerprint),
                token("sim1.99999999999." + fingerprint),
                token("sim1.x2." + fingerprint),
                token("sim1.2." + fingerprint + "0"),
                SimulationPageToken.encode(2, SimulationPageToken.fingerprint(List.of(ACTIONS), List.of("*"))),
                "A".repeat(SimulationBounds.PAGE_TOKEN_MAX_CHARS + 1));
    }

    @ParameterizedTest
    @MethodSource("badTokens")
    void aTokenThisSimulationDidNotIssueIsInvalidInput(String token) {
        assertRejected(() -> run(s3ReadOnlyRole(), sixPairs().pageToken(token)), ErrorCode.INVALID_INPUT, "page_token");
    }

    @Test
    void aTokenOfAnotherActionListIsRefused() {
        SimulationPage page = run(s3ReadOnlyRole(), sixPairs().pageSize(2));
        String token = page.nextPageToken().orElseThrow();
        assertRejected(() -> run(s3ReadOnlyRole(), actions("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
                .resources(RESOURCES).pageToken(token)), ErrorCode.INVALID_INPUT, "page_token");
        assertThat(run(s3ReadOnlyRole(), sixPairs().pageToken(token)).results()).hasSize(4);
    }

    // The trace.

    @Test
    void showsTheReasonAndOnlyStatementsForThisActionAndResource() {
        SimulatedRole role = role(
                SimulatedRole.AttachedPolicy.inline("Mixed", """
                        {"Version":"2012-10-17","Statement":[
                          {"Sid":"Ec2","Effect":"Allow","Action":"ec2:*","Resource":"*"},
                          {"Sid":"OtherBucket","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"},
                          {"Sid":"Reports","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}"""));
        SimulationResult r = only(role, actions("s3:GetObject").resources("arn:aws:s3:::reports/q1.csv"));
        assertThat(r.trace()).hasSize(2);
        assertThat(r.trace().get(0)).startsWith("Allow: ");
        assertThat(r.trace().get(1)).contains("inline:S3AccessRole/Mixed").contains("Reports").contains("matched");
    }

    @Test
    void isCutAfterFiftyLines() {
        StringBuilder sb = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        for (int i = 0; i < 60; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"Sid\":\"S").append(i)
                    .append("\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}");
        }
        SimulatedRole role = role(SimulatedRole.AttachedPolicy.inline("Many", sb.append("]}").toString()));
        SimulationResult r = only(role, actions("s3:GetObject"));
        assertThat(r.matchedStatements()).hasSize(60);
        assertThat(r.trace()).hasSize(PolicySimulator.MAX_TRACE_LINES + 1);
        assertThat(r.trace().get(PolicySimulator.MAX_TRACE_LINES)).isEqualTo(
                "... and 11 more statements that matched the action and resource");
    }

    /** The request under construction. */
    static final class Req {
        List<String> policyInputs = List.of();
        List<String> boundaryInputs = List.of();
        List<String> actions = List.of();
        List<String> resources = List.of();
        String resourcePolicy = "";
        String resourceOwner = "";
        String callerArn = "";
        List<ContextEntry> context = List.of();
        int pageSize;
        String pageToken = "";

        Req copy() {
            Req r = new Req();
            r.policyInputs = policyInputs;
            r.boundaryInputs = boundaryInputs;
            r.actions = actions;
            r.resources = resources;
            r.resourcePolicy = resourcePolicy;
            r.resourceOwner = resourceOwner;
            r.callerArn = callerArn;
            r.context = context;
            r.pageSize = pageSize;
            r.pageToken = pageToken;
            return r;
        }

        Req actions(String... v) {
            return actions(List.of(v));
        }

        Req actions(List<String> v) {
            Req r = copy();
            r.actions = v;
            return r;
        }

        Req resources(String... v) {
            Req r = copy();
            r.resources = List.of(v);
            return r;
        }

        Req policyInputs(String... v) {
            Req r = copy();
            r.policyInputs = List.of(v);
            return r;
        }

        Req boundaryInputs(String... v) {
            Req r = copy();
            r.boundaryInputs = List.of(v);
            return r;
        }

        Req resourcePolicy(String v) {
            Req r = copy();
            r.resourcePolicy = v;
            return r;
        }

        Req resourceOwner(String v) {
            Req r = copy();
            r.resourceOwner = v;
            return r;
        }

        Req callerArn(String v) {
            Req r = copy();
            r.callerArn = v;
            return r;
        }

        Req context(ContextEntry... v) {
            Req r = copy();
            r.context = List.of(v);
            return r;
        }

        Req pageSize(int v) {
            Req r = copy();
            r.pageSize = v;
            return r;
        }

        Req pageToken(String v) {
            Req r = copy();
            r.pageToken = v;
            return r;
        }

        SimulationRequest build() {
            return new SimulationRequest(policyInputs, boundaryInputs, actions, resources, resourcePolicy, resourceOwner,
                    callerArn, context, pageSize, pageToken);
        }

        @Override
        public String toString() {
            return "actions=" + actions.size() + " resources=" + resources.size() + " inputs=" + policyInputs.size();
        }
    }
}
