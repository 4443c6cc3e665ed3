package dev.sts.token.domain;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.PrincipalContextKeys;
import dev.sts.policy.RequestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The request context of an AssumeRole call, as AWS builds it: the principal keys,
 * sts:ExternalId, sts:RoleSessionName, sts:SourceIdentity, session tags, time, source IP and whether
 * the call came over TLS (aws:SecureTransport). The
 * trust policy and the caller's own policies are evaluated against the same context.
 */
record AssumeRoleContext(CallerIdentity caller, String roleArn, String roleAccount, String sessionName,
        String externalId, String sourceIdentity, Map<String, String> tags, List<String> transitiveTagKeys,
        String sourceIp, Instant now, boolean secureTransport) {

    AssumeRoleContext(CallerIdentity caller, String roleArn, String roleAccount, String sessionName,
            String externalId, String sourceIdentity, Map<String, String> tags, List<String> transitiveTagKeys,
            String sourceIp, Instant now) {
        this(caller, roleArn, roleAccount, sessionName, externalId, sourceIdentity, tags, transitiveTagKeys, sourceIp,
                now, false);
    }

    /**
     * @param callerRoleTags the tags of the calling session's role (its principal tags, with its
     *     session tags overriding them), empty for other callers
     */
    RequestContext build(Map<String, String> callerRoleTags) {
        RequestContext.Builder ctx = RequestContext.builder();
        CallerIdentity c = caller;
        // aws:PrincipalArn, PrincipalAccount, PrincipalType, userid, username, and for a session its
        // SourceIdentity, PrincipalTag/* and TokenIssueTime: the same keys every RPC is authorized with.
        PrincipalContextKeys.put(ctx, c, callerRoleTags);
        ctx.put("sts:RoleSessionName", sessionName);
        if (externalId != null) {
            ctx.put("sts:ExternalId", externalId);
        }
        String effectiveSourceIdentity = c.isSession() && c.session().sourceIdentity() != null
                ? c.session().sourceIdentity() : sourceIdentity;
        if (effectiveSourceIdentity != null) {
            ctx.put("sts:SourceIdentity", effectiveSourceIdentity);
        }
        tags.forEach((k, v) -> ctx.put("aws:RequestTag/" + k, v));
        ctx.putMulti("aws:TagKeys", new ArrayList<>(tags.keySet()));
        if (!transitiveTagKeys.isEmpty()) {
            ctx.putMulti("sts:TransitiveTagKeys", transitiveTagKeys);
        }
        ctx.put("aws:CurrentTime", now.toString());
        ctx.put("aws:EpochTime", Long.toString(now.getEpochSecond()));
        ctx.put("aws:MultiFactorAuthPresent", "false");
        ctx.put("aws:SecureTransport", Boolean.toString(secureTransport));
        if (sourceIp != null && !sourceIp.isEmpty()) {
            ctx.put("aws:SourceIp", sourceIp);
        }
        return ctx.build();
    }
}
