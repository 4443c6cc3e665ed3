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
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.AttachRolePolicyRequest;
import dev.sts.proto.v1.AttachedPolicy;
import dev.sts.proto.v1.DeletePolicyRequest;
import dev.sts.proto.v1.DeleteRolePermissionsBoundaryRequest;
import dev.sts.proto.v1.DeleteRolePolicyRequest;
import dev.sts.proto.v1.DetachRolePolicyRequest;
import dev.sts.proto.v1.GetPolicyRequest;
import dev.sts.proto.v1.GetRolePolicyRequest;
import dev.sts.proto.v1.GetRolePolicyResponse;
import dev.sts.proto.v1.GetRoleRequest;
import dev.sts.proto.v1.ListAttachedRolePoliciesRequest;
import dev.sts.proto.v1.ListAttachedRolePoliciesResponse;
import dev.sts.proto.v1.ListRolePoliciesRequest;
import dev.sts.proto.v1.ListRolePoliciesResponse;
import dev.sts.proto.v1.PutRolePermissionsBoundaryRequest;
import dev.sts.proto.v1.PutRolePolicyRequest;
import dev.sts.proto.v1.Role;
import dev.sts.proto.v1.RoleServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Inline policies, attached managed policies and permissions boundaries of a role, through gRPC. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "roles"))
class RolePoliciesTest {
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

    static void put(String role, String name, String document) {
        admin.putRolePolicy(PutRolePolicyRequest.newBuilder().setRoleName(role).setPolicyName(name)
                .setPolicyDocument(document).build());
    }

    static long revision(String role) {
        return admin.getRole(GetRoleRequest.newBuilder().setRoleName(role).build()).getRole().getRevision();
    }

    static void attach(String role, String arn) {
        admin.attachRolePolicy(AttachRolePolicyRequest.newBuilder().setRoleName(role).setPolicyArn(arn).build());
    }

    static List<String> attachedArns(String role) {
        return admin.listAttachedRolePolicies(ListAttachedRolePoliciesRequest.newBuilder().setRoleName(role).build())
                .getAttachedPoliciesList().stream().map(AttachedPolicy::getPolicyArn).toList();
    }

    @Test
    void putGetListOverwriteAndDeleteInlinePolicies() {
        String role = unique("Inline-");
        createRole(admin, role);
        put(role, "write", S3_WRITE);
        put(role, "read", S3_READ);
        GetRolePolicyResponse read = admin.getRolePolicy(GetRolePolicyRequest.newBuilder().setRoleName(role.toLowerCase())
                .setPolicyName("read").build());
        assertThat(read.getRoleName()).isEqualTo(role);
        assertThat(read.getPolicyName()).isEqualTo("read");
        assertThat(read.getPolicyDocument()).isEqualTo(S3_READ);
        assertThat(admin.listRolePolicies(ListRolePoliciesRequest.newBuilder().setRoleName(role).build())
                .getPolicyNamesList()).containsExactly("read", "write");

        put(role, "read", S3_WRITE); // overwrites
        assertThat(admin.getRolePolicy(GetRolePolicyRequest.newBuilder().setRoleName(role).setPolicyName("read").build())
                .getPolicyDocument()).isEqualTo(S3_WRITE);
        admin.deleteRolePolicy(DeleteRolePolicyRequest.newBuilder().setRoleName(role).setPolicyName("write").build());
        assertThat(admin.listRolePolicies(ListRolePoliciesRequest.newBuilder().setRoleName(role).build())
                .getPolicyNamesList()).containsExactly("read");
        assertThat(revision(role)).isEqualTo(5); // created, two puts, an overwrite, a delete

        StatusRuntimeException gone = assertError(() -> admin.getRolePolicy(GetRolePolicyRequest.newBuilder()
                .setRoleName(role).setPolicyName("write").build()), Code.NOT_FOUND, "NoSuchEntity", "policy_name");
        assertThat(gone.getStatus().getDescription()).isEqualTo("The role policy with name write cannot be found.");
        assertError(() -> admin.deleteRolePolicy(DeleteRolePolicyRequest.newBuilder().setRoleName(role)
                .setPolicyName("write").build()), Code.NOT_FOUND, "NoSuchEntity", "policy_name");
    }

