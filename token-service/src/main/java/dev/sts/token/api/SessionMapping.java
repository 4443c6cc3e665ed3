package dev.sts.token.api;

import dev.sts.kit.auth.ContextEntries;
import dev.sts.kit.auth.DecidingStatement;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.time.Timestamps;
import dev.sts.policy.Outcome;
import dev.sts.proto.v1.AssumedRoleUser;
import dev.sts.proto.v1.AuthorizeRequest;
import dev.sts.proto.v1.AuthorizeResponse;
import dev.sts.proto.v1.Decision;
import dev.sts.proto.v1.Session;
import dev.sts.proto.v1.StatementRef;
import dev.sts.proto.v1.Tag;
import dev.sts.token.domain.SessionChecks;

/** ValidateSessionToken and Authorize between the contract and the domain: translation only. */
final class SessionMapping {

    private SessionMapping() {
    }

    static SessionChecks.AuthorizeCommand command(AuthorizeRequest r) {
        return new SessionChecks.AuthorizeCommand(r.getSessionToken(), r.getAction(), r.getResource(),
                r.getContextList().stream().map(e -> new ContextEntries.Entry(e.getKey(), e.getValuesList(), e.getType()))
                        .toList(),
                r.getResourcePolicy(), r.getResourceAccount());
    }

    static AuthorizeResponse response(SessionChecks.Authorized a) {
        AuthorizeResponse.Builder b = AuthorizeResponse.newBuilder()
                .setDecision(decision(a.evaluation().outcome()))
                .setSession(session(a.session()));
        for (DecidingStatement s : a.evaluation().decidingStatements()) {
            b.addMatchedStatements(StatementRef.newBuilder()
                    .setSourcePolicyId(s.sourcePolicyId())
                    .setSourcePolicyType(s.type().name())
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

    /** The contract's Session: what the token carries, never the session policy's text. */
    static Session session(SessionClaims s) {
        Session.Builder b = Session.newBuilder()
                .setSessionId(s.sessionId())
                .setAssumedRoleUser(AssumedRoleUser.newBuilder().setArn(s.assumedRoleArn()).setAssumedRoleId(s.userId()))
                .setRoleArn(s.roleArn())
                .setRoleId(s.roleId())
                .setRoleSessionName(s.sessionName())
                .setSourceIdentity(nullToEmpty(s.sourceIdentity()))
                .addAllTransitiveTagKeys(s.transitiveTagKeys())
                .setAccessKeyId(s.accessKeyId())
                .setIssuedAt(Timestamps.of(s.issuedAt()))
                .setExpiration(Timestamps.of(s.expiresAt()))
                .setChainDepth(s.chainDepth())
                .setIssuerPrincipalArn(nullToEmpty(s.issuerPrincipalArn()))
                .setSessionPolicySha256(nullToEmpty(s.sessionPolicySha256()));
        s.tags().forEach((k, v) -> b.addTags(Tag.newBuilder().setKey(k).setValue(v)));
        return b.build();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
