package dev.sts.role;

import static dev.sts.role.RoleTests.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.cluster.test.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.*;

/**
 * The IAM Query API of role-service with the AWS SDK for Java v2 as the client, signed with a
 * bootstrap access key, against the real service, PostgreSQL and Kafka: every action, its answer
 * in IAM's shapes, and its errors as the SDK reads them (exception type, code, HTTP status).
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "roles"))
class IamQueryApiTest {
    static final String ACCOUNT = RoleTests.ACCOUNT;
    static final String TRUST = RoleTests.TRUST;
    static final String S3_READ = RoleTests.S3_READ;
    static final String S3_WRITE = RoleTests.S3_WRITE;
    static IamClient iam;

    @BeforeAll
    static void connect() {
        iam = IamQueryClients.admin();
    }

    @AfterAll
    static void close() {
        iam.close();
    }

    static String decode(String urlEncoded) {
        return URLDecoder.decode(urlEncoded, StandardCharsets.UTF_8);
    }

    /** The SDK's exception for a call, checked for the IAM error code and HTTP status. */
    static <E extends AwsServiceException> E assertIamError(Runnable call, Class<E> type, String code, int status) {
        AwsServiceException[] thrown = new AwsServiceException[1];
        assertThatThrownBy(call::run).isInstanceOfSatisfying(type, e -> thrown[0] = e);
        AwsServiceException e = thrown[0];
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.requestId()).as("RequestId").isNotBlank();
        assertThat(e.awsErrorDetails().errorMessage()).isNotBlank().doesNotContain("Exception").doesNotContain("at dev.");
        return type.cast(e);
    }

    static Role createRole(String name) {
        return iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(TRUST)).role();
    }

    @Test
    void roleLifecycle() {
        String name = unique("QueryRole-");
        Role created = iam.createRole(b -> b.roleName(name).path("/apps/").assumeRolePolicyDocument(TRUST)
                .description("EC2 reads S3").maxSessionDuration(7200)
                .tags(Tag.builder().key("team").value("storage").build(), Tag.builder().key("env").value("dev").build()))
                .role();
        assertThat(created.arn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":role/apps/" + name);
        assertThat(created.roleId()).matches("AROA[A-Z2-7]{17}");
        assertThat(created.path()).isEqualTo("/apps/");
        assertThat(created.maxSessionDuration()).isEqualTo(7200);
        assertThat(created.description()).isEqualTo("EC2 reads S3");
        assertThat(created.createDate()).isNotNull();
        assertThat(decode(created.assumeRolePolicyDocument())).isEqualTo(TRUST);
        assertThat(created.tags()).extracting(Tag::key).containsExactly("team", "env");

        Role fetched = iam.getRole(b -> b.roleName(name.toUpperCase())).role();
        assertThat(fetched.roleId()).isEqualTo(created.roleId());
        assertThat(fetched.createDate()).isEqualTo(created.createDate());

        iam.updateRole(b -> b.roleName(name).description("changed").maxSessionDuration(3600));
        Role updated = iam.getRole(b -> b.roleName(name)).role();
        assertThat(updated.description()).isEqualTo("changed");
        assertThat(updated.maxSessionDuration()).isEqualTo(3600);

        String trust2 = TRUST.replace("ec2.amazonaws.com", "lambda.amazonaws.com");
        iam.updateAssumeRolePolicy(b -> b.roleName(name).policyDocument(trust2));
        assertThat(decode(iam.getRole(b -> b.roleName(name)).role().assumeRolePolicyDocument())).isEqualTo(trust2);

        iam.tagRole(b -> b.roleName(name).tags(Tag.builder().key("owner").value("me").build()));
        iam.untagRole(b -> b.roleName(name).tagKeys("env", "team"));
        assertThat(iam.getRole(b -> b.roleName(name)).role().tags()).extracting(Tag::key).containsExactly("owner");

        iam.deleteRole(b -> b.roleName(name));
        NoSuchEntityException missing = assertIamError(() -> iam.getRole(b -> b.roleName(name)),
                NoSuchEntityException.class, "NoSuchEntity", 404);
        assertThat(missing.awsErrorDetails().errorMessage()).isEqualTo("The role with name " + name + " cannot be found.");
    }

    @Test
    void roleErrorsHaveIamCodesAndStatuses() {
        String name = unique("QueryDup-");
        createRole(name);
        assertIamError(() -> createRole(name.toLowerCase()), EntityAlreadyExistsException.class, "EntityAlreadyExists",
                409);
        assertIamError(() -> iam.createRole(b -> b.roleName(unique("QueryBad-")).assumeRolePolicyDocument("{\"Statement\": [")),
                MalformedPolicyDocumentException.class, "MalformedPolicyDocument", 400);
        assertIamError(() -> iam.createRole(b -> b.roleName("has space").assumeRolePolicyDocument(TRUST)),
                IamException.class, "ValidationError", 400);
        // A missing required parameter is refused by the operation's own rule, as over gRPC.
        assertIamError(() -> iam.createRole(b -> b.assumeRolePolicyDocument(TRUST)), IamException.class,
                "ValidationError", 400);
        assertIamError(() -> iam.updateRole(b -> b.roleName(name).maxSessionDuration(60)), IamException.class,
                "ValidationError", 400);
    }

    @Test
    void pagingWithMarkerVisitsEveryRoleOnce() {
        String path = "/" + unique("paged") + "/";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String n = unique("Paged" + i + "-");
            iam.createRole(b -> b.roleName(n).path(path).assumeRolePolicyDocument(TRUST));
            names.add(n);
        }
        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String m = marker;
            ListRolesResponse page = iam.listRoles(b -> b.pathPrefix(path).maxItems(2).marker(m));
            pages++;
            assertThat(page.roles()).hasSizeLessThanOrEqualTo(2);
            page.roles().forEach(r -> seen.add(r.roleName()));
            assertThat(page.isTruncated()).isEqualTo(page.marker() != null);
            marker = page.marker();
        } while (marker != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(names);
        // The SDK's own paginator follows IsTruncated/Marker the same way.
        assertThat(iam.listRolesPaginator(b -> b.pathPrefix(path).maxItems(2)).roles()).extracting(Role::roleName)
                .containsExactlyInAnyOrderElementsOf(names);
        assertIamError(() -> iam.listRoles(b -> b.marker("not-a-marker")), InvalidInputException.class, "InvalidInput",
                400);
    }

    @Test
    void inlinePolicies() {
        String role = unique("QueryInline-");
        createRole(role);
        iam.putRolePolicy(b -> b.roleName(role).policyName("read").policyDocument(S3_READ));
        iam.putRolePolicy(b -> b.roleName(role).policyName("write").policyDocument(S3_WRITE));
        GetRolePolicyResponse got = iam.getRolePolicy(b -> b.roleName(role).policyName("read"));
        assertThat(got.roleName()).isEqualTo(role);
        assertThat(got.policyName()).isEqualTo("read");
        assertThat(decode(got.policyDocument())).isEqualTo(S3_READ);
        ListRolePoliciesResponse first = iam.listRolePolicies(b -> b.roleName(role).maxItems(1));
        assertThat(first.policyNames()).containsExactly("read");
        assertThat(first.isTruncated()).isTrue();
        ListRolePoliciesResponse second = iam.listRolePolicies(b -> b.roleName(role).marker(first.marker()));
        assertThat(second.policyNames()).containsExactly("write");
        assertThat(second.isTruncated()).isFalse();
        iam.deleteRolePolicy(b -> b.roleName(role).policyName("write"));
        assertThat(iam.listRolePolicies(b -> b.roleName(role)).policyNames()).containsExactly("read");

        assertIamError(() -> iam.getRolePolicy(b -> b.roleName(role).policyName("write")), NoSuchEntityException.class,
                "NoSuchEntity", 404);
        assertIamError(() -> iam.putRolePolicy(b -> b.roleName(role).policyName("bad").policyDocument("not json")),
                MalformedPolicyDocumentException.class, "MalformedPolicyDocument", 400);
        assertIamError(() -> iam.deleteRole(b -> b.roleName(role)), DeleteConflictException.class, "DeleteConflict", 409);
    }

    @Test
    void unicodeAndSpecialCharactersInADocumentRoundTrip() {
        String role = unique("QueryUnicode-");
        createRole(role);
        String document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Unicode1\",\"Effect\":\"Allow\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/caf\u00e9 \u65e5\u672c/\u00fcber+a&b=c%20d?#<x>~\\\"q\\\"\"}]}";
        iam.putRolePolicy(b -> b.roleName(role).policyName("unicode").policyDocument(document));
        String returned = iam.getRolePolicy(b -> b.roleName(role).policyName("unicode")).policyDocument();
        assertThat(returned).doesNotContain(" ", "+", "{").contains("%20", "%2B", "%C3%A9");
        assertThat(decode(returned)).isEqualTo(document);
    }

    @Test
    void managedPoliciesAttachmentsAndBoundaries() {
        String role = unique("QueryAttach-");
        createRole(role);
        String policyName = unique("QueryPolicy-");
        Policy policy = iam.createPolicy(b -> b.policyName(policyName).path("/team/").policyDocument(S3_READ)
                .description("reads").tags(Tag.builder().key("k").value("v").build())).policy();
        assertThat(policy.arn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":policy/team/" + policyName);
        assertThat(policy.defaultVersionId()).isEqualTo("v1");
        assertThat(policy.attachmentCount()).isZero();
        assertThat(policy.isAttachable()).isTrue();
        assertThat(policy.policyId()).startsWith("ANPA");

        iam.attachRolePolicy(b -> b.roleName(role).policyArn(policy.arn()));
        iam.attachRolePolicy(b -> b.roleName(role).policyArn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));
        assertThat(iam.getPolicy(b -> b.policyArn(policy.arn())).policy().attachmentCount()).isEqualTo(1);
        ListAttachedRolePoliciesResponse attached = iam.listAttachedRolePolicies(b -> b.roleName(role));
        assertThat(attached.attachedPolicies()).extracting(AttachedPolicy::policyArn)
                .containsExactlyInAnyOrder(policy.arn(), "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        assertThat(iam.listAttachedRolePolicies(b -> b.roleName(role).pathPrefix("/team/")).attachedPolicies())
                .extracting(AttachedPolicy::policyName).containsExactly(policyName);
        assertThat(iam.listPolicies(b -> b.scope(PolicyScopeType.LOCAL).pathPrefix("/team/").onlyAttached(true))
                .policies()).extracting(Policy::policyName).contains(policyName);
        assertThat(iam.listPolicies(b -> b.scope(PolicyScopeType.AWS).pathPrefix("/").maxItems(1000)).policies())
                .extracting(Policy::arn).contains("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
                .noneMatch(arn -> arn.contains(":" + ACCOUNT + ":"));

        assertIamError(() -> iam.deletePolicy(b -> b.policyArn(policy.arn())), DeleteConflictException.class,
                "DeleteConflict", 409);
        assertIamError(() -> iam.attachRolePolicy(b -> b.roleName(role)
                .policyArn("arn:aws:iam::" + ACCOUNT + ":policy/NoSuch" + policyName)), NoSuchEntityException.class,
                "NoSuchEntity", 404);
        assertIamError(() -> iam.attachRolePolicy(b -> b.roleName(role).policyArn("arn:aws:s3:::bucket-not-a-policy")),
                InvalidInputException.class, "InvalidInput", 400);

        iam.putRolePermissionsBoundary(b -> b.roleName(role).permissionsBoundary(policy.arn()));
        Role bounded = iam.getRole(b -> b.roleName(role)).role();
        assertThat(bounded.permissionsBoundary().permissionsBoundaryArn()).isEqualTo(policy.arn());
        assertThat(bounded.permissionsBoundary().permissionsBoundaryTypeAsString()).isEqualTo("Policy");
        iam.deleteRolePermissionsBoundary(b -> b.roleName(role));
        assertThat(iam.getRole(b -> b.roleName(role)).role().permissionsBoundary()).isNull();
        assertIamError(() -> iam.putRolePermissionsBoundary(b -> b.roleName(unique("NoRole-")).permissionsBoundary(policy.arn())),
                NoSuchEntityException.class, "NoSuchEntity", 404);

        iam.detachRolePolicy(b -> b.roleName(role).policyArn(policy.arn()));
        assertIamError(() -> iam.detachRolePolicy(b -> b.roleName(role).policyArn(policy.arn())),
                NoSuchEntityException.class, "NoSuchEntity", 404);
        iam.deletePolicy(b -> b.policyArn(policy.arn()));
        assertIamError(() -> iam.getPolicy(b -> b.policyArn(policy.arn())), NoSuchEntityException.class, "NoSuchEntity",
                404);
    }

    @Test
    void policyVersions() {
        String policyName = unique("QueryVersions-");
        String arn = iam.createPolicy(b -> b.policyName(policyName).policyDocument(S3_READ)).policy().arn();
        PolicyVersion v2 = iam.createPolicyVersion(b -> b.policyArn(arn).policyDocument(S3_WRITE).setAsDefault(true))
                .policyVersion();
        assertThat(v2.versionId()).isEqualTo("v2");
        assertThat(v2.isDefaultVersion()).isTrue();
        assertThat(v2.document()).isNull();
        PolicyVersion got = iam.getPolicyVersion(b -> b.policyArn(arn).versionId("v1")).policyVersion();
        assertThat(decode(got.document())).isEqualTo(S3_READ);
        assertThat(got.isDefaultVersion()).isFalse();
        assertThat(iam.listPolicyVersions(b -> b.policyArn(arn)).versions()).extracting(PolicyVersion::versionId)
                .containsExactly("v2", "v1");
        iam.setDefaultPolicyVersion(b -> b.policyArn(arn).versionId("v1"));
        assertThat(iam.getPolicy(b -> b.policyArn(arn)).policy().defaultVersionId()).isEqualTo("v1");
        iam.deletePolicyVersion(b -> b.policyArn(arn).versionId("v2"));
        assertIamError(() -> iam.getPolicyVersion(b -> b.policyArn(arn).versionId("v2")), NoSuchEntityException.class,
                "NoSuchEntity", 404);
        assertIamError(() -> iam.deletePolicyVersion(b -> b.policyArn(arn).versionId("v1")),
                DeleteConflictException.class, "DeleteConflict", 409);
        for (int i = 0; i < 4; i++) {
            iam.createPolicyVersion(b -> b.policyArn(arn).policyDocument(S3_WRITE));
        }
        assertIamError(() -> iam.createPolicyVersion(b -> b.policyArn(arn).policyDocument(S3_WRITE)),
                LimitExceededException.class, "LimitExceeded", 409);
    }

    @Test
    void simulationShowsS3ReadOnlyAccessAllowingGetAndNotPut() {
        String role = unique("QuerySim-");
        String arn = createRole(role).arn();
        iam.attachRolePolicy(b -> b.roleName(role).policyArn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));
        SimulatePrincipalPolicyResponse r = iam.simulatePrincipalPolicy(b -> b.policySourceArn(arn)
                .actionNames("s3:GetObject", "s3:PutObject").resourceArns("arn:aws:s3:::bucket/key")
                .contextEntries(ContextEntry.builder().contextKeyName("aws:SourceIp").contextKeyType(ContextKeyTypeEnum.IP)
                        .contextKeyValues("10.0.0.1").build()));
        assertThat(r.isTruncated()).isFalse();
        assertThat(r.evaluationResults()).hasSize(2);
        EvaluationResult get = r.evaluationResults().get(0);
        assertThat(get.evalActionName()).isEqualTo("s3:GetObject");
        assertThat(get.evalResourceName()).isEqualTo("arn:aws:s3:::bucket/key");
        assertThat(get.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.ALLOWED);
        assertThat(get.matchedStatements()).extracting(Statement::sourcePolicyId)
                .containsExactly("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
        assertThat(get.matchedStatements()).extracting(Statement::sourcePolicyType)
                .containsExactly(PolicySourceType.AWS_MANAGED);
        EvaluationResult put = r.evaluationResults().get(1);
        assertThat(put.evalActionName()).isEqualTo("s3:PutObject");
        assertThat(put.evalDecision()).isEqualTo(PolicyEvaluationDecisionType.IMPLICIT_DENY);
        assertThat(put.matchedStatements()).isEmpty();

        // Paged with Marker like every IAM list.
        SimulatePrincipalPolicyResponse first = iam.simulatePrincipalPolicy(b -> b.policySourceArn(arn)
                .actionNames("s3:GetObject", "s3:PutObject").maxItems(1));
        assertThat(first.isTruncated()).isTrue();
        SimulatePrincipalPolicyResponse rest = iam.simulatePrincipalPolicy(b -> b.policySourceArn(arn)
                .actionNames("s3:GetObject", "s3:PutObject").maxItems(1).marker(first.marker()));
        assertThat(rest.evaluationResults()).extracting(EvaluationResult::evalActionName).containsExactly("s3:PutObject");

        assertIamError(() -> iam.simulatePrincipalPolicy(b -> b.policySourceArn(arn)), IamException.class,
                "ValidationError", 400);
        assertIamError(() -> iam.simulatePrincipalPolicy(b -> b.policySourceArn(RoleTests.roleArn(unique("NoRole-")))
                .actionNames("s3:GetObject")), NoSuchEntityException.class, "NoSuchEntity", 404);
        assertIamError(() -> iam.simulatePrincipalPolicy(b -> b.policySourceArn(arn).actionNames("s3:GetObject")
                .policyInputList("{\"Statement\": 5}")), MalformedPolicyDocumentException.class,
                "MalformedPolicyDocument", 400);
    }
}
