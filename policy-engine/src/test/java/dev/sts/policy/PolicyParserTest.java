package dev.sts.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Validation rules: every rejection names the place and the reason, never a Jackson message. */
class PolicyParserTest {

    private static String stmt(String body) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"},"
                + body + "]}";
    }

    private static MalformedPolicyException reject(String json, PolicyType type) {
        try {
            Policy.parse(json, type);
        } catch (MalformedPolicyException e) {
            assertThat(e.getMessage()).doesNotContain("com.fasterxml").doesNotContain("JsonParseException")
                    .doesNotContain("Source:").doesNotContain("[line:");
            return e;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void unknownOperatorIsNamedWithItsPlace() {
        MalformedPolicyException e = reject(stmt("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"StringEqualz\":{\"a:b\":\"c\"}}}"),
                PolicyType.IDENTITY);
        assertThat(e.getMessage()).isEqualTo("Statement[2].Condition: unknown operator \"StringEqualz\"");
        assertThat(e.code()).isEqualTo("MalformedPolicyDocument");
        assertThat(e.location()).isEqualTo("Statement[2].Condition");
        assertThat(e.reason()).isEqualTo("unknown operator \"StringEqualz\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing Effect              | {"Action":"s3:*","Resource":"*"}                                   | Statement[1]: missing required element "Effect"
            bad Effect                  | {"Effect":"allow","Action":"s3:*","Resource":"*"}                  | Statement[1].Effect: must be "Allow" or "Deny", found "allow"
            Action and NotAction        | {"Effect":"Allow","Action":"s3:*","NotAction":"s3:*","Resource":"*"} | Statement[1]: "Action" and "NotAction" cannot both be present
            Resource and NotResource    | {"Effect":"Allow","Action":"s3:*","Resource":"*","NotResource":"*"} | Statement[1]: "Resource" and "NotResource" cannot both be present
            empty action list           | {"Effect":"Allow","Action":[],"Resource":"*"}                      | Statement[1].Action: must not be an empty list
            bad action                  | {"Effect":"Allow","Action":["s3:Get","GetObject"],"Resource":"*"}  | Statement[1].Action[1]: "GetObject" is not a valid action (expected "service:action", e.g. "s3:GetObject", or "*")
            wildcard service prefix     | {"Effect":"Allow","Action":"s*:Get","Resource":"*"}                | Statement[1].Action: "s*:Get" is not a valid action: the service prefix "s*" may contain only letters, digits and '-'
            bad ARN                     | {"Effect":"Allow","Action":"s3:*","Resource":"bucket/*"}           | Statement[1].Resource: "bucket/*" is not a valid resource: expected an ARN (arn:partition:service:region:account:resource) or "*"
            empty service in short ARN  | {"Effect":"Allow","Action":"s3:*","Resource":["*","arn:aws:"]}    | Statement[1].Resource[1]: "arn:aws:" is not a valid ARN: the service field is empty
            empty partition             | {"Effect":"Allow","Action":"s3:*","Resource":"arn::s3:::b"}        | Statement[1].Resource: "arn::s3:::b" is not a valid ARN: the partition field is empty
            missing Resource            | {"Effect":"Allow","Action":"s3:*"}                                 | Statement[1]: missing required element "Resource" or "NotResource"
            Principal in identity       | {"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}  | Statement[1]: "Principal" is not allowed in an identity-based policy (the principal is the identity the policy is attached to)
            unknown element             | {"Effect":"Allow","Action":"s3:*","Resource":"*","Conditions":{}}   | Statement[1]: unknown element "Conditions"
            Sid characters              | {"Sid":"my sid","Effect":"Allow","Action":"s3:*","Resource":"*"}   | Statement[1].Sid: "my sid" is not valid: IAM policies allow only A-Z, a-z and 0-9 in a Sid
            Condition not an object     | {"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":"x"}  | Statement[1].Condition: must be an object mapping condition operators to {key: values} blocks, found a string
            operator block not object   | {"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":true}} | Statement[1].Condition.Bool: must be an object mapping condition keys to values, found a boolean
            nested condition value      | {"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":{}}}} | Statement[1].Condition.Bool["aws:SecureTransport"]: condition values must be a string, number, boolean or an array of them, found an object
            Null with a non-boolean     | {"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Null":{"a:b":"maybe"}}} | Statement[1].Condition.Null["a:b"]: the Null operator takes "true" or "false", found "maybe"
            NullIfExists                | {"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"a:b":"true"}}} | Statement[1].Condition: unknown operator "NullIfExists"
            ForAnyValue:Null            | {"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAnyValue:Null":{"a:b":"true"}}} | Statement[1].Condition: unknown operator "ForAnyValue:Null"
            action not a string         | {"Effect":"Allow","Action":["s3:*",7],"Resource":"*"}              | Statement[1].Action[1]: must be a string (an action), found a number
            """)
    void identityPolicyRules(String rule, String statement, String message) {
        assertThat(reject(stmt(statement), PolicyType.IDENTITY).getMessage()).as(rule).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not an object        | []                                                        | Policy: must be a JSON object, found an array
            unknown top level    | {"Statement":[],"Foo":1}                                  | Policy: unknown element "Foo" (expected Version, Id and Statement)
            missing Statement    | {"Version":"2012-10-17"}                                  | Policy: missing required element "Statement"
            bad Version          | {"Version":"2012-10-18","Statement":[]}                   | Version: unsupported value "2012-10-18" (expected "2012-10-17" or "2008-10-17")
            numeric Version      | {"Version":2012,"Statement":[]}                           | Version: must be a string, found a number
            Statement a string   | {"Statement":"x"}                                         | Statement: must be an object or an array of objects, found a string
            Statement item       | {"Statement":[1]}                                         | Statement[0]: must be an object, found a number
            Id in identity       | {"Id":"x","Statement":[]}                                 | Id: not allowed in an identity-based policy (the Id element belongs to resource-based policies)
            duplicate element    | {"Statement":[{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}]} | Statement[0]: duplicate element "Effect" (each element may appear only once)
            duplicate top level  | {"Statement":[],"Statement":[]}                           | Policy: duplicate element "Statement" (each element may appear only once)
            """)
    void documentRules(String rule, String json, String message) {
        assertThat(reject(json, PolicyType.IDENTITY).getMessage()).as(rule).isEqualTo(message);
    }

    @Test
    void duplicateSidsAreRejected() {
        String json = "{\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},"
                + "{\"Sid\":\"A\",\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
        assertThat(reject(json, PolicyType.IDENTITY).getMessage())
                .isEqualTo("Statement[1].Sid: duplicate Sid \"A\" (also used by Statement[0]); Sids must be unique within a policy");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            truncated        | {"Statement": [           | Policy: invalid JSON at line 1, column 16: unexpected end of input
            bad token        | {"Statement": nope}       | Policy: invalid JSON at line 1, column 15: unrecognized token
            trailing token   | {"Statement": []} x       | Policy: invalid JSON at line 1, column 19: unrecognized token
            trailing value   | {"Statement": []} {}      | Policy: invalid JSON at line 1, column 19: unexpected content after the end of the document
            empty            | '   '                     | Policy: invalid JSON at line 1, column 1: the document is empty
            """)
    void syntaxErrorsAreReworded(String rule, String json, String message) {
        assertThat(reject(json, PolicyType.IDENTITY).getMessage()).as(rule).isEqualTo(message);
    }

    @Test
    void syntaxErrorOnALaterLine() {
        MalformedPolicyException e = reject("{\n  \"Statement\": [\n    {\"Effect\": \"Allow\",}\n  ]\n}", PolicyType.IDENTITY);
        assertThat(e.getMessage()).startsWith("Policy: invalid JSON at line 3, column ");
    }

    // ---- policy types

    private static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
              "Action":"sts:AssumeRole"}]}""";

    @Test
    void trustPolicyTakesPrincipalAndNoResource() {
        Policy p = Policy.parse(TRUST, PolicyType.TRUST);
        assertThat(p.statements()).hasSize(1);
        assertThat(p.statements().get(0).resource()).isNull();
        assertThat(reject(TRUST.replace("\"Action\"", "\"Resource\":\"*\",\"Action\""), PolicyType.TRUST).getMessage())
                .isEqualTo("Statement[0]: \"Resource\" is not allowed in a role trust policy (the resource is the role itself)");
        assertThat(reject(TRUST.replace("\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},", ""), PolicyType.TRUST)
                .getMessage()).isEqualTo("Statement[0]: missing required element \"Principal\": a role trust policy must name its principals");
        assertThat(reject(TRUST.replace("\"Allow\",\"Principal\"", "\"Deny\",\"NotPrincipal\""), PolicyType.TRUST).getMessage())
                .isEqualTo("Statement[0]: \"NotPrincipal\" is not allowed in a role trust policy");
        assertThat(reject(TRUST, PolicyType.IDENTITY).getMessage()).contains("\"Principal\" is not allowed in an identity-based policy");
    }

    @Test
    void resourcePolicyRules() {
        String ok = """
                {"Id":"Bucket policy","Statement":[{"Sid":"Public read","Effect":"Allow","Principal":"*",
                  "Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}""";
        assertThat(Policy.parse(ok, PolicyType.RESOURCE).id()).contains("Bucket policy");
        assertThat(reject(ok.replace("\"Principal\":\"*\",", ""), PolicyType.RESOURCE).getMessage())
                .isEqualTo("Statement[0]: missing required element \"Principal\": a resource-based policy must name its principals");
        assertThat(reject(ok.replace("\"Principal\":\"*\"", "\"NotPrincipal\":{\"AWS\":\"111122223333\"}"), PolicyType.RESOURCE)
                .getMessage()).isEqualTo("Statement[0].NotPrincipal: can only be used with \"Effect\": \"Deny\"");
        assertThat(reject(ok.replace("\"Principal\":\"*\"", "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:user/*\"}"),
                PolicyType.RESOURCE).getMessage()).startsWith("Statement[0].Principal.AWS: invalid principal \"arn:aws:iam::111122223333:user/*\": a wildcard");
        assertThat(reject(ok.replace("\"Principal\":\"*\"", "\"Principal\":{\"Users\":\"x\"}"), PolicyType.RESOURCE).getMessage())
                .isEqualTo("Statement[0].Principal: unknown principal type \"Users\" (expected AWS, Service, Federated or CanonicalUser)");
        assertThat(reject(ok.replace("\"Principal\":\"*\"", "\"Principal\":{\"AWS\":[\"111122223333\",\"bob\"]}"), PolicyType.RESOURCE)
                .getMessage()).startsWith("Statement[0].Principal.AWS[1]: invalid principal \"bob\"");
        assertThat(reject(ok.replace("\"Principal\":\"*\"", "\"Principal\":\"arn:aws:iam::111122223333:root\""), PolicyType.RESOURCE)
                .getMessage()).startsWith("Statement[0].Principal: must be \"*\" or an object");
        assertThat(reject(ok.replace("\"Principal\":\"*\"", "\"Principal\":{}"), PolicyType.RESOURCE).getMessage())
                .isEqualTo("Statement[0].Principal: must name at least one principal");
    }

    @Test
    void validPrincipalForms() {
        String json = """
                {"Statement":[{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::123456789012:root",
                  "arn:aws:iam::123456789012:user/path/u","arn:aws:iam::123456789012:role/r",
                  "arn:aws:sts::123456789012:assumed-role/r/s","arn:aws:sts::123456789012:federated-user/f",
                  "AIDAJQABLZS4A3QDU576Q","*"],
                  "Service":["ec2.amazonaws.com"],"Federated":["accounts.google.com","arn:aws:iam::123456789012:saml-provider/p"],
                  "CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
                  "Action":"s3:*","Resource":"arn:aws:s3:::b"}]}""";
        assertThat(Policy.parse(json, PolicyType.RESOURCE).statements().get(0).principal().entries()).hasSize(4);
    }

    @Test
    void sessionAndBoundaryFollowTheIdentityGrammar() {
        String withPrincipal = "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}";
        assertThat(reject(withPrincipal, PolicyType.SESSION).getMessage()).contains("not allowed in a session policy");
        assertThat(reject(withPrincipal, PolicyType.BOUNDARY).getMessage()).contains("not allowed in a permissions boundary");
    }

    @Test
    void sizeQuotasPerType() {
        StringBuilder big = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        for (int i = 0; i < 40; i++) {
            big.append(i == 0 ? "" : ",").append("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}");
        }
        big.append("]}");
        MalformedPolicyException e = reject(big.toString(), PolicyType.TRUST);
        assertThat(e.code()).isEqualTo("LimitExceeded");
        assertThat(e.getMessage()).startsWith("Policy: size ").contains("exceeds the 2048-character quota for a role trust policy");
        // the same size is fine for a resource policy (no engine-wide quota)
        assertThat(Policy.parse(big.toString().replace("\"Action\":\"sts:AssumeRole\"", "\"Action\":\"s3:*\",\"Resource\":\"*\""),
                PolicyType.RESOURCE).statements()).hasSize(40);
    }

    @Test
    void awsManagedDocumentsKeepTheGrammarButNotTheCustomerQuota() {
        StringBuilder big = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[");
        for (int i = 0; i < 1200; i++) {
            big.append(i == 0 ? "" : ",").append("\"svc").append(i).append(":Get*\"");
        }
        big.append("],\"Resource\":\"*\"}]}");
        String json = big.toString();
        assertThat(PolicySize.of(json)).isGreaterThan(PolicyType.IDENTITY.maxSize());
        assertThat(reject(json, PolicyType.IDENTITY).code()).isEqualTo("LimitExceeded");

        Policy p = Policy.parseAwsManaged(json, PolicyType.IDENTITY, "arn:aws:iam::aws:policy/Big");
        assertThat(p.statements()).hasSize(1);
        assertThat(p.size()).isEqualTo(PolicySize.of(json));
        assertThat(Policy.parseAwsManaged(json, PolicyType.BOUNDARY, "b").type()).isEqualTo(PolicyType.BOUNDARY);
        // the grammar still applies
        assertThatThrownBy(() -> Policy.parseAwsManaged(json.replace("\"Resource\":\"*\"", "\"Principal\":\"*\""),
                PolicyType.IDENTITY, "x")).isInstanceOf(MalformedPolicyException.class);
        assertThatThrownBy(() -> Policy.parseAwsManaged(json, PolicyType.TRUST, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptedDetails() {
        Policy p = Policy.parse("""
                { "Statement" : { "Effect":"Deny", "NotAction":"iam:*", "NotResource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],
                  "Condition": {"StringEquals":{"aws:PrincipalTag/x":[1, true, false, "s"]}, "Bool":{}} } }""", PolicyType.BOUNDARY, "pb");
        assertThat(p.version()).isEmpty();
        assertThat(p.variablesEnabled()).isFalse();
        assertThat(p.name()).isEqualTo("pb");
        Statement s = p.statements().get(0);
        assertThat(s.effect()).isEqualTo(Effect.DENY);
        assertThat(s.action().isNot()).isTrue();
        assertThat(s.resource().isNot()).isTrue();
        assertThat(s.conditions().clauses()).hasSize(1);
        assertThat(s.conditions().clauses().get(0).policyValues()).containsExactly("1", "true", "false", "s");
        assertThat(Policy.parse("{\"Statement\":[]}", PolicyType.IDENTITY).statements()).isEmpty();
        assertThat(Policy.parse("{\"Statement\":[]}", PolicyType.IDENTITY).withName("n").name()).isEqualTo("n");
    }

    @Test
    void nullDocumentIsRejected() {
        assertThatThrownBy(() -> Policy.parse(null, PolicyType.IDENTITY)).isInstanceOf(MalformedPolicyException.class)
                .hasMessage("Policy: the document is missing");
    }

    @Test
    void deepNestingIsRejectedQuickly() {
        String deep = "{\"Statement\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        MalformedPolicyException e = reject(deep, PolicyType.IDENTITY);
        assertThat(e.getMessage()).startsWith("Policy: invalid JSON at line 1, column ").endsWith("nesting is too deep");
    }

    private static String bucketPolicyNaming(String principalJson) {
        return "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":" + principalJson
                + ",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}";
    }

    /**
     * AWS principals by unique ID: IAM's UserId/RoleId are 16 to 128 characters of upper-case
     * letters and digits (IAM API reference, e.g. "AIDACKCEVSQ6C2EXAMPLE"); groups cannot be
     * principals ("You cannot identify a user group as a principal"); a wildcard stands alone.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            AIDACKCEVSQ6C2EXAMPLE                     | true
            AROA0123456789AZ                          | true
            AROA012345678Z9                           | false
            AIDAcKCEVSQ6C2EXAMPLE                     | false
            AIDA_KCEVSQ6C2EXAMPLE                     | false
            arn:aws:iam::111122223333:group/devs      | false
            arn:aws:iam::111122223333:user/           | false
            arn:aws:iam::111122223333:role/path/      | false
            arn:aws:iam::111122223333:user/a b        | false
            arn:aws:sts::111122223333:federated-user/carol | true
            arn:aws:sts::111122223333:assumed-role/r/s | true
            arn:aws:sts::111122223333:assumed-role/r/  | false
            """)
    void awsPrincipalValues(String value, boolean valid) {
        String json = bucketPolicyNaming("{\"AWS\":\"" + value + "\"}");
        if (valid) {
            assertThat(Policy.parse(json, PolicyType.RESOURCE).statements()).hasSize(1);
        } else {
            assertThat(reject(json, PolicyType.RESOURCE).getMessage()).as(value)
                    .startsWith("Statement[0].Principal.AWS: invalid principal " + PolicyParser.q(value));
        }
    }

    @Test
    void uniqueIdsAreSixteenToOneHundredTwentyEightCharacters() {
        for (int length : new int[] {15, 16, 128, 129}) {
            String id = "AIDA" + "Z09".repeat(50).substring(0, length - 4);
            String json = bucketPolicyNaming("{\"AWS\":\"" + id + "\"}");
            if (length == 16 || length == 128) {
                assertThat(Policy.parse(json, PolicyType.RESOURCE).statements()).as("length %d", length).hasSize(1);
            } else {
                assertThat(reject(json, PolicyType.RESOURCE).reason()).as("length %d", length).startsWith("invalid principal");
            }
        }
    }

    @Test
    void aWildcardInAPrincipalOnlyStandsAlone() {
        for (String v : new String[] {"*111122223333", "?111122223333", "arn:aws:iam::111122223333:role/?"}) {
            assertThat(reject(bucketPolicyNaming("{\"AWS\":\"" + v + "\"}"), PolicyType.RESOURCE).reason()).as(v)
                    .endsWith("a wildcard may only stand alone (\"*\") and cannot match part of a name or ARN");
        }
        assertThat(reject(bucketPolicyNaming("{\"Service\":\"ec2 .amazonaws.com\"}"), PolicyType.RESOURCE).getMessage())
                .isEqualTo("Statement[0].Principal.Service: invalid principal \"ec2 .amazonaws.com\"");
    }

    /** "Unknown or duplicated elements are rejected" (README) at every level: Principal and Condition too. */
    @Test
    void duplicateKeysInsidePrincipalAndConditionAreRejected() {
        assertThat(reject(bucketPolicyNaming("{\"AWS\":\"111122223333\",\"AWS\":\"444455556666\"}"), PolicyType.RESOURCE)
                .getMessage()).isEqualTo("Statement[0].Principal: duplicate element \"AWS\" (each element may appear only once)");
        assertThat(reject(stmt("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":"
                + "{\"Bool\":{\"aws:SecureTransport\":\"true\"},\"Bool\":{\"aws:SecureTransport\":\"false\"}}}"),
                PolicyType.IDENTITY).getMessage())
                .isEqualTo("Statement[1].Condition: duplicate element \"Bool\" (each element may appear only once)");
        assertThat(reject(stmt("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":"
                + "{\"Bool\":{\"aws:SecureTransport\":\"true\",\"aws:SecureTransport\":\"false\"}}}"),
                PolicyType.IDENTITY).getMessage()).startsWith("Statement[1].Condition.Bool: duplicate element \"aws:SecureTransport\"");
    }

    /**
     * Actions are "service:action"; the service prefix is letters, digits and '-' (README), every
     * letter and digit included; no empty prefix, no whitespace or control character in the name.
     */
    @Test
    void actionSyntax() {
        for (String ok : new String[] {"a0-z9:Get", "A0-Z9:Get", "organizations:ListAccounts", "execute-api:Invoke"}) {
            assertThat(Policy.parse(stmt("{\"Effect\":\"Allow\",\"Action\":\"" + ok + "\",\"Resource\":\"*\"}"),
                    PolicyType.IDENTITY).statements()).as(ok).hasSize(2);
        }
        assertThat(reject(stmt("{\"Effect\":\"Allow\",\"Action\":\":GetObject\",\"Resource\":\"*\"}"), PolicyType.IDENTITY)
                .reason()).startsWith("\":GetObject\" is not a valid action (expected \"service:action\"");
        assertThat(reject(stmt("{\"Effect\":\"Allow\",\"Action\":\"s3:Get\\u0001Object\",\"Resource\":\"*\"}"),
                PolicyType.IDENTITY).reason()).endsWith("is not a valid action: it contains whitespace");
        assertThat(reject(stmt("{\"Effect\":\"Allow\",\"Action\":\"s3:Get Object\",\"Resource\":\"*\"}"),
                PolicyType.IDENTITY).reason()).isEqualTo("\"s3:Get Object\" is not a valid action: it contains whitespace");
        for (String bad : new String[] {"s_3:Get", "s3@:Get", "s3[:Get", "s3`:Get", "s3{:Get", "s3/:Get"}) {
            assertThat(reject(stmt("{\"Effect\":\"Allow\",\"Action\":\"" + bad + "\",\"Resource\":\"*\"}"),
                    PolicyType.IDENTITY).reason()).as(bad).contains("may contain only letters, digits and '-'");
        }
    }

    /** "The Sid element supports ASCII uppercase letters (A-Z), lowercase letters (a-z), and numbers (0-9)." */
    @Test
    void sidCharacters() {
        assertThat(Policy.parse(stmt("{\"Sid\":\"azAZ09\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"),
                PolicyType.IDENTITY).statements().get(1).sid()).isEqualTo("azAZ09");
        for (String bad : new String[] {"a@", "a[", "a`", "a{", "a/", "a:"}) {
            assertThat(reject(stmt("{\"Sid\":\"" + bad + "\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"),
                    PolicyType.IDENTITY).reason()).as(bad).endsWith("IAM policies allow only A-Z, a-z and 0-9 in a Sid");
        }
    }

    /** "Role trust policy length: 2,048 characters" and so on: the quota itself is allowed. */
    @Test
    void aPolicyOfExactlyTheQuotaIsAccepted() {
        String head = "{\"Statement\":[{\"Sid\":\"";
        String tail = "\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"sts:AssumeRole\"}]}";
        String exact = head + "S".repeat(2048 - head.length() - tail.length()) + tail;
        assertThat(PolicySize.of(exact)).isEqualTo(2048);
        assertThat(Policy.parse(exact, PolicyType.TRUST).size()).isEqualTo(2048);
        assertThat(reject(exact.replace("\"Sid\":\"", "\"Sid\":\"S"), PolicyType.TRUST).code()).isEqualTo("LimitExceeded");
    }

    /** Each kind of JSON error gets the engine's own wording (README: "never a Jackson message"). */
    @Test
    void moreSyntaxErrorsAreReworded() {
        assertThat(reject("{\"Statement\": \"a\u0001b\"}", PolicyType.IDENTITY).getMessage())
                .isEqualTo("Policy: invalid JSON at line 1, column 17: illegal control character in a string");
        assertThat(reject("{\"Statement\": \"\\q\"}", PolicyType.IDENTITY).getMessage())
                .isEqualTo("Policy: invalid JSON at line 1, column 17: invalid escape sequence");
        assertThat(reject("{\"Statement\": " + "1".repeat(1001) + "}", PolicyType.IDENTITY).reason())
                .endsWith(": value is too long");
        assertThat(reject("{\"Statement\": null}", PolicyType.IDENTITY).getMessage()).endsWith(", found null");
        assertThat(reject("{\"Statement\": 01}", PolicyType.IDENTITY).getMessage())
                .isEqualTo("Policy: invalid JSON at line 1, column 16: malformed JSON");
    }
}
