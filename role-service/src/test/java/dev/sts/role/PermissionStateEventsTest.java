package dev.sts.role;

import static dev.sts.role.RoleTests.S3_READ;
import static dev.sts.role.RoleTests.S3_WRITE;
import static dev.sts.role.RoleTests.TRUST;
import static dev.sts.role.RoleTests.assertError;
import static dev.sts.role.RoleTests.createPolicy;
import static dev.sts.role.RoleTests.records;
import static dev.sts.role.RoleTests.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.events.Topics;
import dev.sts.kit.testing.TestChannels;
import dev.sts.role.events.OutboxRelay;
import dev.sts.proto.v1.AttachRolePolicyRequest;
import dev.sts.proto.v1.CreatePolicyVersionRequest;
import dev.sts.proto.v1.CreateRoleRequest;
import dev.sts.proto.v1.DeletePolicyRequest;
import dev.sts.proto.v1.DeletePolicyVersionRequest;
import dev.sts.proto.v1.DeleteRolePolicyRequest;
import dev.sts.proto.v1.DeleteRoleRequest;
import dev.sts.proto.v1.DetachRolePolicyRequest;
import dev.sts.proto.v1.GetRoleRequest;
import dev.sts.proto.v1.InlinePolicy;
import dev.sts.proto.v1.ManagedPolicyState;
import dev.sts.proto.v1.PutRolePermissionsBoundaryRequest;
import dev.sts.proto.v1.PutRolePolicyRequest;
import dev.sts.proto.v1.Role;
import dev.sts.proto.v1.RoleChanged;
import dev.sts.proto.v1.RoleServiceGrpc;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.Tag;
import dev.sts.proto.v1.TagRoleRequest;
import dev.sts.proto.v1.UpdateAssumeRolePolicyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the changes leave on the event topics, read back with a plain consumer from the real
 * broker: the whole state of a role or policy after each change on the compacted permission-state
 * topic, in the order of the changes, a tombstone after deletion; a RoleChanged per change; and
 * the RoleChanged of a refused call.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "roles"))
class PermissionStateEventsTest {
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

