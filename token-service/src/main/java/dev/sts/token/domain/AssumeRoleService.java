package dev.sts.token.domain;

import dev.sts.kit.arn.Arns;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.auth.StaticCredentials;
import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.id.Ids;
import dev.sts.policy.Decision;
import dev.sts.policy.StatementRef;
import dev.sts.token.config.TokenConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * AssumeRole: validate every input, load the role, evaluate its trust policy and the calling
 * session's session policy, mint credentials, and answer only after the decision is durably
 * recorded. Denials are uniform to the caller (a missing role, a refusing trust policy and a
 * refusing session policy look the same); the decision log records the real reason.
 *
 * <p>Depends only on ports ({@link RoleDirectory}, {@link SessionSigner}, {@link DecisionLog},
 * the clock); the adapters in api, signing and events implement them.
 */
@ApplicationScoped
public class AssumeRoleService {
    private static final Logger LOG = Logger.getLogger(AssumeRoleService.class);

    private final RoleDirectory roles;
    private final TrustCheck trust;
    private final SessionPolicyCheck sessionPolicies;
    private final SessionSigner signer;
    private final DecisionLog log;
    private final StsConfig sts;
    private final TokenConfig config;
    private final InstantSource clock;

    public AssumeRoleService(RoleDirectory roles, TrustCheck trust, SessionPolicyCheck sessionPolicies, SessionSigner signer,
            DecisionLog log, StsConfig sts, TokenConfig config, InstantSource clock) {
        this.roles = roles;
        this.trust = trust;
        this.sessionPolicies = sessionPolicies;
        this.signer = signer;
        this.log = log;
        this.sts = sts;
        this.config = config;
        this.clock = clock;
    }

    /** The request as the caller sent it; bounded by {@link AssumeRoleValidation} before any use. */
    public record Command(String roleArn, String sessionName, String policy, List<String> policyArns, int durationSeconds,
            List<SessionTag> tags, List<String> transitiveTagKeys, String externalId, String sourceIdentity) {
        public Command {
            policyArns = policyArns == null ? List.of() : List.copyOf(policyArns);
            tags = tags == null ? List.of() : List.copyOf(tags);
            transitiveTagKeys = transitiveTagKeys == null ? List.of() : List.copyOf(transitiveTagKeys);
        }
    }

    /** The issued session; the secret access key exists only here and in the response. */
    public record Issued(SessionClaims session, String secretAccessKey, String sessionToken, int packedPolicySize) {
    }

    public Uni<Issued> assumeRole(CallerIdentity caller, CallContext call, Command cmd) {
        // Everything the caller supplied is bounded before any decision or event exists.
        AssumeRoleValidation.Valid valid = AssumeRoleValidation.validate(cmd);
        SessionClaims callerSession = caller.isSession() ? caller.session() : null;
        SessionTags.Merged tags = SessionTags.merge(callerSession, cmd.tags(), valid.transitiveTagKeys());
        if (!cmd.policyArns().isEmpty()) {
            throw new StsException(ErrorCode.NOT_IMPLEMENTED, "managed session policies (policy_arns) are not supported yet",
                    "policy_arns");
        }
        int packedPolicySize = AssumeRoleValidation.packedPolicySize(valid.minifiedPolicy(), cmd.policyArns(), tags.tags());
        Arns.RoleArn arn = valid.roleArn();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);

        if (callerSession != null && callerSession.sourceIdentity() != null && cmd.sourceIdentity() != null
                && !callerSession.sourceIdentity().equals(cmd.sourceIdentity())) {
            return deny(caller, call, cmd, "source identity cannot be changed once set on a session",
                    DecisionLog.PolicySource.TRUST, List.of());
        }
        return roles.find(arn.name()).flatMap(found -> {
            // The ARN must name the stored role exactly (account and path included).
            RoleView role = found.filter(r -> r.arn().equals(arn.arn())).orElse(null);
            if (role == null) {
                return deny(caller, call, cmd, "role does not exist: " + arn.arn(), DecisionLog.PolicySource.TRUST, List.of());
            }
            AssumeRoleContext context = new AssumeRoleContext(caller, role.arn(), role.accountId(), cmd.sessionName(),
                    cmd.externalId(), cmd.sourceIdentity(), cmd.tags().isEmpty() ? java.util.Map.of() : requestedTags(cmd),
                    valid.transitiveTagKeys(), call.sourceIp(), now);
            Decision decision = trust.evaluate(context, role.trustPolicy());
            if (!decision.isAllowed()) {
                return deny(caller, call, cmd, "trust policy: " + decision.outcome().wireName() + ": " + decision.reason(),
                        DecisionLog.PolicySource.TRUST, decision.decidingStatements());
            }
            Decision limit = sessionPolicies.evaluate(context);
            if (!limit.isAllowed()) {
                return deny(caller, call, cmd, "session policy of the calling session: " + limit.outcome().wireName() + ": "
                        + limit.reason(), DecisionLog.PolicySource.SESSION, limit.decidingStatements());
            }
            int duration = AssumeRoleValidation.duration(cmd.durationSeconds(), role.maxSessionDuration(), caller.isSession());
            String sourceIdentity = callerSession != null && callerSession.sourceIdentity() != null
                    ? callerSession.sourceIdentity() : cmd.sourceIdentity();
            SessionClaims claims = new SessionClaims(config.issuer(), sts.auth().audience(), Ids.sessionId(),
                    Arns.assumedRole(arn.partition(), role.accountId(), role.roleName(), cmd.sessionName()),
                    role.arn(), role.roleId(), cmd.sessionName(), role.accountId(), sourceIdentity,
                    tags.tags(), tags.transitiveTagKeys(), Credentials.accessKeyId(), now,
                    now.plusSeconds(duration), callerSession != null ? callerSession.chainDepth() + 1 : 1, caller.arn(),
                    cmd.policy() == null ? null : StaticCredentials.sha256Hex(cmd.policy()), valid.minifiedPolicy());
            SignedSession signed = signer.sign(claims);
            return log.issued(new DecisionLog.Issuance(caller, call, cmd, signed, decision.decidingStatements()))
                    .map(ack -> new Issued(signed.claims(), Credentials.secretAccessKey(), signed.token(), packedPolicySize))
                    .invoke(issued -> LOG.infof("issued session %s (access key %s) for %s to %s", issued.session().sessionId(),
                            issued.session().accessKeyId(), role.arn(), caller.arn()));
        });
    }

    private static java.util.Map<String, String> requestedTags(Command cmd) {
        java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();
        cmd.tags().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    private Uni<Issued> deny(CallerIdentity caller, CallContext call, Command cmd, String reason,
            DecisionLog.PolicySource decidedBy, List<StatementRef> deciding) {
        String message = "User: " + caller.arn() + " is not authorized to perform: sts:AssumeRole on resource: " + cmd.roleArn();
        return log.denied(new DecisionLog.Denial(caller, call, cmd, ErrorCode.ACCESS_DENIED.awsCode(), message, reason,
                        decidedBy, deciding))
                .onItem().transformToUni(ack -> Uni.createFrom().<Issued>failure(StsException.accessDenied(message)));
    }
}
