package dev.sts.token.domain;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.policy.Decision;
import dev.sts.policy.EvaluationRequest;
import dev.sts.policy.MalformedPolicyException;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicyEvaluator;
import dev.sts.policy.PolicyType;
import dev.sts.policy.RequestContext;
import dev.sts.policy.RequestKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a role's trust policy for an AssumeRole request with the policy engine, building the
 * request context AWS would: the principal keys, sts:ExternalId, sts:RoleSessionName,
 * sts:SourceIdentity, session tags, time and source IP.
 */
@ApplicationScoped
public class TrustCheck {
    private final PolicyEvaluator evaluator = PolicyEvaluator.iam();

    public record Request(CallerIdentity caller, String roleArn, String roleAccount, String trustPolicy,
            String sessionName, String externalId, String sourceIdentity, Map<String, String> tags,
            List<String> transitiveTagKeys, String sourceIp, Instant now) {
    }

    public Decision evaluate(Request r) {
        Policy trust;
        try {
            trust = Policy.parse(r.trustPolicy(), PolicyType.TRUST, "trust:" + r.roleArn());
        } catch (MalformedPolicyException e) {
            // A stored trust policy that no longer parses trusts nobody.
            return new Decision(dev.sts.policy.Outcome.IMPLICIT_DENY, List.of(),
                    "the role's trust policy is malformed: " + e.getMessage(), List.of());
        }
        RequestContext.Builder ctx = RequestContext.builder();
        CallerIdentity c = r.caller();
        String principalArn = c.isSession() ? c.session().roleArn() : c.arn();
        ctx.put("aws:PrincipalArn", principalArn);
        if (c.accountId() != null) {
            ctx.put("aws:PrincipalAccount", c.accountId());
        }
        ctx.put("aws:PrincipalType", principalType(c));
        ctx.put("aws:userid", c.userId() == null ? c.arn() : c.userId());
        if ("IAMUser".equals(c.type())) {
            ctx.put("aws:username", c.arn().substring(c.arn().lastIndexOf('/') + 1));
        }
        ctx.put("sts:RoleSessionName", r.sessionName());
        if (r.externalId() != null) {
            ctx.put("sts:ExternalId", r.externalId());
        }
        String sourceIdentity = c.isSession() && c.session().sourceIdentity() != null ? c.session().sourceIdentity() : r.sourceIdentity();
        if (sourceIdentity != null) {
            ctx.put("sts:SourceIdentity", sourceIdentity);
        }
        if (c.isSession()) {
            if (c.session().sourceIdentity() != null) {
                ctx.put("aws:SourceIdentity", c.session().sourceIdentity());
            }
            c.session().tags().forEach((k, v) -> ctx.put("aws:PrincipalTag/" + k, v));
            ctx.put("aws:TokenIssueTime", c.session().issuedAt().toString());
        }
        r.tags().forEach((k, v) -> ctx.put("aws:RequestTag/" + k, v));
        ctx.putMulti("aws:TagKeys", new ArrayList<>(r.tags().keySet()));
        if (!r.transitiveTagKeys().isEmpty()) {
            ctx.putMulti("sts:TransitiveTagKeys", r.transitiveTagKeys());
        }
        ctx.put("aws:CurrentTime", r.now().toString());
        ctx.put("aws:EpochTime", Long.toString(r.now().getEpochSecond()));
        ctx.put("aws:MultiFactorAuthPresent", "false");
        ctx.put("aws:SecureTransport", "false");
        if (r.sourceIp() != null && !r.sourceIp().isEmpty()) {
            ctx.put("aws:SourceIp", r.sourceIp());
        }
        EvaluationRequest request = EvaluationRequest.builder()
                .kind(RequestKind.ASSUME_ROLE)
                .principal(c.arn())
                .action("sts:AssumeRole")
                .resource(r.roleArn())
                .resourceAccount(r.roleAccount())
                .context(ctx.build())
                .resourcePolicy(trust)
                .build();
        return evaluator.evaluate(request);
    }

    private static String principalType(CallerIdentity c) {
        return switch (c.type()) {
            case "Root" -> "Account";
            case "IAMUser" -> "User";
            case "AssumedRole" -> "AssumedRole";
            case "AWSService" -> "Service";
            default -> c.type();
        };
    }
}
