package dev.sts.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random but overlapping policy documents and requests for property and fuzz tests: a small
 * vocabulary so that generated statements often match generated requests.
 */
final class PolicyGen {

    static final String A = "111122223333";
    static final String B = "444455556666";

    static final String[] ACTIONS = {"s3:GetObject", "s3:PutObject", "s3:ListBucket", "ec2:StartInstances",
        "iam:GetUser", "sts:AssumeRole", "S3:getobject"};
    static final String[] ACTION_PATTERNS = {"*", "s3:*", "s3:Get*", "s3:GetObject", "s3:*Object", "ec2:*",
        "iam:Get?ser", "sts:AssumeRole", "s3:List*", "iam:*"};
    static final String[] RESOURCES = {"arn:aws:s3:::bucket/a/file.txt", "arn:aws:s3:::bucket", "arn:aws:s3:::other/x",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-1", "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::111122223333:role/Target"};
    static final String[] RESOURCE_PATTERNS = {"*", "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", "arn:aws:s3:::*",
        "arn:aws:s3:::bucket/a/*", "arn:aws:ec2:*:*:instance/*", "arn:aws:iam::*:user/*",
        "arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:iam::111122223333:role/T?rget", "arn:aws:s3:::other/?"};
    static final String[] CONDITIONS = {
        "{\"StringEquals\":{\"aws:PrincipalTag/team\":\"blue\"}}",
        "{\"StringNotEquals\":{\"aws:PrincipalTag/team\":[\"red\",\"green\"]}}",
        "{\"StringLike\":{\"aws:username\":\"a*\"}}",
        "{\"Bool\":{\"aws:SecureTransport\":\"true\"}}",
        "{\"BoolIfExists\":{\"aws:MultiFactorAuthPresent\":\"true\"}}",
        "{\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":\"3600\"}}",
        "{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]}}",
        "{\"NotIpAddress\":{\"aws:SourceIp\":\"10.1.0.0/16\"}}",
        "{\"DateLessThan\":{\"aws:CurrentTime\":\"2024-06-10T00:00:00Z\"}}",
        "{\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"a\",\"b\"]}}",
        "{\"ForAnyValue:StringLike\":{\"aws:TagKeys\":\"b*\"}}",
        "{\"Null\":{\"aws:TokenIssueTime\":\"true\"}}",
        "{\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:user/*\"}}",
        "{\"StringEqualsIgnoreCase\":{\"aws:PrincipalTag/team\":\"BLUE\"},\"StringNotLikeIfExists\":{\"aws:username\":\"b*\"}}",
    };
    static final String[] PRINCIPALS = {"\"*\"", "{\"AWS\":\"111122223333\"}", "{\"AWS\":\"arn:aws:iam::444455556666:root\"}",
        "{\"AWS\":\"arn:aws:iam::111122223333:user/alice\"}", "{\"AWS\":\"arn:aws:iam::111122223333:role/Dev\"}",
        "{\"AWS\":[\"arn:aws:sts::111122223333:assumed-role/Dev/s1\",\"arn:aws:iam::444455556666:user/bob\"]}",
        "{\"Service\":\"ec2.amazonaws.com\"}", "{\"AWS\":\"*\"}"};
    static final String[] CALLERS = {"arn:aws:iam::111122223333:user/alice", "arn:aws:iam::444455556666:user/bob",
        "arn:aws:sts::111122223333:assumed-role/Dev/s1", "ec2.amazonaws.com", "anonymous",
        "arn:aws:sts::111122223333:federated-user/alice", "arn:aws:iam::111122223333:root"};

    private final Random rnd;

    PolicyGen(long seed) {
        this.rnd = new Random(seed);
    }

    Random random() {
        return rnd;
    }

    <T> T pick(T[] xs) {
        return xs[rnd.nextInt(xs.length)];
    }

    private String list(String[] xs, int max) {
        int n = 1 + rnd.nextInt(max);
        if (n == 1 && rnd.nextBoolean()) {
            return "\"" + pick(xs) + "\"";
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("\"" + pick(xs) + "\"");
        }
        return "[" + String.join(",", out) + "]";
    }

    /** One statement; {@code effect} null picks at random. */
    String statement(String effect, PolicyType type) {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"Effect\":\"").append(effect != null ? effect : (rnd.nextInt(4) == 0 ? "Deny" : "Allow")).append('"');
        boolean deny = sb.indexOf("Deny") >= 0;
        if (type == PolicyType.RESOURCE || type == PolicyType.TRUST) {
            if (deny && type == PolicyType.RESOURCE && rnd.nextInt(5) == 0) {
                sb.append(",\"NotPrincipal\":").append(pick(PRINCIPALS));
            } else {
                sb.append(",\"Principal\":").append(pick(PRINCIPALS));
            }
        }
        sb.append(rnd.nextInt(6) == 0 ? ",\"NotAction\":" : ",\"Action\":").append(list(ACTION_PATTERNS, 3));
        if (type != PolicyType.TRUST) {
            sb.append(rnd.nextInt(7) == 0 ? ",\"NotResource\":" : ",\"Resource\":").append(list(RESOURCE_PATTERNS, 3));
        }
        if (rnd.nextInt(3) == 0) {
            sb.append(",\"Condition\":").append(pick(CONDITIONS));
        }
        return sb.append('}').toString();
    }

