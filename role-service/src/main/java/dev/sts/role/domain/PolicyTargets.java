package dev.sts.role.domain;

import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.StsException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Finds the managed policy a role is to use (attached, or as permissions boundary): an
 * AWS-managed one from the catalogue, or a customer-managed one of this account. Looking one up
 * never fails for a missing policy, so that use cases answer that only after authorizing the caller.
 */
@ApplicationScoped
public class PolicyTargets {
    private final PolicyStore policies;
    private final AwsManagedCatalogue catalogue;
    private final StsConfig config;

    public PolicyTargets(PolicyStore policies, AwsManagedCatalogue catalogue, StsConfig config) {
        this.policies = policies;
        this.catalogue = catalogue;
        this.config = config;
    }

    /**
     * A policy to be used by a role.
     *
     * @param reference for a customer-managed policy, what the role change locks so that the
     *     policy cannot be deleted under it; null for an AWS-managed one
     */
    public record Target(String arn, boolean exists, PolicyReference reference) {
        /** Throws the missing error unless the policy exists. */
        public Target require(Supplier<StsException> ifMissing) {
            if (!exists) {
                throw ifMissing.get();
            }
            return this;
        }
    }

    public Uni<Target> lookup(PolicyArn arn, Supplier<StsException> ifMissing) {
        String text = arn.arn();
        if (arn.awsManaged()) {
            return Uni.createFrom().item(new Target(text, catalogue.find(text).isPresent(), null));
        }
        if (!arn.partition().equals(config.partition()) || !arn.account().equals(config.accountId())) {
            return Uni.createFrom().item(new Target(text, false, null));
        }
        return policies.find(config.accountId(), text)
                .map(found -> new Target(text, found.isPresent(), new PolicyReference(text, ifMissing)));
    }
}
