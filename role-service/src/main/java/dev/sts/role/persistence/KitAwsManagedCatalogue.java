package dev.sts.role.persistence;

import dev.sts.kit.iam.AwsManagedPolicies;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.ManagedPolicyState;
import dev.sts.role.domain.AwsManagedCatalogue;
import dev.sts.role.domain.ManagedPolicy;
import dev.sts.role.domain.PolicyDetails;
import dev.sts.role.domain.PolicyVersion;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The AWS-managed policies of service-kit's catalogue, the same one every service evaluates with. */
@ApplicationScoped
public class KitAwsManagedCatalogue implements AwsManagedCatalogue {
    private static final Pattern VERSION = Pattern.compile("v([1-9][0-9]{0,8})");

    @Override
    public List<PolicyDetails> all() {
        return states().stream().map(KitAwsManagedCatalogue::toDomain).toList();
    }

    @Override
    public Optional<PolicyDetails> find(String policyArn) {
        return states().stream().filter(p -> p.getArn().equals(policyArn)).findFirst().map(KitAwsManagedCatalogue::toDomain);
    }

    /** The catalogue's entries, in ARN order. */
    protected List<ManagedPolicyState> states() {
        return AwsManagedPolicies.all();
    }

    static PolicyDetails toDomain(ManagedPolicyState s) {
        Matcher m = VERSION.matcher(s.getDefaultVersionId());
        int version = m.matches() ? Integer.parseInt(m.group(1)) : 1;
        Instant updated = Timestamps.toInstant(s.getUpdatedAt());
        ManagedPolicy policy = new ManagedPolicy(s.getPolicyId(), s.getAccountId(), s.getPolicyName(), s.getPath(),
                s.getArn(), "", version, version + 1, List.of(), s.getRevision(), updated, updated);
        return new PolicyDetails(policy, List.of(new PolicyVersion(version, s.getDefaultDocument(), updated)), 0, 0, true);
    }
}
