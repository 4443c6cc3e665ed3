package dev.sts.system;

import static dev.sts.system.AuditTrail.awaitOne;
import static dev.sts.system.Calls.expectError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sts.cluster.Component;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.AssumeRoleRequest;
import dev.sts.proto.v1.AttachRolePolicyRequest;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.CreatePolicyRequest;
import dev.sts.proto.v1.CreateRoleRequest;
import dev.sts.proto.v1.Decision;
import dev.sts.proto.v1.EvaluationResult;
import dev.sts.proto.v1.GetRoleRequest;
import dev.sts.proto.v1.LookupAttributes;
import dev.sts.proto.v1.LookupEventsRequest;
import dev.sts.proto.v1.PutRolePermissionsBoundaryRequest;
import dev.sts.proto.v1.PutRolePolicyRequest;
import dev.sts.proto.v1.RoleServiceGrpc;
import dev.sts.proto.v1.SimulatePrincipalPolicyRequest;
import dev.sts.proto.v1.TokenServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Roles carry permissions, and every service authorizes a role's sessions with them: the three
 * services as separate processes against a real PostgreSQL and Kafka. A change reaches each
 * service through the permission view (sts.permission-state.v1) within 2 seconds, and a service
 * that restarts rebuilds the view from the topic before it reports ready.
 */
@ExtendWith(SystemCluster.Resolver.class)
class PermissionsEndToEndTest {
    static final String ACCOUNT = EndToEndTest.ACCOUNT;
    static final Duration PROPAGATION = Duration.ofSeconds(2);

    final SystemCluster system;
    final RoleServiceGrpc.RoleServiceBlockingStub admin;

