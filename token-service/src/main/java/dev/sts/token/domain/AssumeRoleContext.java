package dev.sts.token.domain;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.policy.RequestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The request context of an AssumeRole call, as AWS builds it: the principal keys,
 * sts:ExternalId, sts:RoleSessionName, sts:SourceIdentity, session tags, time and source IP. The
 * trust policy and the caller's session policy are evaluated against the same context.
 */
record AssumeRoleContext(CallerIdentity caller, String roleArn, String roleAccount, String sessionName,
        String externalId, String sourceIdentity, Map<String, String> tags, List<String> transitiveTagKeys,
        String sourceIp, Instant now) {

    RequestContext build() {
        RequestContext.Builder ctx = RequestContext.builder();
        CallerIdentity c = caller;
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
        ctx.put("sts:RoleSessionName", sessionName);
        if (externalId != null) {
            ctx.put("sts:ExternalId", externalId);
        }
        String effectiveSourceIdentity = c.isSession() && c.session().sourceIdentity() != null
                ? c.session().sourceIdentity() : sourceIdentity;
        if (effectiveSourceIdentity != null) {
            ctx.put("sts:SourceIdentity", effectiveSourceIdentity);
        }
        if (c.isSession()) {
            if (c.session().sourceIdentity() != null) {
                ctx.put("aws:SourceIdentity", c.session().sourceIdentity());
            }
            c.session().tags().forEach((k, v) -> ctx.put("aws:PrincipalTag/" + k, v));
            ctx.put("aws:TokenIssueTime", c.session().issuedAt().toString());
        }
        tags.forEach((k, v) -> ctx.put("aws:RequestTag/" + k, v));
        ctx.putMulti("aws:TagKeys", new ArrayList<>(tags.keySet()));
        if (!transitiveTagKeys.isEmpty()) {
            ctx.putMulti("sts:TransitiveTagKeys", transitiveTagKeys);
        }
        ctx.put("aws:CurrentTime", now.toString());
        ctx.put("aws:EpochTime", Long.toString(now.getEpochSecond()));
        ctx.put("aws:MultiFactorAuthPresent", "false");
        ctx.put("aws:SecureTransport", "false");
        if (sourceIp != null && !sourceIp.isEmpty()) {
            ctx.put("aws:SourceIp", sourceIp);
        }
        return ctx.build();
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
