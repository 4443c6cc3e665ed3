package dev.sts.role;

import static dev.sts.role.RoleTests.TRUST;
import static dev.sts.role.RoleTests.assertError;
import static dev.sts.role.RoleTests.createPolicy;
import static dev.sts.role.RoleTests.createRole;
import static dev.sts.role.RoleTests.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.proto.v1.AttachRolePolicyRequest;
import dev.sts.proto.v1.CreateRoleRequest;
import dev.sts.proto.v1.DeleteRolePolicyRequest;
import dev.sts.proto.v1.DeleteRoleRequest;
import dev.sts.proto.v1.DetachRolePolicyRequest;
import dev.sts.proto.v1.GetPolicyRequest;
import dev.sts.proto.v1.GetRoleRequest;
import dev.sts.proto.v1.ListPoliciesRequest;
import dev.sts.proto.v1.ListRolesRequest;
import dev.sts.proto.v1.ListRolesResponse;
import dev.sts.proto.v1.PutRolePolicyRequest;
import dev.sts.proto.v1.Role;
import dev.sts.proto.v1.RoleServiceGrpc;
import dev.sts.proto.v1.Tag;
import dev.sts.proto.v1.TagRoleRequest;
import dev.sts.proto.v1.UntagRoleRequest;
import dev.sts.proto.v1.UpdateAssumeRolePolicyRequest;
import dev.sts.proto.v1.UpdateRoleRequest;
import dev.sts.kit.testing.TestChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ListRoles, UpdateRole, DeleteRole, UpdateAssumeRolePolicy, TagRole, UntagRole and CreateRole's boundary, through gRPC. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "roles"))
class RoleLifecycleTest {
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

    static Role get(String name) {
        return admin.getRole(GetRoleRequest.newBuilder().setRoleName(name).build()).getRole();
    }

    static Role createUnder(String path, String name) {
        return admin.createRole(CreateRoleRequest.newBuilder().setRoleName(name).setPath(path)
                .setAssumeRolePolicyDocument(TRUST).build()).getRole();
    }

    @Test
    void listRolesPagesInNameOrderWithoutSkippingOrRepeatingWhileRolesAreAdded() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String path = "/paging-" + id + "/";
        List<String> existing = List.of("b1", "b3", "b5", "b7", "b9").stream().map(s -> "Pg" + id + "-" + s).toList();
        // created out of order: the list is ordered by name, not by creation
        for (int i : new int[] {3, 0, 4, 1, 2}) {
            createUnder(path, existing.get(i));
        }
        createUnder("/elsewhere-" + id + "/", "Pg" + id + "-b2"); // another path: never listed