    @Test
    void inlinePoliciesAreValidatedByThePolicyEngineAndNameRules() {
        String role = unique("Checked-");
        createRole(admin, role);
        StatusRuntimeException malformed = assertError(() -> put(role, "p", """
                        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"""),
                Code.INVALID_ARGUMENT, "MalformedPolicyDocument", "policy_document");
        assertThat(malformed.getStatus().getDescription()).contains("Principal");
        assertError(() -> put(role, "p", "{\"Statement\": ["), Code.INVALID_ARGUMENT, "MalformedPolicyDocument",
                "policy_document");
        assertError(() -> put(role, "p", ""), Code.INVALID_ARGUMENT, "MalformedPolicyDocument", "policy_document");
        assertError(() -> put(role, "has space", S3_READ), Code.INVALID_ARGUMENT, "ValidationError", "policy_name");
        assertError(() -> put(role, "n".repeat(129), S3_READ), Code.INVALID_ARGUMENT, "ValidationError", "policy_name");
        put(role, "n".repeat(128), S3_READ);
        assertError(() -> put(unique("Nope-"), "p", S3_READ), Code.NOT_FOUND, "NoSuchEntity", "role_name");
        assertError(() -> put("bad name", "p", S3_READ), Code.INVALID_ARGUMENT, "ValidationError", "role_name");
        assertError(() -> admin.getRolePolicy(GetRolePolicyRequest.newBuilder().setRoleName(unique("Nope-"))
                .setPolicyName("p").build()), Code.NOT_FOUND, "NoSuchEntity", "role_name");
        assertThat(revision(role)).isEqualTo(2);
    }

    @Test
    void allInlinePoliciesOfARoleTogetherStayWithinTenThousandTwoHundredFortyCharactersWithoutWhitespace() {
        String role = unique("Quota-");
        createRole(admin, role);
        put(role, "a", policyOfSize(6000));
        put(role, "b", policyOfSize(4000));
        StatusRuntimeException over = assertError(() -> put(role, "c", policyOfSize(241)), Code.FAILED_PRECONDITION,
                "LimitExceeded", "policy_document");
        assertThat(over.getStatus().getDescription()).isEqualTo("Maximum policy size of 10240 bytes exceeded for role " + role);
        // exactly at the quota, and whitespace is not counted
        put(role, "c", policyOfSize(240).replace(",", ",\n        "));
        // an overwrite counts the new document instead of the old one
        put(role, "b", policyOfSize(3000));
        put(role, "d", policyOfSize(1000));
        assertError(() -> put(role, "a", policyOfSize(6001)), Code.FAILED_PRECONDITION, "LimitExceeded", "policy_document");
        // one document alone over the quota
        assertError(() -> put(role, "big", policyOfSize(10_241)), Code.FAILED_PRECONDITION, "LimitExceeded",
                "policy_document");
        // the raw cap, whitespace included, before anything reads the document
        assertError(() -> put(role, "padded", S3_READ + " ".repeat(131_072)), Code.INVALID_ARGUMENT, "ValidationError",
                "policy_document");
        assertThat(admin.listRolePolicies(ListRolePoliciesRequest.newBuilder().setRoleName(role).build())
                .getPolicyNamesList()).containsExactly("a", "b", "c", "d");
    }

    @Test
    void listRolePoliciesPagesByName() {
        String role = unique("Paged-");
        createRole(admin, role);
        for (String n : List.of("e", "c", "a", "d", "b")) {
            put(role, n, S3_READ);
        }
        List<String> names = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListRolePoliciesResponse page = admin.listRolePolicies(ListRolePoliciesRequest.newBuilder().setRoleName(role)
                    .setPageSize(2).setPageToken(token).build());
            names.addAll(page.getPolicyNamesList());
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(names).containsExactly("a", "b", "c", "d", "e");
        assertThat(pages).isEqualTo(3);
        assertError(() -> admin.listRolePolicies(ListRolePoliciesRequest.newBuilder().setRoleName(role)
                .setPageToken("AAAA").build()), Code.INVALID_ARGUMENT, "InvalidInput", "page_token");
    }

