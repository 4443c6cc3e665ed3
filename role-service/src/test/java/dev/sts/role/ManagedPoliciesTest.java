package dev.sts.role;

import static dev.sts.role.RoleTests.S3_READ;
import static dev.sts.role.RoleTests.S3_WRITE;
import static dev.sts.role.RoleTests.assertError;
import static dev.sts.role.RoleTests.createPolicy;
import static dev.sts.role.RoleTests.createRole;
import static dev.sts.role.RoleTests.policyOfSize;
import static dev.sts.role.RoleTests.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.AttachRolePolicyRequest;
import dev.sts.proto.v1.CreatePolicyRequest;
import dev.sts.proto.v1.CreatePolicyVersionRequest;
import dev.sts.proto.v1.CreateRoleRequest;
import dev.sts.proto.v1.DeletePolicyRequest;
import dev.sts.proto.v1.DeletePolicyVersionRequest;
import dev.sts.proto.v1.DeleteRolePermissionsBoundaryRequest;
import dev.sts.proto.v1.DetachRolePolicyRequest;
import dev.sts.proto.v1.GetPolicyRequest;
import dev.sts.proto.v1.GetPolicyVersionRequest;
import dev.sts.proto.v1.ListPoliciesRequest;
import dev.sts.proto.v1.ListPoliciesResponse;
import dev.sts.proto.v1.ListPolicyVersionsRequest;
import dev.sts.proto.v1.ListPolicyVersionsResponse;
import dev.sts.proto.v1.ManagedPolicy;
import dev.sts.proto.v1.PolicyScope;
import dev.sts.proto.v1.PolicyVersion;
import dev.sts.proto.v1.RoleServiceGrpc;
import dev.sts.proto.v1.SetDefaultPolicyVersionRequest;
import dev.sts.proto.v1.Tag;
import io.grpc.ManagedChannel;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Customer-managed and AWS-managed policies and their versions, through gRPC. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "roles"))
class ManagedPoliciesTest {
    static ManagedChannel channel;
    static RoleServiceGrpc.RoleServiceBlockingStub admin;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        admin = RoleTests.admin(channel);
    }

    @AfterAll
    static void close() {
        channel.shutdownNow();
    }

    static ManagedPolicy get(String arn) {
        return admin.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(arn).build()).getPolicy();
    }

    static PolicyVersion newVersion(String arn, String document, boolean asDefault) {
        return admin.createPolicyVersion(CreatePolicyVersionRequest.newBuilder().setPolicyArn(arn)
                .setPolicyDocument(document).setSetAsDefault(asDefault).build()).getPolicyVersion();
    }

    static PolicyVersion version(String arn, String id) {
        return admin.getPolicyVersion(GetPolicyVersionRequest.newBuilder().setPolicyArn(arn).setVersionId(id).build())
                .getPolicyVersion();
    }

    static List<String> versionIds(String arn) {
        return admin.listPolicyVersions(ListPolicyVersionsRequest.newBuilder().setPolicyArn(arn).build()).getVersionsList()
                .stream().map(PolicyVersion::getVersionId).toList();
    }

    @Test
    void createAndGetACustomerManagedPolicy() {
        String name = unique("Readers-");
        ManagedPolicy created = admin.createPolicy(CreatePolicyRequest.newBuilder().setPolicyName(name).setPath("/team/")
                .setPolicyDocument(S3_READ).setDescription("read the bucket")
                .addTags(Tag.newBuilder().setKey("team").setValue("storage")).build()).getPolicy();
        assertThat(created.getArn()).isEqualTo("arn:aws:iam::000000000000:policy/team/" + name);
        assertThat(created.getPolicyId()).matches("ANPA[A-Z2-7]{17}");
        assertThat(created.getDefaultVersionId()).isEqualTo("v1");
        assertThat(created.getIsAttachable()).isTrue();
        assertThat(created.getAttachmentCount()).isZero();
        assertThat(created.getPath()).isEqualTo("/team/");
        assertThat(get(created.getArn())).isEqualTo(created);
        PolicyVersion v1 = version(created.getArn(), "v1");
        assertThat(v1.getDocument()).isEqualTo(S3_READ);
        assertThat(v1.getIsDefaultVersion()).isTrue();

        StatusRuntimeException duplicate = assertError(() -> createPolicy(admin, name.toUpperCase(), S3_WRITE),
                Code.ALREADY_EXISTS, "EntityAlreadyExists", "policy_name");
        assertThat(duplicate.getStatus().getDescription())
                .isEqualTo("A policy called " + name.toUpperCase() + " already exists. Duplicate names are not allowed.");
    }

    @Test
    void policyDocumentsAreValidatedAndBoundedToSixThousandOneHundredFortyFourCharacters() {
        createPolicy(admin, unique("AtQuota-"), policyOfSize(6144).replace(",", ", "));
        StatusRuntimeException over = assertError(() -> createPolicy(admin, unique("Over-"), policyOfSize(6145)),
                Code.FAILED_PRECONDITION, "LimitExceeded", "policy_document");
        assertThat(over.getStatus().getDescription()).isEqualTo("Cannot exceed quota for PolicySize: 6144");
        StatusRuntimeException malformed = assertError(() -> createPolicy(admin, unique("Bad-"), """
                        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}"""),
                Code.INVALID_ARGUMENT, "MalformedPolicyDocument", "policy_document");
        assertThat(malformed.getStatus().getDescription()).contains("Resource");
        assertError(() -> createPolicy(admin, "bad name", S3_READ), Code.INVALID_ARGUMENT, "ValidationError", "policy_name");
        assertError(() -> createPolicy(admin, unique("Padded-"), S3_READ + " ".repeat(131_072)), Code.INVALID_ARGUMENT,
                "ValidationError", "policy_document");
        assertError(() -> admin.createPolicy(CreatePolicyRequest.newBuilder().setPolicyName(unique("Pathless-"))
                .setPath("nope").setPolicyDocument(S3_READ).build()), Code.INVALID_ARGUMENT, "ValidationError", "path");
        String arn = createPolicy(admin, unique("Versioned-"), S3_READ).getArn();
        assertError(() -> newVersion(arn, policyOfSize(6145), true), Code.FAILED_PRECONDITION, "LimitExceeded",
                "policy_document");
        assertError(() -> newVersion(arn, "{}", true), Code.INVALID_ARGUMENT, "MalformedPolicyDocument", "policy_document");
        assertThat(versionIds(arn)).containsExactly("v1");
    }

    @Test
    void policiesThatDoNotExistAreNoSuchEntity() {
        for (String arn : List.of(RoleTests.policyArn(unique("Missing-")), "arn:aws:iam::123456789012:policy/Other",
                "arn:aws:iam::aws:policy/NoSuchAwsPolicy")) {
            StatusRuntimeException e = assertError(() -> get(arn), Code.NOT_FOUND, "NoSuchEntity", "policy_arn");
            assertThat(e.getStatus().getDescription()).isEqualTo("Policy " + arn + " was not found.");
            assertError(() -> version(arn, "v1"), Code.NOT_FOUND, "NoSuchEntity", "policy_arn");
            assertError(() -> versionIds(arn), Code.NOT_FOUND, "NoSuchEntity", "policy_arn");
        }
        assertError(() -> admin.deletePolicy(DeletePolicyRequest.newBuilder().setPolicyArn(RoleTests.policyArn(
                unique("Missing-"))).build()), Code.NOT_FOUND, "NoSuchEntity", "policy_arn");
        assertError(() -> newVersion(RoleTests.policyArn(unique("Missing-")), S3_READ, false), Code.NOT_FOUND,
                "NoSuchEntity", "policy_arn");
        assertError(() -> get("arn:aws:iam::000000000000:user/NotAPolicy"), Code.INVALID_ARGUMENT, "InvalidInput",
                "policy_arn");
    }

    @Test
    void aPolicyHasFiveVersionsAtMostAndNeverLosesItsDefault() {
        String arn = createPolicy(admin, unique("Versions-"), S3_READ).getArn();
        PolicyVersion v2 = newVersion(arn, S3_WRITE, false);
        assertThat(v2.getVersionId()).isEqualTo("v2");
        assertThat(v2.getIsDefaultVersion()).isFalse();
        assertThat(v2.getDocument()).isEmpty();
        assertThat(get(arn).getDefaultVersionId()).isEqualTo("v1");
        PolicyVersion v3 = newVersion(arn, S3_WRITE, true);
        assertThat(v3.getIsDefaultVersion()).isTrue();
        assertThat(get(arn).getDefaultVersionId()).isEqualTo("v3");
        newVersion(arn, S3_READ, false);
        newVersion(arn, S3_READ, false);
        StatusRuntimeException sixth = assertError(() -> newVersion(arn, S3_READ, false), Code.FAILED_PRECONDITION,
                "LimitExceeded", "policy_arn");
        assertThat(sixth.getStatus().getDescription()).isEqualTo(
                "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.");

        // newest first, paged
        ListPolicyVersionsResponse first = admin.listPolicyVersions(ListPolicyVersionsRequest.newBuilder().setPolicyArn(arn)
                .setPageSize(3).build());
        assertThat(first.getVersionsList()).extracting(PolicyVersion::getVersionId).containsExactly("v5", "v4", "v3");
        assertThat(first.getVersions(2).getIsDefaultVersion()).isTrue();
        assertThat(first.getVersions(0).getDocument()).isEmpty();
        assertThat(admin.listPolicyVersions(ListPolicyVersionsRequest.newBuilder().setPolicyArn(arn).setPageSize(3)
                .setPageToken(first.getNextPageToken()).build()).getVersionsList()).extracting(PolicyVersion::getVersionId)
                .containsExactly("v2", "v1");

        StatusRuntimeException isDefault = assertError(() -> admin.deletePolicyVersion(DeletePolicyVersionRequest.newBuilder()
                .setPolicyArn(arn).setVersionId("v3").build()), Code.FAILED_PRECONDITION, "DeleteConflict", "version_id");
        assertThat(isDefault.getStatus().getDescription()).isEqualTo("Cannot delete the default version of a policy.");
        admin.setDefaultPolicyVersion(SetDefaultPolicyVersionRequest.newBuilder().setPolicyArn(arn).setVersionId("v1").build());
        assertThat(get(arn).getDefaultVersionId()).isEqualTo("v1");
        assertThat(version(arn, "v1").getIsDefaultVersion()).isTrue();
        assertThat(version(arn, "v3").getIsDefaultVersion()).isFalse();
        admin.deletePolicyVersion(DeletePolicyVersionRequest.newBuilder().setPolicyArn(arn).setVersionId("v2").build());
        // version ids are never reused
        assertThat(newVersion(arn, S3_WRITE, false).getVersionId()).isEqualTo("v6");
        assertThat(versionIds(arn)).containsExactly("v6", "v5", "v4", "v3", "v1");

        assertError(() -> version(arn, "v2"), Code.NOT_FOUND, "NoSuchEntity", "version_id");
        assertError(() -> version(arn, "v1.suffix"), Code.NOT_FOUND, "NoSuchEntity", "version_id");
        assertError(() -> version(arn, "v99999999999"), Code.NOT_FOUND, "NoSuchEntity", "version_id");
        assertError(() -> version(arn, "x1"), Code.INVALID_ARGUMENT, "ValidationError", "version_id");
        assertError(() -> admin.setDefaultPolicyVersion(SetDefaultPolicyVersionRequest.newBuilder().setPolicyArn(arn)
                .setVersionId("v2").build()), Code.NOT_FOUND, "NoSuchEntity", "version_id");
        assertError(() -> admin.deletePolicyVersion(DeletePolicyVersionRequest.newBuilder().setPolicyArn(arn)
                .setVersionId("v2").build()), Code.NOT_FOUND, "NoSuchEntity", "version_id");
    }

    @Test
    void deletePolicyRefusesWhileAttachedUsedAsBoundaryOrWithOtherVersions() {
        String arn = createPolicy(admin, unique("Deletable-"), S3_READ).getArn();
        String role = unique("User-");
        createRole(admin, role);
        admin.attachRolePolicy(AttachRolePolicyRequest.newBuilder().setRoleName(role).setPolicyArn(arn).build());
        StatusRuntimeException attached = assertError(() -> admin.deletePolicy(DeletePolicyRequest.newBuilder()
                .setPolicyArn(arn).build()), Code.FAILED_PRECONDITION, "DeleteConflict", "policy_arn");
        assertThat(attached.getStatus().getDescription()).isEqualTo("Cannot delete a policy attached to entities.");
        admin.detachRolePolicy(DetachRolePolicyRequest.newBuilder().setRoleName(role).setPolicyArn(arn).build());

        String bounded = unique("BoundedUser-");
        admin.createRole(CreateRoleRequest.newBuilder().setRoleName(bounded).setAssumeRolePolicyDocument(RoleTests.TRUST)
                .setPermissionsBoundary(arn).build());
        assertError(() -> admin.deletePolicy(DeletePolicyRequest.newBuilder().setPolicyArn(arn).build()),
                Code.FAILED_PRECONDITION, "DeleteConflict", "policy_arn");
        admin.deleteRolePermissionsBoundary(DeleteRolePermissionsBoundaryRequest.newBuilder().setRoleName(bounded).build());

        newVersion(arn, S3_WRITE, true);
        StatusRuntimeException versions = assertError(() -> admin.deletePolicy(DeletePolicyRequest.newBuilder()
                .setPolicyArn(arn).build()), Code.FAILED_PRECONDITION, "DeleteConflict", "policy_arn");
        assertThat(versions.getStatus().getDescription()).startsWith("This policy has more than one version.");
        admin.deletePolicyVersion(DeletePolicyVersionRequest.newBuilder().setPolicyArn(arn).setVersionId("v1").build());

        admin.deletePolicy(DeletePolicyRequest.newBuilder().setPolicyArn(arn).build());
        assertError(() -> get(arn), Code.NOT_FOUND, "NoSuchEntity");
        assertError(() -> version(arn, "v2"), Code.NOT_FOUND, "NoSuchEntity", "policy_arn");
        // the name is free again
        assertThat(createPolicy(admin, arn.substring(arn.lastIndexOf('/') + 1), S3_READ).getArn()).isEqualTo(arn);
    }

    @Test
    void awsManagedPoliciesAreReadAttachedAndUsedAsBoundaryButNeverChanged() {
        ManagedPolicy readOnly = get(FixtureAwsManagedCatalogue.READ_ONLY);
        assertThat(readOnly.getPolicyName()).isEqualTo("FixtureReadOnly");
        assertThat(readOnly.getPath()).isEqualTo("/sts-fixture/");
        assertThat(readOnly.getDefaultVersionId()).isEqualTo("v1");
        assertThat(readOnly.getIsAttachable()).isTrue();
        assertThat(version(FixtureAwsManagedCatalogue.READ_ONLY, "v1").getDocument())
                .isEqualTo(FixtureAwsManagedCatalogue.READ_ONLY_DOCUMENT);
        assertThat(versionIds(FixtureAwsManagedCatalogue.READ_ONLY)).containsExactly("v1");
        assertError(() -> version(FixtureAwsManagedCatalogue.READ_ONLY, "v2"), Code.NOT_FOUND, "NoSuchEntity", "version_id");

        String role = unique("AwsUser-");
        createRole(admin, role);
        int before = readOnly.getAttachmentCount();
        admin.attachRolePolicy(AttachRolePolicyRequest.newBuilder().setRoleName(role)
                .setPolicyArn(FixtureAwsManagedCatalogue.READ_ONLY).build());
        assertThat(get(FixtureAwsManagedCatalogue.READ_ONLY).getAttachmentCount()).isEqualTo(before + 1);

        String arn = FixtureAwsManagedCatalogue.READ_ONLY;
        for (Runnable change : List.<Runnable>of(
                () -> admin.deletePolicy(DeletePolicyRequest.newBuilder().setPolicyArn(arn).build()),
                () -> newVersion(arn, S3_READ, true),
                () -> admin.setDefaultPolicyVersion(SetDefaultPolicyVersionRequest.newBuilder().setPolicyArn(arn)
                        .setVersionId("v1").build()),
                () -> admin.deletePolicyVersion(DeletePolicyVersionRequest.newBuilder().setPolicyArn(arn)
                        .setVersionId("v1").build()))) {
            StatusRuntimeException e = assertError(change, Code.PERMISSION_DENIED, "AccessDenied");
            assertThat(e.getStatus().getDescription()).contains(arn).contains("AWS-managed policies cannot be changed");
        }
        assertThat(get(arn).getDefaultVersionId()).isEqualTo("v1");
    }

    @Test
    void listPoliciesByScopePathPrefixAndAttachmentInNameOrderAcrossBothKinds() {
        // customer policies under the fixtures' path: a listing of it merges both kinds in name order
        String id = UUID.randomUUID().toString().substring(0, 8);
        String early = admin.createPolicy(CreatePolicyRequest.newBuilder().setPolicyName("FixtureA" + id)
                .setPath("/sts-fixture/").setPolicyDocument(S3_READ).build()).getPolicy().getArn();
        String middle = admin.createPolicy(CreatePolicyRequest.newBuilder().setPolicyName("fixtureS" + id)
                .setPath("/sts-fixture/").setPolicyDocument(S3_READ).build()).getPolicy().getArn();
        List<String> expected = List.of(early, FixtureAwsManagedCatalogue.READ_ONLY, middle, FixtureAwsManagedCatalogue.VIEW_ONLY);

        List<String> all = new ArrayList<>();
        String token = "";
        do {
            ListPoliciesResponse page = admin.listPolicies(ListPoliciesRequest.newBuilder().setPathPrefix("/sts-fixture/")
                    .setPageSize(1).setPageToken(token).build());
            page.getPoliciesList().forEach(p -> all.add(p.getArn()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertThat(all).containsSubsequence(expected).doesNotHaveDuplicates();

        assertThat(arns(PolicyScope.POLICY_SCOPE_AWS, "/sts-fixture/", false)).containsExactly(
                FixtureAwsManagedCatalogue.READ_ONLY, FixtureAwsManagedCatalogue.VIEW_ONLY);
        assertThat(arns(PolicyScope.POLICY_SCOPE_LOCAL, "/sts-fixture/", false)).contains(early, middle)
                .doesNotContain(FixtureAwsManagedCatalogue.READ_ONLY, FixtureAwsManagedCatalogue.VIEW_ONLY);

        String role = unique("Lister-");
        createRole(admin, role);
        admin.attachRolePolicy(AttachRolePolicyRequest.newBuilder().setRoleName(role).setPolicyArn(middle).build());
        admin.attachRolePolicy(AttachRolePolicyRequest.newBuilder().setRoleName(role)
                .setPolicyArn(FixtureAwsManagedCatalogue.VIEW_ONLY).build());
        List<String> attached = arns(PolicyScope.POLICY_SCOPE_ALL, "/sts-fixture/", true);
        assertThat(attached).contains(middle, FixtureAwsManagedCatalogue.VIEW_ONLY).doesNotContain(early);
        ManagedPolicy listed = admin.listPolicies(ListPoliciesRequest.newBuilder().setScope(PolicyScope.POLICY_SCOPE_LOCAL)
                .setPathPrefix("/sts-fixture/").setOnlyAttached(true).build()).getPoliciesList().stream()
                .filter(p -> p.getArn().equals(middle)).findFirst().orElseThrow();
        assertThat(listed.getAttachmentCount()).isEqualTo(1);

        assertError(() -> admin.listPolicies(ListPoliciesRequest.newBuilder().setScopeValue(9).build()),
                Code.INVALID_ARGUMENT, "ValidationError", "scope");
        assertError(() -> admin.listPolicies(ListPoliciesRequest.newBuilder().setPageToken("garbage").build()),
                Code.INVALID_ARGUMENT, "InvalidInput", "page_token");
        assertError(() -> admin.listPolicies(ListPoliciesRequest.newBuilder().setPathPrefix("x").build()),
                Code.INVALID_ARGUMENT, "ValidationError", "path_prefix");
    }

    static List<String> arns(PolicyScope scope, String prefix, boolean onlyAttached) {
        return admin.listPolicies(ListPoliciesRequest.newBuilder().setScope(scope).setPathPrefix(prefix)
                .setOnlyAttached(onlyAttached).setPageSize(1000).build()).getPoliciesList().stream()
                .map(ManagedPolicy::getArn).toList();
    }

    @Test
    void onlyAdministratorsManagePolicies() {
        RoleServiceGrpc.RoleServiceBlockingStub intruder = RoleTests.intruder(channel);
        String arn = createPolicy(admin, unique("Guarded-"), S3_READ).getArn();
        assertError(() -> createPolicy(intruder, unique("Evil-"), S3_READ), Code.PERMISSION_DENIED, "AccessDenied");
        assertError(() -> intruder.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(arn).build()),
                Code.PERMISSION_DENIED, "AccessDenied");
        assertError(() -> intruder.listPolicies(ListPoliciesRequest.getDefaultInstance()), Code.PERMISSION_DENIED,
                "AccessDenied");
        assertError(() -> intruder.deletePolicy(DeletePolicyRequest.newBuilder().setPolicyArn(arn).build()),
                Code.PERMISSION_DENIED, "AccessDenied");
        assertError(() -> intruder.createPolicyVersion(CreatePolicyVersionRequest.newBuilder().setPolicyArn(arn)
                .setPolicyDocument(S3_WRITE).setSetAsDefault(true).build()), Code.PERMISSION_DENIED, "AccessDenied");
        assertThat(get(arn).getDefaultVersionId()).isEqualTo("v1");
    }
}