    PermissionsEndToEndTest(SystemCluster system) {
        this.system = system;
        this.admin = RoleServiceGrpc.newBlockingStub(system.roles).withCallCredentials(system.as("admin"));
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    String assumeAsEc2(String roleArn) {
        return TokenServiceGrpc.newBlockingStub(system.tokens).withCallCredentials(system.as("ec2"))
                .assumeRole(AssumeRoleRequest.newBuilder().setRoleArn(roleArn).setRoleSessionName("operator")
                        .setDurationSeconds(900).build())
                .getCredentials().getSessionToken();
    }

    @Test
    void theSeedScenarioAnEc2RoleWithS3ReadOnlyAccess() {
        String name = unique("S3Reader");
        String arn = admin.createRole(CreateRoleRequest.newBuilder().setRoleName(name)
                .setAssumeRolePolicyDocument(EndToEndTest.TRUST_EC2).build()).getRole().getArn();
        admin.attachRolePolicy(AttachRolePolicyRequest.newBuilder().setRoleName(name)
                .setPolicyArn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess").build());

        List<EvaluationResult> results = admin.simulatePrincipalPolicy(SimulatePrincipalPolicyRequest.newBuilder()
                .setPolicySourceArn(arn).addActionNames("s3:GetObject").addActionNames("s3:PutObject")
                .addResourceArns("arn:aws:s3:::reports/2026/q3.csv").build()).getEvaluationResultsList();

        assertThat(results).extracting(EvaluationResult::getEvalActionName, EvaluationResult::getEvalDecision)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("s3:GetObject", Decision.DECISION_ALLOW),
                        org.assertj.core.groups.Tuple.tuple("s3:PutObject", Decision.DECISION_IMPLICIT_DENY));
        assertThat(results.get(0).getMatchedStatementsList())
                .anySatisfy(s -> assertThat(s.getSourcePolicyId()).isEqualTo("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"));
        assertThat(results.get(1).getMatchedStatementsList()).isEmpty();
    }

    @Test
    void aRoleAdminSessionManagesExactlyItsRolesInEveryServiceAndABoundaryTakesPermissionsAway() {
        String team = unique("team");
        String adminRole = unique("RoleAdmin");
        String adminRoleArn = admin.createRole(CreateRoleRequest.newBuilder().setRoleName(adminRole)
                .setAssumeRolePolicyDocument(EndToEndTest.TRUST_EC2).build()).getRole().getArn();
        admin.putRolePolicy(PutRolePolicyRequest.newBuilder().setRoleName(adminRole).setPolicyName("manage-team")
                .setPolicyDocument("""
                        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*Role*",
                         "Resource":"arn:aws:iam::%s:role/%s/*"}]}""".formatted(ACCOUNT, team)).build());
        var session = new BearerCredentials(assumeAsEc2(adminRoleArn));
        RoleServiceGrpc.RoleServiceBlockingStub operator = RoleServiceGrpc.newBlockingStub(system.roles)
                .withCallCredentials(session);

        // role-service: allowed on its team's path (once the view has the policy), refused elsewhere
        // with AWS's message.
        String mine = unique("app");
        await().atMost(PROPAGATION).ignoreException(StatusRuntimeException.class).until(() -> operator
                .createRole(CreateRoleRequest.newBuilder().setRoleName(mine).setPath("/" + team + "/")
                        .setAssumeRolePolicyDocument(EndToEndTest.TRUST_EC2).build()).hasRole());
        assertThat(operator.getRole(GetRoleRequest.newBuilder().setRoleName(mine).build()).getRole().getPath())
                .isEqualTo("/" + team + "/");
        String other = unique("other");
        StatusRuntimeException refused = expectError(() -> operator.createRole(CreateRoleRequest.newBuilder()
                .setRoleName(other).setPath("/elsewhere/").setAssumeRolePolicyDocument(EndToEndTest.TRUST_EC2).build()));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(GrpcErrors.reason(refused)).isEqualTo("AccessDenied");
        String otherArn = "arn:aws:iam::" + ACCOUNT + ":role/elsewhere/" + other;
        assertThat(refused.getStatus().getDescription()).startsWith("User: arn:aws:sts::" + ACCOUNT + ":assumed-role/"
                + adminRole + "/operator is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::"
                + ACCOUNT + ":role/elsewhere/" + other);

        // The refusal is in the audit trail with the session that was refused.
        AuditServiceGrpc.AuditServiceBlockingStub auditAdmin = AuditServiceGrpc.newBlockingStub(system.audit)
                .withCallCredentials(system.as("admin"));
        AuditRecord denial = awaitOne(() -> auditAdmin.lookupEvents(LookupEventsRequest.newBuilder()
                .setLookupAttributes(LookupAttributes.newBuilder().setEventName("CreateRole").setOutcome("Failure")
                        .setPrincipalArn("arn:aws:sts::" + ACCOUNT + ":assumed-role/" + adminRole + "/operator"))
                .build()).getEventsList().stream()
                // (attempts refused before the view had the new policy are recorded too)
                .filter(r -> r.getResourcesList().stream().anyMatch(x -> x.getArn().equals(otherArn)))
                .toList());
        assertThat(denial.getErrorCode()).isEqualTo("AccessDenied");

        // audit-service decides with the same view: no audit permission yet, then one, within 2 s.
        AuditServiceGrpc.AuditServiceBlockingStub operatorAudit = AuditServiceGrpc.newBlockingStub(system.audit)
                .withCallCredentials(session);
        LookupEventsRequest lookup = LookupEventsRequest.newBuilder().build();
        assertThat(expectError(() -> operatorAudit.lookupEvents(lookup)).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        admin.putRolePolicy(PutRolePolicyRequest.newBuilder().setRoleName(adminRole).setPolicyName("read-audit")
                .setPolicyDocument("""
                        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"audit:LookupEvents","Resource":"*"}]}""")
                .build());
        await().atMost(PROPAGATION).ignoreException(StatusRuntimeException.class)
                .until(() -> operatorAudit.lookupEvents(lookup) != null);

        // A restarted audit-service rebuilds the view from the topic before it is ready.
        system.cluster.restart(Component.AUDIT_SERVICE);
        assertThat(operatorAudit.lookupEvents(lookup)).isNotNull();

        // A boundary that allows only reads takes CreateRole away from the session, in role-service.
        String readOnly = admin.createPolicy(CreatePolicyRequest.newBuilder().setPolicyName(unique("RolesReadOnly"))
                .setPolicyDocument("""
                        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*","audit:*"],"Resource":"*"}]}""")
                .build()).getPolicy().getArn();
        admin.putRolePermissionsBoundary(PutRolePermissionsBoundaryRequest.newBuilder().setRoleName(adminRole)
                .setPermissionsBoundary(readOnly).build());
        await().atMost(PROPAGATION).until(() -> {
            try {
                operator.createRole(CreateRoleRequest.newBuilder().setRoleName(unique("later")).setPath("/" + team + "/")
                        .setAssumeRolePolicyDocument(EndToEndTest.TRUST_EC2).build());
                return false;
            } catch (StatusRuntimeException e) {
                return e.getStatus().getCode() == Status.Code.PERMISSION_DENIED
                        && e.getStatus().getDescription().contains("permissions boundary");
            }
        });
        assertThat(operator.getRole(GetRoleRequest.newBuilder().setRoleName(mine).build()).hasRole()).isTrue();
    }
}
