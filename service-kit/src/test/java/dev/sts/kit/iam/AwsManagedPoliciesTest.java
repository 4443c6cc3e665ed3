package dev.sts.kit.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.policy.Decision;
import dev.sts.policy.EvaluationRequest;
import dev.sts.policy.MalformedPolicyException;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicyEvaluator;
import dev.sts.policy.PolicySize;
import dev.sts.policy.PolicyType;
import dev.sts.proto.v1.ManagedPolicyState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The catalogue of AWS-managed policies: complete, AWS-shaped, and every document usable by the engine. */
class AwsManagedPoliciesTest {
    static final List<String> REQUIRED = List.of("AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess",
            "IAMReadOnlyAccess", "AmazonS3ReadOnlyAccess", "AmazonS3FullAccess", "AmazonDynamoDBReadOnlyAccess",
            "AmazonSQSFullAccess", "CloudWatchLogsReadOnlyAccess");
    static final String SESSION = "arn:aws:sts::000000000000:assumed-role/App/s1";

    @Test
    void theCatalogueHasTheRequiredPoliciesInArnOrder() {
        List<ManagedPolicyState> all = AwsManagedPolicies.all();
        assertThat(all).extracting(ManagedPolicyState::getPolicyName).containsAll(REQUIRED);
        assertThat(all).extracting(ManagedPolicyState::getArn).isSorted().doesNotHaveDuplicates();
        assertThat(AwsManagedPolicies.entries()).hasSameSizeAs(all);
    }

    @Test
    void everyEntryIsShapedAsAwsReportsIt() {
        for (AwsManagedPolicies.AwsManagedPolicy e : AwsManagedPolicies.entries()) {
            ManagedPolicyState p = e.state();
            assertThat(p.getArn()).isEqualTo("arn:aws:iam::aws:policy" + p.getPath() + p.getPolicyName());
            assertThat(p.getAccountId()).isEqualTo(AwsManagedPolicies.AWS_ACCOUNT);
            assertThat(p.getPath()).startsWith("/").endsWith("/");
            // AWS's policy ids: "ANPA" and 17 upper-case base-32 characters
            assertThat(p.getPolicyId()).matches("ANPA[A-Z2-7]{17}");
            assertThat(p.getDefaultVersionId()).matches("v[1-9][0-9]*");
            assertThat(p.getRevision()).isEqualTo(Long.parseLong(p.getDefaultVersionId().substring(1)));
            assertThat(p.hasUpdatedAt()).isTrue();
            assertThat(e.description()).isNotBlank();
            assertThat(e.source()).isEqualTo("https://docs.aws.amazon.com/aws-managed-policy/latest/reference/"
                    + p.getPolicyName() + ".html");
            assertThat(AwsManagedPolicies.isAwsManaged(p.getArn())).isTrue();
        }
    }

    @Test
    void everyDocumentParsesAsAnIdentityPolicyAndAsABoundary() {
        for (ManagedPolicyState p : AwsManagedPolicies.all()) {
            Policy identity = Policy.parseAwsManaged(p.getDefaultDocument(), PolicyType.IDENTITY, p.getArn());
            assertThat(identity.statements()).as(p.getPolicyName()).isNotEmpty();
            assertThat(Policy.parseAwsManaged(p.getDefaultDocument(), PolicyType.BOUNDARY, p.getArn()).statements())
                    .hasSameSizeAs(identity.statements());
        }
    }

