package dev.sts.policy.bench;

import dev.sts.policy.Decision;
import dev.sts.policy.EvaluationRequest;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicyEvaluator;
import dev.sts.policy.PolicyType;
import dev.sts.policy.RequestContext;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Evaluation cost, policies parsed once in {@code @Setup}:
 * <ul>
 *   <li>{@code rolePolicySet} — the "typical request": a role's policy set of ten
 *       statements in two identity policies (wildcards in actions and resources), the granting
 *       statement carrying two conditions (StringEquals on a principal tag, IpAddress);</li>
 *   <li>{@code withBucketPolicy} — heavier: the same plus a Deny guarded by a Null condition and
 *       a two-statement bucket policy (a TLS-only Deny with a Bool condition, an account grant):
 *       fourteen statements, four conditions;</li>
 *   <li>{@code earlyMatch} — a request for a service that only one statement names (the others
 *       fail on their action patterns);</li>
 *   <li>{@code parseAndCompile} — parsing the six-statement role policy (once per policy).</li>
 * </ul>
 *
 * <pre>
 * ./mvnw -pl policy-engine -Pbench package -DskipTests
 * java -jar policy-engine/target/policy-benchmarks.jar -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EvaluationBenchmark {

    static final String ROLE_POLICY = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"ListBuckets","Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:GetBucketLocation"],"Resource":"arn:aws:s3:::*"},
              {"Sid":"ReadReports","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::reports","arn:aws:s3:::reports/*"]},
              {"Sid":"WriteOwnPrefix","Effect":"Allow","Action":["s3:PutObject","s3:DeleteObject"],
               "Resource":"arn:aws:s3:::data-bucket/teams/*",
               "Condition":{"StringEquals":{"aws:PrincipalTag/team":["blue","green"]},
                            "IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}}},
              {"Sid":"Ec2Describe","Effect":"Allow","Action":"ec2:Describe*","Resource":"*"},
              {"Sid":"Ec2Own","Effect":"Allow","Action":["ec2:StartInstances","ec2:StopInstances"],"Resource":"arn:aws:ec2:*:*:instance/*"},
              {"Sid":"NoIam","Effect":"Deny","Action":"iam:*","Resource":"*"}]}""";

    /** Four more statements, no conditions: with ROLE_POLICY, a ten-statement role policy set. */
    static final String MANAGED_POLICY = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:*:log-group:/app/*"},
              {"Sid":"Kms","Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:111122223333:key/*"},
              {"Sid":"Sqs","Effect":"Allow","Action":"sqs:*Message*","Resource":"arn:aws:sqs:*:111122223333:app-*"},
              {"Sid":"Tables","Effect":"Allow","Action":["dynamodb:Get*","dynamodb:Query"],"Resource":"arn:aws:dynamodb:*:*:table/app-*"}]}""";

    static final String SHARED_POLICY = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:*:log-group:/app/*"},
              {"Sid":"Kms","Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:111122223333:key/*"},
              {"Sid":"Sqs","Effect":"Allow","Action":"sqs:*Message*","Resource":"arn:aws:sqs:*:111122223333:app-*"},
              {"Sid":"DenyUnencrypted","Effect":"Deny","Action":"s3:PutObject","Resource":"*",
               "Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}}]}""";

    static final String BUCKET_POLICY = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"TLSOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::data-bucket","arn:aws:s3:::data-bucket/*"],
               "Condition":{"Bool":{"aws:SecureTransport":"false"}}},
              {"Sid":"Account","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*",
               "Resource":"arn:aws:s3:::data-bucket/*"}]}""";

    private EvaluationRequest rolePolicySet;
    private EvaluationRequest request;
    private EvaluationRequest simple;

    @Setup
    public void setup() {
        Policy role = Policy.parse(ROLE_POLICY, PolicyType.IDENTITY, "role-inline");
        Policy shared = Policy.parse(SHARED_POLICY, PolicyType.IDENTITY, "shared-managed");
        Policy bucket = Policy.parse(BUCKET_POLICY, PolicyType.RESOURCE, "bucket");
        Policy managed = Policy.parse(MANAGED_POLICY, PolicyType.IDENTITY, "managed");
        RequestContext ctx = RequestContext.builder()
                .put("aws:PrincipalArn", "arn:aws:iam::111122223333:role/App")
                .put("aws:PrincipalAccount", "111122223333")
                .put("aws:PrincipalTag/team", "green")
                .put("aws:SourceIp", "10.1.2.3")
                .put("aws:SecureTransport", "true")
                .put("s3:x-amz-server-side-encryption", "aws:kms")
                .put("aws:CurrentTime", "2024-06-05T12:00:00Z")
                .build();
        rolePolicySet = EvaluationRequest.builder()
                .principal("arn:aws:sts::111122223333:assumed-role/App/i-0abc")
                .action("s3:PutObject")
                .resource("arn:aws:s3:::data-bucket/teams/green/report.csv")
                .resourceAccount("111122223333")
                .context(ctx)
                .identityPolicy(role)
                .identityPolicy(managed)
                .build();
        request = EvaluationRequest.builder()
                .principal("arn:aws:sts::111122223333:assumed-role/App/i-0abc")
                .action("s3:PutObject")
                .resource("arn:aws:s3:::data-bucket/teams/green/report.csv")
                .resourceAccount("111122223333")
                .context(ctx)
                .identityPolicy(role)
                .identityPolicy(shared)
                .resourcePolicy(bucket)
                .build();
        simple = EvaluationRequest.builder()
                .principal("arn:aws:sts::111122223333:assumed-role/App/i-0abc")
                .action("ec2:DescribeInstances")
                .resource("*")
                .context(ctx)
                .identityPolicy(role)
                .identityPolicy(shared)
                .build();
        for (EvaluationRequest r : new EvaluationRequest[] {rolePolicySet, request, simple}) {
            Decision d = PolicyEvaluator.iam().evaluate(r);
            if (!d.isAllowed()) {
                throw new IllegalStateException("benchmark request must be allowed: " + d.explain());
            }
        }
        if (rolePolicySet.identityPolicies().stream().mapToInt(p -> p.statements().size()).sum() != 10) {
            throw new IllegalStateException("the role policy set must have ten statements");
        }
    }

    /** The typical request: ten statements with wildcards, two conditions on the granting one. */
    @Benchmark
    public Decision rolePolicySet() {
        return PolicyEvaluator.iam().evaluate(rolePolicySet);
    }

    /** Fourteen statements including a bucket policy, four conditions evaluated. */
    @Benchmark
    public Decision withBucketPolicy() {
        return PolicyEvaluator.iam().evaluate(request);
    }

    /** ec2:DescribeInstances: only one statement names the service. */
    @Benchmark
    public Decision earlyMatch() {
        return PolicyEvaluator.iam().evaluate(simple);
    }

    /** Parsing and compiling the role's inline policy (done once per policy, not per request). */
    @Benchmark
    public Policy parseAndCompile() {
        return Policy.parse(ROLE_POLICY, PolicyType.IDENTITY);
    }
}
