package dev.sts.role.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.policy.Effect;
import dev.sts.policy.Outcome;
import dev.sts.policy.PolicyType;
import dev.sts.proto.v1.ContextEntry;
import dev.sts.proto.v1.Decision;
import dev.sts.proto.v1.EvaluationResult;
import dev.sts.proto.v1.SimulatePrincipalPolicyRequest;
import dev.sts.proto.v1.SimulatePrincipalPolicyResponse;
import dev.sts.proto.v1.StatementRef;
import dev.sts.role.domain.SimulationPage;
import dev.sts.role.domain.SimulationRequest;
import dev.sts.role.domain.SimulationResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SimulatePrincipalPolicy's contract messages to and from the domain, field by field. */
class SimulationMappingTest {

    @Test
    void everyRequestFieldButTheRoleReachesTheDomain() {
        SimulatePrincipalPolicyRequest proto = SimulatePrincipalPolicyRequest.newBuilder()
                .setPolicySourceArn("arn:aws:iam::111122223333:role/S3AccessRole")
                .addPolicyInputList("{input}")
                .addPermissionsBoundaryPolicyInputList("{boundary}")
                .addActionNames("s3:GetObject")
                .addResourceArns("arn:aws:s3:::b/k")
                .setResourcePolicy("{resource}")
                .setResourceOwner("444455556666")
                .setCallerArn("arn:aws:iam::111122223333:user/Bob")
                .addContextEntries(ContextEntry.newBuilder().setKey("aws:SourceIp").addValues("192.0.2.1").setType("ip"))
                .setPageSize(10)
                .setPageToken("token")
                .build();

        assertThat(SimulationMapping.request(proto)).isEqualTo(new SimulationRequest(List.of("{input}"),
                List.of("{boundary}"), List.of("s3:GetObject"), List.of("arn:aws:s3:::b/k"), "{resource}", "444455556666",
                "arn:aws:iam::111122223333:user/Bob",
                List.of(new SimulationRequest.ContextEntry("aws:SourceIp", List.of("192.0.2.1"), "ip")), 10, "token"));
    }

    @Test
    void unsetFieldsAreEmpty() {
        SimulationRequest r = SimulationMapping.request(SimulatePrincipalPolicyRequest.getDefaultInstance());
        assertThat(r).isEqualTo(new SimulationRequest(List.of(), List.of(), List.of(), List.of(), "", "", "", List.of(), 0, ""));
    }

    @Test
    void resultsBecomeEvaluationResults() {
        SimulationResult allowed = new SimulationResult("s3:GetObject", "*", Outcome.ALLOW,
                List.of(new SimulationResult.MatchedStatement("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
                        PolicyType.IDENTITY, "#0", Effect.ALLOW)),
                List.of("aws:SourceIp"), List.of("Allow: identity policies allow"));
        SimulationResult denied = new SimulationResult("s3:PutObject", "*", Outcome.EXPLICIT_DENY,
                List.of(new SimulationResult.MatchedStatement("ResourcePolicy", PolicyType.RESOURCE, "NoWrites", Effect.DENY)),
                List.of(), List.of());
        SimulationResult implicit = new SimulationResult("s3:DeleteObject", "*", Outcome.IMPLICIT_DENY, List.of(),
                List.of(), List.of());

        SimulatePrincipalPolicyResponse last = SimulationMapping.response(
                new SimulationPage(List.of(allowed, denied, implicit), Optional.empty()));

        assertThat(last.getNextPageToken()).isEmpty();
        assertThat(last.getEvaluationResultsList()).containsExactly(
                EvaluationResult.newBuilder().setEvalActionName("s3:GetObject").setEvalResourceName("*")
                        .setEvalDecision(Decision.DECISION_ALLOW)
                        .addMatchedStatements(StatementRef.newBuilder()
                                .setSourcePolicyId("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
                                .setSourcePolicyType("IDENTITY").setStatementId("#0").setEffect("Allow"))
                        .addMissingContextValues("aws:SourceIp")
                        .addTrace("Allow: identity policies allow")
                        .build(),
                EvaluationResult.newBuilder().setEvalActionName("s3:PutObject").setEvalResourceName("*")
                        .setEvalDecision(Decision.DECISION_EXPLICIT_DENY)
                        .addMatchedStatements(StatementRef.newBuilder().setSourcePolicyId("ResourcePolicy")
                                .setSourcePolicyType("RESOURCE").setStatementId("NoWrites").setEffect("Deny"))
                        .build(),
                EvaluationResult.newBuilder().setEvalActionName("s3:DeleteObject").setEvalResourceName("*")
                        .setEvalDecision(Decision.DECISION_IMPLICIT_DENY)
                        .build());

        SimulatePrincipalPolicyResponse more = SimulationMapping.response(new SimulationPage(List.of(), Optional.of("next")));
        assertThat(more.getNextPageToken()).isEqualTo("next");
    }
}