        List<String> seen = new ArrayList<>();
        ListRolesResponse page = admin.listRoles(ListRolesRequest.newBuilder().setPathPrefix(path).setPageSize(2).build());
        page.getRolesList().forEach(r -> seen.add(r.getRoleName()));
        assertThat(seen).containsExactly(existing.get(0), existing.get(1));
        assertThat(page.getRoles(0).getAssumeRolePolicyDocument()).isEqualTo(TRUST);
        // roles added between pages, before and after the position reached
        createUnder(path, "Pg" + id + "-a0");
        createUnder(path, "Pg" + id + "-b4");
        createUnder(path, "Pg" + id + "-c0");
        while (!page.getNextPageToken().isEmpty()) {
            page = admin.listRoles(ListRolesRequest.newBuilder().setPathPrefix(path).setPageSize(2)
                    .setPageToken(page.getNextPageToken()).build());
            assertThat(page.getRolesCount()).isBetween(1, 2);
            page.getRolesList().forEach(r -> seen.add(r.getRoleName()));
        }
        assertThat(seen).doesNotHaveDuplicates().containsAll(existing)
                .containsSubsequence(existing).contains("Pg" + id + "-b4", "Pg" + id + "-c0")
                .doesNotContain("Pg" + id + "-b2");
        assertThat(seen).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);

        // the prefix is a prefix of the path, not a whole path
        List<String> byPartialPrefix = admin.listRoles(ListRolesRequest.newBuilder().setPathPrefix("/paging-" + id)
                .setPageSize(1000).build()).getRolesList().stream().map(Role::getRoleName).toList();
        assertThat(byPartialPrefix).hasSize(8);
    }

    @Test
    void listRolesAnswersBadTokensSizesAndPrefixesNamingTheField() {
        assertError(() -> admin.listRoles(ListRolesRequest.newBuilder().setPageToken("not-a-token!").build()),
                Code.INVALID_ARGUMENT, "InvalidInput", "page_token");
        // a token of another list
        String policiesToken = admin.listPolicies(ListPoliciesRequest.newBuilder().setPageSize(1).build()).getNextPageToken();
        assertThat(policiesToken).isNotEmpty();
        assertError(() -> admin.listRoles(ListRolesRequest.newBuilder().setPageToken(policiesToken).build()),
                Code.INVALID_ARGUMENT, "InvalidInput", "page_token");
        assertError(() -> admin.listRoles(ListRolesRequest.newBuilder().setPageToken("x".repeat(5000)).build()),
                Code.INVALID_ARGUMENT, "InvalidInput", "page_token");
        assertError(() -> admin.listRoles(ListRolesRequest.newBuilder().setPageSize(1001).build()),
                Code.INVALID_ARGUMENT, "ValidationError", "page_size");
        assertError(() -> admin.listRoles(ListRolesRequest.newBuilder().setPageSize(-1).build()),
                Code.INVALID_ARGUMENT, "ValidationError", "page_size");
        assertError(() -> admin.listRoles(ListRolesRequest.newBuilder().setPathPrefix("no-slash").build()),
                Code.INVALID_ARGUMENT, "ValidationError", "path_prefix");
        assertThat(admin.listRoles(ListRolesRequest.newBuilder().setPageSize(1000).build()).getRolesCount())
                .isBetween(1, 1000);
    }

    @Test
    void updateRoleChangesOnlyWhatIsGiven() {
        String name = unique("Update-");
        Role created = createRole(admin, name);
        Role described = admin.updateRole(UpdateRoleRequest.newBuilder().setRoleName(name).setDescription("new words")
                .build()).getRole();
        assertThat(described.getDescription()).isEqualTo("new words");
        assertThat(described.getMaxSessionDuration()).isEqualTo(3600);
        assertThat(described.getRevision()).isEqualTo(created.getRevision() + 1);

        Role longer = admin.updateRole(UpdateRoleRequest.newBuilder().setRoleName(name).setMaxSessionDuration(43200)
                .build()).getRole();
        assertThat(longer.getDescription()).isEqualTo("new words");
        assertThat(longer.getMaxSessionDuration()).isEqualTo(43200);
        assertThat(get(name)).isEqualTo(longer);

        // nothing given: nothing changes, not even the revision
        assertThat(admin.updateRole(UpdateRoleRequest.newBuilder().setRoleName(name).build()).getRole().getRevision())
                .isEqualTo(longer.getRevision());

        assertError(() -> admin.updateRole(UpdateRoleRequest.newBuilder().setRoleName(name).setMaxSessionDuration(3599)
                .build()), Code.INVALID_ARGUMENT, "ValidationError", "max_session_duration");
        assertError(() -> admin.updateRole(UpdateRoleRequest.newBuilder().setRoleName(name).setMaxSessionDuration(0)
                .build()), Code.INVALID_ARGUMENT, "ValidationError", "max_session_duration");
        assertError(() -> admin.updateRole(UpdateRoleRequest.newBuilder().setRoleName(name).setDescription("x".repeat(1001))
                .build()), Code.INVALID_ARGUMENT, "ValidationError", "description");
        StatusRuntimeException missing = assertError(() -> admin.updateRole(UpdateRoleRequest.newBuilder()
                .setRoleName(unique("Nope-")).setDescription("d").build()), Code.NOT_FOUND, "NoSuchEntity", "role_name");
        assertThat(missing.getStatus().getDescription()).matches("The role with name Nope-\\w+ cannot be found\\.");
        assertThat(get(name)).isEqualTo(longer);
    }

    @Test
    void deleteRoleRefusesWhilePoliciesRemainButNotForItsBoundary() {
        String name = unique("Doomed-");
        String boundary = createPolicy(admin, unique("Boundary-"), RoleTests.S3_READ).getArn();
        String attached = createPolicy(admin, unique("Attached-"), RoleTests.S3_WRITE).getArn();
        admin.createRole(CreateRoleRequest.newBuilder().setRoleName(name).setAssumeRolePolicyDocument(TRUST)
                .setPermissionsBoundary(boundary).build());
        admin.putRolePolicy(PutRolePolicyRequest.newBuilder().setRoleName(name).setPolicyName("inline")
                .setPolicyDocument(RoleTests.S3_READ).build());
        admin.attachRolePolicy(AttachRolePolicyRequest.newBuilder().setRoleName(name).setPolicyArn(attached).build());

        StatusRuntimeException inline = assertError(() -> admin.deleteRole(DeleteRoleRequest.newBuilder().setRoleName(name)
                .build()), Code.FAILED_PRECONDITION, "DeleteConflict");
        assertThat(inline.getStatus().getDescription()).isEqualTo("Cannot delete entity, must delete policies first.");
        admin.deleteRolePolicy(DeleteRolePolicyRequest.newBuilder().setRoleName(name).setPolicyName("inline").build());
        StatusRuntimeException managed = assertError(() -> admin.deleteRole(DeleteRoleRequest.newBuilder().setRoleName(name)
                .build()), Code.FAILED_PRECONDITION, "DeleteConflict");
        assertThat(managed.getStatus().getDescription()).isEqualTo("Cannot delete entity, must detach all policies first.");
        assertThat(get(name).getRoleName()).isEqualTo(name);
        admin.detachRolePolicy(DetachRolePolicyRequest.newBuilder().setRoleName(name).setPolicyArn(attached).build());

        admin.deleteRole(DeleteRoleRequest.newBuilder().setRoleName(name.toUpperCase()).build());
        assertError(() -> get(name), Code.NOT_FOUND, "NoSuchEntity", "role_name");
        assertError(() -> admin.deleteRole(DeleteRoleRequest.newBuilder().setRoleName(name).build()),
                Code.NOT_FOUND, "NoSuchEntity", "role_name");
        // the boundary went with the role
        assertThat(admin.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(boundary).build()).getPolicy()
                .getPermissionsBoundaryUsageCount()).isZero();
        // the name is free again, and the new role is a new identity
        Role again = createRole(admin, name);
        assertThat(again.getRevision()).isEqualTo(1);
        assertThat(again.hasPermissionsBoundary()).isFalse();
    }

    @Test
    void updateAssumeRolePolicyValidatesTheDocumentLikeCreateRole() {
        String name = unique("Trusting-");
        Role created = createRole(admin, name);
        String lambda = TRUST.replace("ec2.amazonaws.com", "lambda.amazonaws.com");
        admin.updateAssumeRolePolicy(UpdateAssumeRolePolicyRequest.newBuilder().setRoleName(name).setPolicyDocument(lambda)
                .build());
        Role updated = get(name);
        assertThat(updated.getAssumeRolePolicyDocument()).isEqualTo(lambda);
        assertThat(updated.getRevision()).isEqualTo(created.getRevision() + 1);

        StatusRuntimeException malformed = assertError(() -> admin.updateAssumeRolePolicy(UpdateAssumeRolePolicyRequest
                        .newBuilder().setRoleName(name).setPolicyDocument("""
                        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}""").build()),
                Code.INVALID_ARGUMENT, "MalformedPolicyDocument", "policy_document");
        assertThat(malformed.getStatus().getDescription()).contains("Principal");
        List<String> services = IntStream.range(0, 120).mapToObj(i -> "\"svc" + i + ".amazonaws.com\"").toList();
        String big = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":["
                + String.join(",", services) + "]},\"Action\":\"sts:AssumeRole\"}]}";
        assertError(() -> admin.updateAssumeRolePolicy(UpdateAssumeRolePolicyRequest.newBuilder().setRoleName(name)
                .setPolicyDocument(big).build()), Code.FAILED_PRECONDITION, "LimitExceeded", "policy_document");
        assertError(() -> admin.updateAssumeRolePolicy(UpdateAssumeRolePolicyRequest.newBuilder().setRoleName(name)
                .setPolicyDocument(lambda + " ".repeat(131_072)).build()), Code.INVALID_ARGUMENT, "ValidationError",
                "policy_document");
        assertError(() -> admin.updateAssumeRolePolicy(UpdateAssumeRolePolicyRequest.newBuilder()
                .setRoleName(unique("Nope-")).setPolicyDocument(lambda).build()), Code.NOT_FOUND, "NoSuchEntity", "role_name");
        assertThat(get(name)).isEqualTo(updated);
    }

    static Tag tag(String key, String value) {
        return Tag.newBuilder().setKey(key).setValue(value).build();
    }

    @Test
    void tagAndUntagRoleMatchKeysIgnoringCaseWithinFiftyTags() {
        String name = unique("Tagged-");
        createRole(admin, name);
        admin.tagRole(TagRoleRequest.newBuilder().setRoleName(name).addTags(tag("Team", "storage"))
                .addTags(tag("env", "prod")).build());
        // the same key in other case overwrites the tag
        admin.tagRole(TagRoleRequest.newBuilder().setRoleName(name).addTags(tag("team", "compute")).build());
        assertThat(get(name).getTagsList()).containsExactlyInAnyOrder(tag("team", "compute"), tag("env", "prod"));
        long revision = get(name).getRevision();

        admin.untagRole(UntagRoleRequest.newBuilder().setRoleName(name).addTagKeys("TEAM").addTagKeys("absent").build());
        assertThat(get(name).getTagsList()).containsExactly(tag("env", "prod"));
        // removing keys the role does not have changes nothing
        admin.untagRole(UntagRoleRequest.newBuilder().setRoleName(name).addTagKeys("absent").build());
        assertThat(get(name).getRevision()).isEqualTo(revision + 1);

        // 50 tags at most, counting those the role has
        TagRoleRequest.Builder many = TagRoleRequest.newBuilder().setRoleName(name);
        IntStream.range(0, 49).forEach(i -> many.addTags(tag("k" + i, "v")));
        admin.tagRole(many.build());
        assertThat(get(name).getTagsCount()).isEqualTo(50);
        StatusRuntimeException full = assertError(() -> admin.tagRole(TagRoleRequest.newBuilder().setRoleName(name)
                .addTags(tag("one-more", "v")).build()), Code.FAILED_PRECONDITION, "LimitExceeded", "tags");
        assertThat(full.getStatus().getDescription()).isEqualTo("Cannot exceed quota for TagsPerRole: 50");
        // overwriting one of the 50 is fine
        admin.tagRole(TagRoleRequest.newBuilder().setRoleName(name).addTags(tag("K0", "w")).build());
        assertThat(get(name).getTagsList()).contains(tag("K0", "w")).hasSize(50);

        TagRoleRequest.Builder tooMany = TagRoleRequest.newBuilder().setRoleName(name);
        IntStream.range(0, 51).forEach(i -> tooMany.addTags(tag("x" + i, "v")));
        assertError(() -> admin.tagRole(tooMany.build()), Code.INVALID_ARGUMENT, "ValidationError", "tags");
        assertError(() -> admin.tagRole(TagRoleRequest.newBuilder().setRoleName(name).addTags(tag("a", "1"))
                .addTags(tag("A", "2")).build()), Code.INVALID_ARGUMENT, "ValidationError", "tags");
        assertError(() -> admin.tagRole(TagRoleRequest.newBuilder().setRoleName(name).addTags(tag("semi;colon", "1"))
                .build()), Code.INVALID_ARGUMENT, "ValidationError", "tags");
        assertError(() -> admin.tagRole(TagRoleRequest.newBuilder().setRoleName(name).addTags(tag("k".repeat(129), "1"))
                .build()), Code.INVALID_ARGUMENT, "ValidationError", "tags");
        assertError(() -> admin.tagRole(TagRoleRequest.newBuilder().setRoleName(name).build()),
                Code.INVALID_ARGUMENT, "ValidationError", "tags");
        assertError(() -> admin.untagRole(UntagRoleRequest.newBuilder().setRoleName(name).build()),
                Code.INVALID_ARGUMENT, "ValidationError", "tag_keys");
        assertError(() -> admin.tagRole(TagRoleRequest.newBuilder().setRoleName(unique("Nope-")).addTags(tag("a", "1"))
                .build()), Code.NOT_FOUND, "NoSuchEntity", "role_name");
    }

    @Test
    void createRoleTakesAnExistingManagedPolicyAsBoundary() {
        String customer = createPolicy(admin, unique("Bound-"), RoleTests.S3_READ).getArn();
        String withCustomer = unique("Bounded-");
        Role role = admin.createRole(CreateRoleRequest.newBuilder().setRoleName(withCustomer)
                .setAssumeRolePolicyDocument(TRUST).setPermissionsBoundary(customer).build()).getRole();
        assertThat(role.getPermissionsBoundary().getPermissionsBoundaryArn()).isEqualTo(customer);
        assertThat(role.getPermissionsBoundary().getPermissionsBoundaryType()).isEqualTo("Policy");
        assertThat(get(withCustomer).getPermissionsBoundary().getPermissionsBoundaryArn()).isEqualTo(customer);
        assertThat(admin.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(customer).build()).getPolicy()
                .getPermissionsBoundaryUsageCount()).isEqualTo(1);

        Role withAws = admin.createRole(CreateRoleRequest.newBuilder().setRoleName(unique("AwsBounded-"))
                .setAssumeRolePolicyDocument(TRUST).setPermissionsBoundary(FixtureAwsManagedCatalogue.READ_ONLY).build())
                .getRole();
        assertThat(withAws.getPermissionsBoundary().getPermissionsBoundaryArn()).isEqualTo(FixtureAwsManagedCatalogue.READ_ONLY);

        // CreateRole answers a boundary that does not exist with InvalidInput, as IAM does, and stores nothing
        for (String missing : List.of(RoleTests.policyArn(unique("Missing-")), "arn:aws:iam::aws:policy/NoSuchAwsPolicy",
                "arn:aws:iam::123456789012:policy/OtherAccount")) {
            String name = unique("Unbounded-");
            StatusRuntimeException e = assertError(() -> admin.createRole(CreateRoleRequest.newBuilder().setRoleName(name)
                            .setAssumeRolePolicyDocument(TRUST).setPermissionsBoundary(missing).build()),
                    Code.INVALID_ARGUMENT, "InvalidInput", "permissions_boundary");
            assertThat(e.getStatus().getDescription()).isEqualTo("Scope ARN: " + missing + " does not exist or is not attachable.");
            assertError(() -> get(name), Code.NOT_FOUND, "NoSuchEntity");
        }
        assertError(() -> admin.createRole(CreateRoleRequest.newBuilder().setRoleName(unique("Unbounded-"))
                        .setAssumeRolePolicyDocument(TRUST).setPermissionsBoundary("arn:aws:iam::000000000000:role/NotAPolicy")
                        .build()), Code.INVALID_ARGUMENT, "InvalidInput", "permissions_boundary");
        assertError(() -> admin.createRole(CreateRoleRequest.newBuilder().setRoleName(unique("Unbounded-"))
                        .setAssumeRolePolicyDocument(TRUST).setPermissionsBoundary("short").build()),
                Code.INVALID_ARGUMENT, "ValidationError", "permissions_boundary");
    }
}