    /**
     * Concurrent writers of one role each read it, change it and write it back only if nobody
     * wrote in between; the losers read again. No write is lost, and the revision counts them all.
     */
    @Test
    void concurrentPutRolePolicyCallsOnOneRoleAllLand() throws Exception {
        String role = unique("Contended-");
        long created = createRole(admin, role).getRevision();
        int writers = 12;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<CompletableFuture<Void>> calls = IntStream.range(0, writers).mapToObj(i -> CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                put(role, "p" + i, S3_READ);
            }, pool)).toList();
            start.countDown();
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(admin.listRolePolicies(ListRolePoliciesRequest.newBuilder().setRoleName(role).build())
                .getPolicyNamesList()).containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, writers).mapToObj(i -> "p" + i).toList());
        assertThat(revision(role)).isEqualTo(created + writers);
    }

    @Test
    void attachDetachAndListManagedPoliciesCustomerAndAwsManaged() {
        String role = unique("Attaching-");
        createRole(admin, role);
        String zeta = createPolicy(admin, "Zeta" + unique(""), S3_READ).getArn();
        String alpha = createPolicy(admin, "alpha" + unique(""), S3_WRITE).getArn();
        attach(role, zeta);
        attach(role, FixtureAwsManagedCatalogue.VIEW_ONLY);
        attach(role, alpha);
        long revision = revision(role);
        attach(role, alpha); // attached already: nothing changes
        assertThat(revision(role)).isEqualTo(revision);

        ListAttachedRolePoliciesResponse listed = admin.listAttachedRolePolicies(ListAttachedRolePoliciesRequest
                .newBuilder().setRoleName(role).build());
        // name order, ignoring case: alpha..., FixtureViewOnly, Zeta...
        assertThat(listed.getAttachedPoliciesList()).extracting(AttachedPolicy::getPolicyArn)
                .containsExactly(alpha, FixtureAwsManagedCatalogue.VIEW_ONLY, zeta);
        assertThat(listed.getAttachedPolicies(1).getPolicyName()).isEqualTo("FixtureViewOnly");
        assertThat(admin.listAttachedRolePolicies(ListAttachedRolePoliciesRequest.newBuilder().setRoleName(role)
                .setPathPrefix("/sts-fixture/").build()).getAttachedPoliciesList()).extracting(AttachedPolicy::getPolicyArn)
                .containsExactly(FixtureAwsManagedCatalogue.VIEW_ONLY);
        ListAttachedRolePoliciesResponse first = admin.listAttachedRolePolicies(ListAttachedRolePoliciesRequest.newBuilder()
                .setRoleName(role).setPageSize(2).build());
        assertThat(first.getAttachedPoliciesCount()).isEqualTo(2);
        assertThat(admin.listAttachedRolePolicies(ListAttachedRolePoliciesRequest.newBuilder().setRoleName(role)
                .setPageSize(2).setPageToken(first.getNextPageToken()).build()).getAttachedPoliciesList())
                .extracting(AttachedPolicy::getPolicyArn).containsExactly(zeta);
        assertThat(admin.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(zeta).build()).getPolicy()
                .getAttachmentCount()).isEqualTo(1);

        admin.detachRolePolicy(DetachRolePolicyRequest.newBuilder().setRoleName(role).setPolicyArn(zeta).build());
        assertThat(attachedArns(role)).containsExactly(alpha, FixtureAwsManagedCatalogue.VIEW_ONLY);
        StatusRuntimeException notAttached = assertError(() -> admin.detachRolePolicy(DetachRolePolicyRequest.newBuilder()
                .setRoleName(role).setPolicyArn(zeta).build()), Code.NOT_FOUND, "NoSuchEntity", "policy_arn");
        assertThat(notAttached.getStatus().getDescription()).isEqualTo("Policy " + zeta + " was not found.");
    }

    @Test
    void attachingAPolicyThatDoesNotExistOrIsNotAnArnIsRefused() {
        String role = unique("Refusing-");
        createRole(admin, role);
        for (String missing : List.of(RoleTests.policyArn(unique("Missing-")), "arn:aws:iam::aws:policy/NoSuchAwsPolicy",
                "arn:aws:iam::123456789012:policy/OtherAccount", "arn:aws-cn:iam::000000000000:policy/OtherPartition")) {
            StatusRuntimeException e = assertError(() -> attach(role, missing), Code.NOT_FOUND, "NoSuchEntity", "policy_arn");
            assertThat(e.getStatus().getDescription()).isEqualTo("Policy " + missing + " does not exist or is not attachable.");
        }
        StatusRuntimeException notArn = assertError(() -> attach(role, "arn:aws:iam::000000000000:role/NotAPolicy"),
                Code.INVALID_ARGUMENT, "InvalidInput", "policy_arn");
        assertThat(notArn.getStatus().getDescription()).isEqualTo("ARN arn:aws:iam::000000000000:role/NotAPolicy is not valid.");
        assertError(() -> attach(role, "arn:aws"), Code.INVALID_ARGUMENT, "ValidationError", "policy_arn");
        assertError(() -> attach(role, "arn:aws:iam::000000000000:policy/" + "x".repeat(2048)), Code.INVALID_ARGUMENT,
                "ValidationError", "policy_arn");
        assertError(() -> attach(unique("Nope-"), FixtureAwsManagedCatalogue.READ_ONLY), Code.NOT_FOUND, "NoSuchEntity",
                "role_name");
        assertThat(attachedArns(role)).isEmpty();
        assertThat(revision(role)).isEqualTo(1);
    }

    @Test
    void aRoleTakesTenManagedPoliciesAtMost() {
        String role = unique("Full-");
        createRole(admin, role);
        List<String> arns = IntStream.range(0, 11).mapToObj(i -> createPolicy(admin, unique("Ten-"), S3_READ).getArn())
                .toList();
        arns.subList(0, 10).forEach(arn -> attach(role, arn));
        StatusRuntimeException e = assertError(() -> attach(role, arns.get(10)), Code.FAILED_PRECONDITION,
                "LimitExceeded", "policy_arn");
        assertThat(e.getStatus().getDescription()).isEqualTo("Cannot exceed quota for PoliciesPerRole: 10");
        assertThat(attachedArns(role)).hasSize(10).doesNotContain(arns.get(10));
        // attaching one it has is no new attachment
        attach(role, arns.get(3));
    }

    @Test
    void putAndDeleteThePermissionsBoundary() {
        String role = unique("Bounded-");
        createRole(admin, role);
        String customer = createPolicy(admin, unique("Boundary-"), S3_READ).getArn();
        admin.putRolePermissionsBoundary(PutRolePermissionsBoundaryRequest.newBuilder().setRoleName(role)
                .setPermissionsBoundary(customer).build());
        assertThat(boundary(role)).isEqualTo(customer);
        admin.putRolePermissionsBoundary(PutRolePermissionsBoundaryRequest.newBuilder().setRoleName(role)
                .setPermissionsBoundary(FixtureAwsManagedCatalogue.READ_ONLY).build());
        assertThat(boundary(role)).isEqualTo(FixtureAwsManagedCatalogue.READ_ONLY);
        assertThat(admin.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(customer).build()).getPolicy()
                .getPermissionsBoundaryUsageCount()).isZero();

        String missing = RoleTests.policyArn(unique("Missing-"));
        StatusRuntimeException e = assertError(() -> admin.putRolePermissionsBoundary(PutRolePermissionsBoundaryRequest
                .newBuilder().setRoleName(role).setPermissionsBoundary(missing).build()), Code.NOT_FOUND, "NoSuchEntity",
                "permissions_boundary");
        assertThat(e.getStatus().getDescription()).isEqualTo("Policy " + missing + " does not exist or is not attachable.");
        assertError(() -> admin.putRolePermissionsBoundary(PutRolePermissionsBoundaryRequest.newBuilder().setRoleName(role)
                .setPermissionsBoundary("not an ARN, not even close to one").build()), Code.INVALID_ARGUMENT, "InvalidInput",
                "permissions_boundary");
        assertThat(boundary(role)).isEqualTo(FixtureAwsManagedCatalogue.READ_ONLY);

        admin.deleteRolePermissionsBoundary(DeleteRolePermissionsBoundaryRequest.newBuilder().setRoleName(role).build());
        assertThat(admin.getRole(GetRoleRequest.newBuilder().setRoleName(role).build()).getRole().hasPermissionsBoundary())
                .isFalse();
        long revision = revision(role);
        // a role without a boundary stays as it is
        admin.deleteRolePermissionsBoundary(DeleteRolePermissionsBoundaryRequest.newBuilder().setRoleName(role).build());
        assertThat(revision(role)).isEqualTo(revision);
        assertError(() -> admin.deleteRolePermissionsBoundary(DeleteRolePermissionsBoundaryRequest.newBuilder()
                .setRoleName(unique("Nope-")).build()), Code.NOT_FOUND, "NoSuchEntity", "role_name");
    }

    static String boundary(String role) {
        Role r = admin.getRole(GetRoleRequest.newBuilder().setRoleName(role).build()).getRole();
        return r.getPermissionsBoundary().getPermissionsBoundaryArn();
    }

    /**
     * An attachment racing the policy's deletion: either the attachment wins and the deletion is
     * refused, or the deletion wins and the attachment is refused. A role never ends up attached
     * to a policy that no longer exists.
     */
    @Test
    void attachRacingDeletePolicyNeverLeavesAnAttachmentToADeletedPolicy() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 6; i++) {
                String role = unique("Racer-");
                createRole(admin, role);
                String arn = createPolicy(admin, unique("Raced-"), S3_READ).getArn();
                CountDownLatch start = new CountDownLatch(1);
                CompletableFuture<String> attached = CompletableFuture.supplyAsync(() -> outcome(start, () -> attach(role, arn)), pool);
                CompletableFuture<String> deleted = CompletableFuture.supplyAsync(() -> outcome(start, () -> admin
                        .deletePolicy(DeletePolicyRequest.newBuilder().setPolicyArn(arn).build())), pool);
                start.countDown();
                String a = attached.get(30, TimeUnit.SECONDS);
                String d = deleted.get(30, TimeUnit.SECONDS);
                if (a.equals("ok")) {
                    assertThat(d).isEqualTo("DeleteConflict");
                    assertThat(attachedArns(role)).containsExactly(arn);
                    assertThat(admin.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(arn).build()).getPolicy()
                            .getAttachmentCount()).isEqualTo(1);
                } else {
                    assertThat(a).isEqualTo("NoSuchEntity");
                    assertThat(d).isEqualTo("ok");
                    assertThat(attachedArns(role)).isEmpty();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static String outcome(CountDownLatch start, Runnable call) {
        try {
            start.await();
            call.run();
            return "ok";
        } catch (StatusRuntimeException e) {
            return GrpcErrors.reason(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void callersOtherThanAdministratorsAreRefusedAndTokenServiceMayReadRolePolicies() {
        String role = unique("Guarded-");
        createRole(admin, role);
        put(role, "read", S3_READ);
        RoleServiceGrpc.RoleServiceBlockingStub intruder = RoleTests.intruder(channel);
        assertError(() -> intruder.putRolePolicy(PutRolePolicyRequest.newBuilder().setRoleName(role).setPolicyName("x")
                .setPolicyDocument(S3_READ).build()), Code.PERMISSION_DENIED, "AccessDenied");
        assertError(() -> intruder.getRolePolicy(GetRolePolicyRequest.newBuilder().setRoleName(role).setPolicyName("read")
                .build()), Code.PERMISSION_DENIED, "AccessDenied");
        // a missing role is refused the same way: a refused caller does not learn what exists
        assertError(() -> intruder.getRolePolicy(GetRolePolicyRequest.newBuilder().setRoleName(unique("Nope-"))
                .setPolicyName("read").build()), Code.PERMISSION_DENIED, "AccessDenied");
        assertError(() -> intruder.attachRolePolicy(AttachRolePolicyRequest.newBuilder().setRoleName(role)
                .setPolicyArn(RoleTests.policyArn(unique("Missing-"))).build()), Code.PERMISSION_DENIED, "AccessDenied");

        RoleServiceGrpc.RoleServiceBlockingStub tokenService = RoleServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(new BearerCredentials("test-token-service"));
        assertThat(tokenService.getRolePolicy(GetRolePolicyRequest.newBuilder().setRoleName(role).setPolicyName("read")
                .build()).getPolicyDocument()).isEqualTo(S3_READ);
        assertThat(tokenService.listAttachedRolePolicies(ListAttachedRolePoliciesRequest.newBuilder().setRoleName(role)
                .build()).getAttachedPoliciesList()).isEmpty();
        assertError(() -> tokenService.deleteRolePolicy(DeleteRolePolicyRequest.newBuilder().setRoleName(role)
                .setPolicyName("read").build()), Code.PERMISSION_DENIED, "AccessDenied");
        assertThat(revision(role)).isEqualTo(2);
    }
}
