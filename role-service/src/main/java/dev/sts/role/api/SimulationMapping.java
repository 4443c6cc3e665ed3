package dev.sts.role.api;

import dev.sts.policy.Outcome;
import dev.sts.proto.v1.Decision;
import dev.sts.proto.v1.EvaluationResult;
import dev.sts.proto.v1.SimulatePrincipalPolicyRequest;
import dev.sts.proto.v1.SimulatePrincipalPolicyResponse;
import dev.sts.proto.v1.StatementRef;
import dev.sts.role.domain.SimulationPage;
import dev.sts.role.domain.SimulationRequest;
import dev.sts.role.domain.SimulationResult;

/** SimulatePrincipalPolicy between the contract and the domain: translation only. */
final class SimulationMapping {

    private SimulationMapping() {
    }

    /** The request fields the simulator takes (all but policy_source_arn, which names the role to load). */
    static SimulationRequest request(SimulatePrincipalPolicyRequest r) {
        return new SimulationRequest(r.getPolicyInputListList(), r.getPermissionsBoundaryPolicyInputListList(),
                r.getActionNamesList(), r.getResourceArnsList(), r.getResourcePolicy(), r.getResourceOwner(),
                r.getCallerArn(),
                r.getContextEntriesList().stream()
                        .map(e -> new SimulationRequest.ContextEntry(e.getKey(), e.getValuesList(), e.getType()))
                        .toList(),
                r.getPageSize(), r.getPageToken());
    }

    static SimulatePrincipalPolicyResponse response(SimulationPage page) {
        SimulatePrincipalPolicyResponse.Builder b = SimulatePrincipalPolicyResponse.newBuilder();
        page.results().forEach(r -> b.addEvaluationResults(result(r)));
        page.nextPageToken().ifPresent(b::setNextPageToken);
        return b.build();
    }

    static EvaluationResult result(SimulationResult r) {
        EvaluationResult.Builder b = EvaluationResult.newBuilder()
                .setEvalActionName(r.actionName())
                .setEvalResourceName(r.resourceName())
                .setEvalDecision(decision(r.decision()))
                .addAllMissingContextValues(r.missingContextValues())
                .addAllTrace(r.trace());
        for (SimulationResult.MatchedStatement s : r.matchedStatements()) {
            b.addMatchedStatements(StatementRef.newBuilder()
                    .setSourcePolicyId(s.sourcePolicyId())
                    .setSourcePolicyType(s.sourcePolicyType().name())
                    .setStatementId(s.statementId())
                    .setEffect(s.effect().json()));
        }
        return b.build();
    }

    static Decision decision(Outcome outcome) {
        return switch (outcome) {
            case ALLOW -> Decision.DECISION_ALLOW;
            case EXPLICIT_DENY -> Decision.DECISION_EXPLICIT_DENY;
            case IMPLICIT_DENY -> Decision.DECISION_IMPLICIT_DENY;
        };
    }
}