    static StsEvent event(ConsumerRecord<String, byte[]> r) {
        try {
            return StsEvent.parseFrom(r.value());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    static List<RoleState> states(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().filter(r -> r.value() != null).map(r -> event(r).getRoleState()).toList();
    }

    @Test
    void everyChangeOfARolePublishesItsWholeStateInOrderAndDeletionATombstone() {
        String name = unique("Stateful-");
        String arn = RoleTests.roleArn(name);
        String customer = createPolicy(admin, unique("Attached-"), S3_READ).getArn();
        String boundary = createPolicy(admin, unique("Boundary-"), S3_WRITE).getArn();
        admin.createRole(CreateRoleRequest.newBuilder().setRoleName(name).setAssumeRolePolicyDocument(TRUST)
                .addTags(Tag.newBuilder().setKey("team").setValue("storage")).build());
        admin.putRolePolicy(PutRolePolicyRequest.newBuilder().setRoleName(name).setPolicyName("write")
                .setPolicyDocument(S3_WRITE).build());
        admin.putRolePolicy(PutRolePolicyRequest.newBuilder().setRoleName(name).setPolicyName("read")
                .setPolicyDocument(S3_READ).build());
        admin.attachRolePolicy(AttachRolePolicyRequest.newBuilder().setRoleName(name).setPolicyArn(customer).build());
        admin.attachRolePolicy(AttachRolePolicyRequest.newBuilder().setRoleName(name)
                .setPolicyArn(FixtureAwsManagedCatalogue.VIEW_ONLY).build());
        admin.putRolePermissionsBoundary(PutRolePermissionsBoundaryRequest.newBuilder().setRoleName(name)
                .setPermissionsBoundary(boundary).build());
        String lambda = TRUST.replace("ec2.amazonaws.com", "lambda.amazonaws.com");
        admin.updateAssumeRolePolicy(UpdateAssumeRolePolicyRequest.newBuilder().setRoleName(name).setPolicyDocument(lambda)
                .build());
        admin.tagRole(TagRoleRequest.newBuilder().setRoleName(name).addTags(Tag.newBuilder().setKey("env").setValue("prod"))
                .build());
        Role role = admin.getRole(GetRoleRequest.newBuilder().setRoleName(name).build()).getRole();
        assertThat(role.getRevision()).isEqualTo(8);

        List<RoleState> states = states(records(Topics.PERMISSION_STATE, arn,
                found -> !found.isEmpty() && states(found).get(states(found).size() - 1).getRevision() == 8));
        assertThat(states).extracting(RoleState::getRevision).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        RoleState last = states.get(states.size() - 1);
        assertThat(last.getArn()).isEqualTo(arn);
        assertThat(last.getRoleId()).isEqualTo(role.getRoleId());
        assertThat(last.getRoleName()).isEqualTo(name);
        assertThat(last.getPath()).isEqualTo("/");
        assertThat(last.getAccountId()).isEqualTo(RoleTests.ACCOUNT);
        assertThat(last.getAssumeRolePolicyDocument()).isEqualTo(lambda);
        assertThat(last.getInlinePoliciesList()).containsExactly(
                InlinePolicy.newBuilder().setPolicyName("read").setPolicyDocument(S3_READ).build(),
                InlinePolicy.newBuilder().setPolicyName("write").setPolicyDocument(S3_WRITE).build());
        assertThat(last.getAttachedPolicyArnsList()).containsExactly(customer, FixtureAwsManagedCatalogue.VIEW_ONLY);
        assertThat(last.getPermissionsBoundaryArn()).isEqualTo(boundary);
        assertThat(last.getMaxSessionDuration()).isEqualTo(3600);
        assertThat(last.getTagsList()).extracting(Tag::getKey).containsExactly("team", "env");
        assertThat(states.get(0).getInlinePoliciesList()).isEmpty();

        // one RoleChanged per change, in order, on the audit topic
        List<String> names = records(Topics.ROLE_EVENTS, arn, found -> found.size() >= 8).stream()
                .map(r -> event(r).getRoleChanged()).filter(c -> c.getErrorCode().isEmpty())
                .map(RoleChanged::getEventName).toList();
        assertThat(names).containsExactly("CreateRole", "PutRolePolicy", "PutRolePolicy", "AttachRolePolicy",
                "AttachRolePolicy", "PutRolePermissionsBoundary", "UpdateAssumeRolePolicy", "TagRole");

        admin.deleteRolePolicy(DeleteRolePolicyRequest.newBuilder().setRoleName(name).setPolicyName("read").build());
        admin.deleteRolePolicy(DeleteRolePolicyRequest.newBuilder().setRoleName(name).setPolicyName("write").build());
        admin.detachRolePolicy(DetachRolePolicyRequest.newBuilder().setRoleName(name).setPolicyArn(customer).build());
        admin.detachRolePolicy(DetachRolePolicyRequest.newBuilder().setRoleName(name)
                .setPolicyArn(FixtureAwsManagedCatalogue.VIEW_ONLY).build());
        admin.deleteRole(DeleteRoleRequest.newBuilder().setRoleName(name).build());

        List<ConsumerRecord<String, byte[]>> all = records(Topics.PERMISSION_STATE, arn,
                found -> !found.isEmpty() && found.get(found.size() - 1).value() == null);
        assertThat(all).hasSize(13);
        assertThat(all.get(all.size() - 1).value()).as("tombstone").isNull();
        RoleState beforeDeletion = event(all.get(all.size() - 2)).getRoleState();
        assertThat(beforeDeletion.getRevision()).isEqualTo(12);
        assertThat(beforeDeletion.getInlinePoliciesList()).isEmpty();
        assertThat(beforeDeletion.getAttachedPolicyArnsList()).isEmpty();
        RoleChanged deleted = event(records(Topics.ROLE_EVENTS, arn, found -> found.size() >= 13).get(12)).getRoleChanged();
        assertThat(deleted.getEventName()).isEqualTo("DeleteRole");
        assertThat(deleted.getRevision()).isZero();
        assertThat(deleted.getRoleId()).isEqualTo(role.getRoleId());
        assertThat(deleted.getRequestParameters().getFieldsOrThrow("roleName").getStringValue()).isEqualTo(name);
    }

    @Test
    void aManagedPolicyPublishesItsDefaultDocumentWhenCreatedOrItsDefaultChangesAndATombstoneWhenDeleted() {
        String arn = createPolicy(admin, unique("Published-"), S3_READ).getArn();
        admin.createPolicyVersion(CreatePolicyVersionRequest.newBuilder().setPolicyArn(arn).setPolicyDocument(S3_READ)
                .build()); // not the default: the state does not change
        admin.createPolicyVersion(CreatePolicyVersionRequest.newBuilder().setPolicyArn(arn).setPolicyDocument(S3_WRITE)
                .setSetAsDefault(true).build());
        admin.deletePolicyVersion(DeletePolicyVersionRequest.newBuilder().setPolicyArn(arn).setVersionId("v1").build());
        admin.deletePolicyVersion(DeletePolicyVersionRequest.newBuilder().setPolicyArn(arn).setVersionId("v2").build());
        admin.deletePolicy(DeletePolicyRequest.newBuilder().setPolicyArn(arn).build());

        List<ConsumerRecord<String, byte[]>> records = records(Topics.PERMISSION_STATE, arn,
                found -> !found.isEmpty() && found.get(found.size() - 1).value() == null);
        assertThat(records).hasSize(3);
        ManagedPolicyState created = event(records.get(0)).getManagedPolicyState();
        assertThat(created.getDefaultVersionId()).isEqualTo("v1");
        assertThat(created.getDefaultDocument()).isEqualTo(S3_READ);
        assertThat(created.getRevision()).isEqualTo(1);
        assertThat(created.getAccountId()).isEqualTo(RoleTests.ACCOUNT);
        assertThat(created.getPolicyId()).matches("ANPA[A-Z2-7]{17}");
        ManagedPolicyState changed = event(records.get(1)).getManagedPolicyState();
        assertThat(changed.getDefaultVersionId()).isEqualTo("v3");
        assertThat(changed.getDefaultDocument()).isEqualTo(S3_WRITE);
        assertThat(changed.getRevision()).isEqualTo(3);
        assertThat(records.get(2).value()).as("tombstone").isNull();

        assertThat(records(Topics.ROLE_EVENTS, arn, found -> found.size() >= 6).stream()
                .map(r -> event(r).getRoleChanged().getEventName()).toList()).containsExactly("CreatePolicy",
                        "CreatePolicyVersion", "CreatePolicyVersion", "DeletePolicyVersion", "DeletePolicyVersion",
                        "DeletePolicy");
    }

    @Test
    void aRefusedCallIsRecordedAsARefusalAndChangesNothing() {
        String name = unique("Refusing-");
        String arn = RoleTests.roleArn(name);
        Role role = RoleTests.createRole(admin, name);
        StatusRuntimeException refused = assertError(() -> RoleTests.intruder(channel).putRolePolicy(PutRolePolicyRequest
                .newBuilder().setRoleName(name).setPolicyName("backdoor").setPolicyDocument(S3_WRITE).build()),
                Code.PERMISSION_DENIED, "AccessDenied");

        // Rows are relayed in commit order: once a later change is on the topics, so is everything before it.
        String marker = RoleTests.createRole(admin, unique("Marker-")).getArn();
        records(Topics.PERMISSION_STATE, marker, found -> !found.isEmpty());
        List<RoleChanged> changes = RoleTests.recordsToEnd(Topics.ROLE_EVENTS, arn).stream()
                .map(r -> event(r).getRoleChanged()).toList();
        assertThat(changes).extracting(RoleChanged::getEventName).containsExactly("CreateRole", "PutRolePolicy");
        RoleChanged denial = changes.get(1);
        assertThat(denial.getResourceArn()).isEqualTo(arn);
        assertThat(denial.getErrorCode()).isEqualTo("AccessDenied");
        assertThat(denial.getErrorMessage()).isEqualTo(refused.getStatus().getDescription());
        assertThat(denial.getRevision()).isZero();
        assertThat(denial.getHeader().getActor().getArn()).isEqualTo("arn:aws:iam::000000000000:user/intruder");
        assertThat(denial.getHeader().getActor().getType()).isEqualTo("IAMUser");
        assertThat(denial.getRequestParameters().getFieldsOrThrow("policyName").getStringValue()).isEqualTo("backdoor");
        assertThat(changes.get(0).getErrorCode()).isEmpty();

        // nothing else changed: the same role, and no state but the one of its creation
        assertThat(admin.getRole(GetRoleRequest.newBuilder().setRoleName(name).build()).getRole()).isEqualTo(role);
        assertThat(RoleTests.recordsToEnd(Topics.PERMISSION_STATE, arn)).hasSize(1);

        // refusals of reads are recorded too, under the ARN the caller was refused on
        String missing = unique("Absent-");
        assertError(() -> RoleTests.intruder(channel).getRole(GetRoleRequest.newBuilder().setRoleName(missing).build()),
                Code.PERMISSION_DENIED, "AccessDenied");
        RoleChanged read = event(records(Topics.ROLE_EVENTS, RoleTests.roleArn(missing), found -> !found.isEmpty()).get(0))
                .getRoleChanged();
        assertThat(read.getEventName()).isEqualTo("GetRole");
        assertThat(read.getErrorCode()).isEqualTo("AccessDenied");
    }

    /**
     * The relay runs only in the transaction that holds its advisory lock: while another replica
     * (here: a plain connection) holds it, nothing is published; once released, the rows go out.
     */
    @Test
    void theRelayIsSingleFlightAcrossReplicas() throws SQLException {
        try (Connection other = RoleTests.jdbc()) {
            try (PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
                lock.setLong(1, OutboxRelay.RELAY_LOCK);
                lock.execute();
            }
            String arn = RoleTests.createRole(admin, unique("Held-")).getArn();
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> !published(arn));
            try (PreparedStatement unlock = other.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, OutboxRelay.RELAY_LOCK);
                unlock.execute();
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> published(arn));
        }
    }

    static boolean published(String key) throws SQLException {
        try (Connection c = RoleTests.jdbc();
                PreparedStatement s = c.prepareStatement(
                        "SELECT count(*) FILTER (WHERE published_at IS NULL), count(*) FROM outbox WHERE record_key = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(2) > 0 && rs.getInt(1) == 0;
            }
        }
    }
}