    String policy(PolicyType type, int maxStatements) {
        int n = 1 + rnd.nextInt(maxStatements);
        List<String> st = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            st.add(statement(null, type));
        }
        return document(st, rnd.nextInt(5) == 0 ? "2008-10-17" : "2012-10-17");
    }

    static String document(List<String> statements, String version) {
        return "{\"Version\":\"" + version + "\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    static String withStatement(String policyJson, String statement) {
        int end = policyJson.lastIndexOf(']');
        String before = policyJson.substring(0, end);
        return before + (before.endsWith("[") ? "" : ",") + statement + policyJson.substring(end);
    }

    RequestContext context(String caller) {
        RequestContext.Builder b = RequestContext.builder();
        if (caller.startsWith("arn:")) {
            b.put("aws:PrincipalArn", caller.contains("assumed-role") ? "arn:aws:iam::111122223333:role/Dev" : caller);
            b.put("aws:PrincipalAccount", caller.split(":")[4]);
        }
        if (caller.contains(":user/")) {
            b.put("aws:username", caller.substring(caller.lastIndexOf('/') + 1));
        }
        if (rnd.nextBoolean()) {
            b.put("aws:PrincipalTag/team", rnd.nextBoolean() ? "blue" : "red");
        }
        if (rnd.nextBoolean()) {
            b.put("aws:SecureTransport", rnd.nextBoolean() ? "true" : "false");
        }
        if (rnd.nextBoolean()) {
            b.put("aws:MultiFactorAuthAge", Integer.toString(rnd.nextInt(7200)));
        }
        if (rnd.nextBoolean()) {
            b.put("aws:SourceIp", rnd.nextBoolean() ? "10.1.2.3" : "2001:db8::5");
        }
        if (rnd.nextBoolean()) {
            b.put("aws:CurrentTime", rnd.nextBoolean() ? "2024-06-01T00:00:00Z" : "2024-07-01T00:00:00Z");
        }
        if (rnd.nextBoolean()) {
            b.putMulti("aws:TagKeys", rnd.nextBoolean() ? List.of("a") : List.of("a", "bee"));
        }
        if (rnd.nextInt(3) == 0) {
            b.put("aws:TokenIssueTime", "2024-06-01T00:00:00Z");
        }
        return b.build();
    }

    /** A request with random identity/session/boundary/resource policies. */
    Scenario scenario() {
        Scenario s = new Scenario();
        s.kind = rnd.nextInt(5) == 0 ? RequestKind.ASSUME_ROLE : RequestKind.AUTHORIZATION;
        s.caller = pick(CALLERS);
        s.action = s.kind == RequestKind.ASSUME_ROLE ? "sts:AssumeRole" : pick(ACTIONS);
        s.resource = s.kind == RequestKind.ASSUME_ROLE ? "arn:aws:iam::111122223333:role/Target" : pick(RESOURCES);
        s.resourceAccount = rnd.nextInt(4) == 0 ? B : A;
        int ids = rnd.nextInt(3);
        for (int i = 0; i < ids; i++) {
            s.identity.add(policy(PolicyType.IDENTITY, 4));
        }
        if (rnd.nextInt(3) == 0) {
            s.session.add(policy(PolicyType.SESSION, 3));
        }
        if (rnd.nextInt(3) == 0) {
            s.boundary = policy(PolicyType.BOUNDARY, 3);
        }
        if (rnd.nextInt(2) == 0) {
            s.resourcePolicy = policy(s.kind == RequestKind.ASSUME_ROLE ? PolicyType.TRUST : PolicyType.RESOURCE, 3);
        }
        s.context = context(s.caller);
        return s;
    }

    /** A mutable description of a request, turned into an EvaluationRequest on demand. */
    static final class Scenario {
        RequestKind kind;
        String caller;
        String action;
        String resource;
        String resourceAccount;
        List<String> identity = new ArrayList<>();
        List<String> session = new ArrayList<>();
        String boundary;
        String resourcePolicy;
        RequestContext context;

        Scenario copy() {
            Scenario c = new Scenario();
            c.kind = kind;
            c.caller = caller;
            c.action = action;
            c.resource = resource;
            c.resourceAccount = resourceAccount;
            c.identity = new ArrayList<>(identity);
            c.session = new ArrayList<>(session);
            c.boundary = boundary;
            c.resourcePolicy = resourcePolicy;
            c.context = context;
            return c;
        }

        EvaluationRequest request() {
            EvaluationRequest.Builder b = EvaluationRequest.builder().kind(kind).principal(caller).action(action)
                    .resource(resource).resourceAccount(resourceAccount).context(context);
            identity.forEach(p -> b.identityPolicy(Policy.parse(p, PolicyType.IDENTITY)));
            session.forEach(p -> b.sessionPolicy(Policy.parse(p, PolicyType.SESSION)));
            if (boundary != null) {
                b.permissionsBoundary(Policy.parse(boundary, PolicyType.BOUNDARY));
            }
            if (resourcePolicy != null) {
                b.resourcePolicy(Policy.parse(resourcePolicy, kind == RequestKind.ASSUME_ROLE ? PolicyType.TRUST : PolicyType.RESOURCE));
            }
            return b.build();
        }

        Outcome evaluate() {
            return PolicyEvaluator.iam().evaluate(request()).outcome();
        }

        @Override
        public String toString() {
            return kind + " " + caller + " " + action + " " + resource + " acct=" + resourceAccount + "\n identity="
                    + identity + "\n session=" + session + "\n boundary=" + boundary + "\n resource=" + resourcePolicy
                    + "\n context=" + context;
        }
    }
}