    @Test
    void readOnlyAccessIsBeyondTheCustomerQuotaAndKeptWhole() {
        ManagedPolicyState readOnly = AwsManagedPolicies.find("arn:aws:iam::aws:policy/ReadOnlyAccess").orElseThrow();
        assertThat(readOnly.getDefaultVersionId()).isEqualTo("v188");
        int size = PolicySize.of(readOnly.getDefaultDocument());
        assertThat(size).isGreaterThan(PolicySize.MANAGED_POLICY_MAX).isGreaterThan(PolicyType.IDENTITY.maxSize());
        assertThatThrownBy(() -> Policy.parse(readOnly.getDefaultDocument(), PolicyType.IDENTITY))
                .isInstanceOf(MalformedPolicyException.class).hasMessageContaining("quota");
        assertThat(Policy.parseAwsManaged(readOnly.getDefaultDocument(), PolicyType.IDENTITY, readOnly.getArn()).size())
                .isEqualTo(size);
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @CsvSource({
        "AdministratorAccess, iam:CreateRole, arn:aws:iam::000000000000:role/Any, true",
        "PowerUserAccess, s3:PutObject, arn:aws:s3:::bucket/key, true",
        "PowerUserAccess, iam:CreateRole, arn:aws:iam::000000000000:role/Any, false",
        "PowerUserAccess, iam:ListRoles, *, true",
        "ReadOnlyAccess, s3:GetObject, arn:aws:s3:::bucket/key, true",
        "ReadOnlyAccess, iam:GetRole, arn:aws:iam::000000000000:role/Any, true",
        "ReadOnlyAccess, s3:PutObject, arn:aws:s3:::bucket/key, false",
        "IAMReadOnlyAccess, iam:GetRolePolicy, arn:aws:iam::000000000000:role/Any, true",
        "IAMReadOnlyAccess, iam:PutRolePolicy, arn:aws:iam::000000000000:role/Any, false",
        "AmazonS3ReadOnlyAccess, s3:ListBucket, arn:aws:s3:::bucket, true",
        "AmazonS3ReadOnlyAccess, s3:DeleteObject, arn:aws:s3:::bucket/key, false",
        "AmazonS3FullAccess, s3:DeleteObject, arn:aws:s3:::bucket/key, true",
        "AmazonDynamoDBReadOnlyAccess, dynamodb:GetItem, arn:aws:dynamodb:us-east-1:000000000000:table/t, true",
        "AmazonDynamoDBReadOnlyAccess, dynamodb:PutItem, arn:aws:dynamodb:us-east-1:000000000000:table/t, false",
        "AmazonSQSFullAccess, sqs:SendMessage, arn:aws:sqs:us-east-1:000000000000:q, true",
        "CloudWatchLogsReadOnlyAccess, logs:GetLogEvents, arn:aws:logs:us-east-1:000000000000:log-group:g, true",
        "CloudWatchLogsReadOnlyAccess, logs:PutLogEvents, arn:aws:logs:us-east-1:000000000000:log-group:g, false",
    })
    void theDocumentsGrantWhatTheirNamesSay(String name, String action, String resource, boolean allowed) {
        ManagedPolicyState p = AwsManagedPolicies.find("arn:aws:iam::aws:policy/" + name).orElseThrow();
        Decision d = PolicyEvaluator.iam().evaluate(EvaluationRequest.builder().principal(SESSION).action(action)
                .resource(resource)
                .identityPolicy(Policy.parseAwsManaged(p.getDefaultDocument(), PolicyType.IDENTITY, p.getArn())).build());
        assertThat(d.isAllowed()).as(d.reason()).isEqualTo(allowed);
    }

    @Test
    void findIsByArnInAnyPartitionAndNothingElse() {
        assertThat(AwsManagedPolicies.find("arn:aws-cn:iam::aws:policy/ReadOnlyAccess")).get()
                .satisfies(p -> {
                    assertThat(p.getArn()).isEqualTo("arn:aws-cn:iam::aws:policy/ReadOnlyAccess");
                    assertThat(p.getPolicyName()).isEqualTo("ReadOnlyAccess");
                });
        assertThat(AwsManagedPolicies.find("arn:aws:iam::aws:policy/NoSuchPolicy")).isEmpty();
        assertThat(AwsManagedPolicies.find("arn:aws:iam::000000000000:policy/ReadOnlyAccess")).isEmpty();
        assertThat(AwsManagedPolicies.find("arn:aws:iam::aws:policy/readonlyaccess")).isEmpty();
        assertThat(AwsManagedPolicies.find(null)).isEmpty();
        assertThat(AwsManagedPolicies.isAwsManaged("arn:aws:iam::aws:policy/service-role/Anything")).isTrue();
        assertThat(AwsManagedPolicies.isAwsManaged("arn:aws:iam::000000000000:policy/Mine")).isFalse();
    }
}
