package dev.sts.token.domain;

import dev.sts.policy.Decision;
import dev.sts.policy.EvaluationRequest;
import dev.sts.policy.MalformedPolicyException;
import dev.sts.policy.Outcome;
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
 * Evaluates a role's trust policy for AssumeRoleWithWebIdentity. The principal is the provider's
 * ARN (a trust policy names it as {@code "Principal":{"Federated":"arn:aws:iam::<account>:oidc-provider/<id>"}})
 * and the action {@code sts:AssumeRoleWithWebIdentity}. The request context carries the keys IAM
 * documents for OIDC federation (IAM User Guide, "Available keys for AWS web identity federation",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif):
 * <ul>
 *   <li>{@code <id>:sub}: the token's subject; for a Kubernetes service account
 *       {@code system:serviceaccount:<namespace>:<name>}, as IRSA trust policies test it;
 *   <li>{@code <id>:aud}: the audience that matched one of the provider's client ids;
 *       {@code <id>:oaud}: the token's other audiences;
 *   <li>{@code <id>:amr}: the authentication methods, multi-valued (tested with ForAnyValue:);
 *   <li>{@code aws:FederatedProvider}: the provider's ARN;
 * </ul>
 * plus {@code sts:RoleSessionName}, {@code sts:SourceIdentity} and the session tags
 * ({@code aws:RequestTag/*}, {@code aws:TagKeys}, {@code sts:TransitiveTagKeys}) taken from the
 * token's claims, and the time and source address.
 */
@ApplicationScoped
public class WebIdentityTrust {
    public static final String ACTION = "sts:AssumeRoleWithWebIdentity";
    private final PolicyEvaluator evaluator = PolicyEvaluator.iam();

    Decision evaluate(WebIdentity id, RoleView role, String sessionName, Map<String, String> tags,
            List<String> transitiveTagKeys, String sourceIp, Instant now, boolean secureTransport) {
        Policy trust;
        try {
            trust = Policy.parse(role.trustPolicy(), PolicyType.TRUST, "trust:" + role.arn());
        } catch (MalformedPolicyException e) {
            // A stored trust policy that no longer parses trusts nobody.
            return new Decision(Outcome.IMPLICIT_DENY, List.of(), "the role's trust policy is malformed: " + e.getMessage(),
                    List.of());
        }
        EvaluationRequest request = EvaluationRequest.builder()
                .kind(RequestKind.ASSUME_ROLE)
                .principal(id.provider().arn())
                .action(ACTION)
                .resource(role.arn())
                .resourceAccount(role.accountId())
                .context(context(id, sessionName, tags, transitiveTagKeys, sourceIp, now, secureTransport))
                .resourcePolicy(trust)
                .build();
        return evaluator.evaluate(request);
    }

    static RequestContext context(WebIdentity id, String sessionName, Map<String, String> tags,
            List<String> transitiveTagKeys, String sourceIp, Instant now, boolean secureTransport) {
        String p = id.provider().id();
        RequestContext.Builder ctx = RequestContext.builder();
        ctx.put(p + ":sub", id.subject());
        ctx.put(p + ":aud", id.audience());
        if (!id.otherAudiences().isEmpty()) {
            ctx.putMulti(p + ":oaud", id.otherAudiences());
        }
        if (!id.amr().isEmpty()) {
            ctx.putMulti(p + ":amr", id.amr());
        }
        ctx.put("aws:FederatedProvider", id.provider().arn());
        ctx.put("sts:RoleSessionName", sessionName);
        if (id.sourceIdentity() != null) {
            ctx.put("sts:SourceIdentity", id.sourceIdentity());
        }
        tags.forEach((k, v) -> ctx.put("aws:RequestTag/" + k, v));
        ctx.putMulti("aws:TagKeys", new ArrayList<>(tags.keySet()));
        if (!transitiveTagKeys.isEmpty()) {
            ctx.putMulti("sts:TransitiveTagKeys", transitiveTagKeys);
        }
        ctx.put("aws:CurrentTime", now.toString());
        ctx.put("aws:EpochTime", Long.toString(now.getEpochSecond()));
        ctx.put("aws:SecureTransport", Boolean.toString(secureTransport));
        if (sourceIp != null && !sourceIp.isEmpty()) {
            ctx.put("aws:SourceIp", sourceIp);
        }
        return ctx.build();
    }
}
