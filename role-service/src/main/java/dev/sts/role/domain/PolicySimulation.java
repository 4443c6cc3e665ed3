package dev.sts.role.domain;

import dev.sts.kit.arn.Arns;
import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SimulatePrincipalPolicy for a role of this account: authorize the caller on the role's ARN,
 * load the role's policies as they are stored now (inline documents, the default versions of its
 * attached managed policies, its boundary) and let {@link PolicySimulator} evaluate them.
 */
@ApplicationScoped
public class PolicySimulation {
    /**
     * A boundary whose managed policy no longer exists limits the role to nothing: it is never read
     * as "no boundary" (fail closed), as the permission view does.
     */
    static final String ALLOWS_NOTHING = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

    private final RoleStore roles;
    private final PolicyStore policies;
    private final AwsManagedCatalogue catalogue;
    private final PolicySimulator simulator;
    private final Access access;
    private final StsConfig config;

    public PolicySimulation(RoleStore roles, PolicyStore policies, AwsManagedCatalogue catalogue,
            PolicySimulator simulator, Access access, StsConfig config) {
        this.roles = roles;
        this.policies = policies;
        this.catalogue = catalogue;
        this.simulator = simulator;
        this.access = access;
        this.config = config;
    }

    public Uni<SimulationPage> simulate(Call call, String policySourceArn, SimulationRequest request) {
        Arns.RoleArn arn = Arns.parseRole(policySourceArn, "policy_source_arn");
        return access.audited(call, "SimulatePrincipalPolicy", Map.of("policySourceArn", policySourceArn), () -> {
            // IAM authorizes SimulatePrincipalPolicy on the simulated principal's ARN.
            access.require(call, "iam:SimulatePrincipalPolicy", policySourceArn);
            if (!arn.account().equals(config.accountId()) || !arn.partition().equals(config.partition())) {
                return Uni.createFrom().failure(noSuchRole(arn.name()));
            }
            return roles.findDetails(config.accountId(), arn.name())
                    .map(found -> found.filter(d -> d.role().arn().equals(policySourceArn))
                            .orElseThrow(() -> noSuchRole(arn.name())))
                    .flatMap(this::load)
                    // Up to a thousand evaluations: never on the event loop.
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .map(role -> simulator.simulate(role, request));
        });
    }

    private static StsException noSuchRole(String name) {
        return new StsException(ErrorCode.NO_SUCH_ENTITY,
                "The role with name " + name + " cannot be found.", "policy_source_arn");
    }

    private Uni<SimulatedRole> load(RoleDetails details) {
        Role role = details.role();
        List<SimulatedRole.AttachedPolicy> attached = new ArrayList<>();
        details.inlinePolicies().forEach((name, document) -> attached.add(SimulatedRole.AttachedPolicy.inline(name, document)));
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String policyArn : details.attachedPolicyArns()) {
            chain = chain.chain(() -> defaultDocument(policyArn).invoke(doc ->
                    // An attached policy that no longer exists grants nothing: it is left out.
                    doc.ifPresent(d -> attached.add(SimulatedRole.AttachedPolicy.managed(policyArn, d)))).replaceWithVoid());
        }
        String boundaryArn = role.permissionsBoundary();
        return chain.chain(() -> boundaryArn == null || boundaryArn.isEmpty()
                ? Uni.createFrom().item(new SimulatedRole(role.arn(), role.accountId(), attached, null))
                : defaultDocument(boundaryArn).map(doc -> new SimulatedRole(role.arn(), role.accountId(), attached,
                        new SimulatedRole.Boundary(boundaryArn, doc.orElse(ALLOWS_NOTHING)))));
    }

    private Uni<Optional<String>> defaultDocument(String policyArn) {
        Optional<PolicyDetails> aws = catalogue.find(policyArn);
        if (aws.isPresent()) {
            return Uni.createFrom().item(Optional.of(aws.get().defaultVersion().document()));
        }
        return policies.find(config.accountId(), policyArn)
                .map(found -> found.map(p -> p.defaultVersion().document()));
    }
}
