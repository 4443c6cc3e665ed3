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
import dev.sts.token.config.TokenConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * AssumeRole: validate every input, find the role, evaluate its trust policy together with the
 * caller's own policies ({@link AssumeRoleAuthorization}), mint credentials, and answer only after
 * the decision is durably recorded. Denials are uniform to the caller (a missing role, a refusing
 * trust policy and a refusing identity, boundary or session policy look the same); the decision
 * log records the real reason.
 *
 * <p>Depends only on ports ({@link RoleDirectory} and the permission view behind
 * {@link RoleLookup}, {@link SessionSigner}, {@link DecisionLog}, the clock); the adapters in api,
 * signing and events implement them.
 */
@ApplicationScoped
public class AssumeRoleService {
    private static final Logger LOG = Logger.getLogger(AssumeRoleService.class);

    private final RoleLookup roles;
    private final AssumeRoleAuthorization authorization;
    private final SessionSigner signer;
    private final DecisionLog log;
    private final StsConfig sts;
    private final TokenConfig config;
    private final InstantSource clock;

    private final SessionSecrets secrets;

    public AssumeRoleService(RoleLookup roles, AssumeRoleAuthorization authorization, SessionSigner signer,
            DecisionLog log, StsConfig sts, TokenConfig config, InstantSource clock, SessionSecrets secrets) {
        this.secrets = secrets;
        this.roles = roles;
        this.authorization = authorization;
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
        authorization.requireManagedSessionPolicies(cmd.policyArns(), valid.roleArn());
        int packedPolicySize = AssumeRoleValidation.packedPolicySize(valid.minifiedPolicy(), cmd.policyArns(), tags.tags());
        Arns.RoleArn arn = valid.roleArn();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);

        if (callerSession != null && callerSession.sourceIdentity() != null && cmd.sourceIdentity() != null
                && !callerSession.sourceIdentity().equals(cmd.sourceIdentity())) {
            return deny(caller, call, cmd, "source identity cannot be changed once set on a session",
                    DecisionLog.PolicySource.TRUST, List.of());
        }
        return roles.find(arn).flatMap(found -> {
            RoleView role = found.orElse(null);
            if (role == null) {
                return deny(caller, call, cmd, "role does not exist: " + arn.arn(), DecisionLog.PolicySource.TRUST, List.of());
            }
            AssumeRoleContext context = new AssumeRoleContext(caller, role.arn(), role.accountId(), cmd.sessionName(),
                    cmd.externalId(), cmd.sourceIdentity(), cmd.tags().isEmpty() ? java.util.Map.of() : requestedTags(cmd),
                    valid.transitiveTagKeys(), call.sourceIp(), now, call.secureTransport());
            AssumeRoleAuthorization.Result result = authorization.evaluate(context, role);
            Decision decision = result.decision();
            if (!result.allowed()) {
                return deny(caller, call, cmd, "refused by " + result.refusedBy().label() + ": "
                        + decision.outcome().wireName() + ": " + decision.reason(), result.refusedBy(),
                        DecisionLog.Deciding.of(decision));
            }
            int duration = AssumeRoleValidation.duration(cmd.durationSeconds(), role.maxSessionDuration(), caller.isSession());
            String sourceIdentity = callerSession != null && callerSession.sourceIdentity() != null
                    ? callerSession.sourceIdentity() : cmd.sourceIdentity();
            SessionClaims claims = new SessionClaims(config.issuer(), sts.auth().audience(), Ids.sessionId(),
                    Arns.assumedRole(arn.partition(), role.accountId(), role.roleName(), cmd.sessionName()),
                    role.arn(), role.roleId(), cmd.sessionName(), role.accountId(), sourceIdentity,
                    tags.tags(), tags.transitiveTagKeys(), Credentials.accessKeyId(), now,
                    now.plusSeconds(duration), callerSession != null ? callerSession.chainDepth() + 1 : 1, caller.arn(),
                    cmd.policy() == null ? null : StaticCredentials.sha256Hex(cmd.policy()), valid.minifiedPolicy())
                    .withPolicyArns(cmd.policyArns());
            SignedSession signed = signer.sign(secrets.bind(claims));
            return log.issued(new DecisionLog.Issuance(caller, call, cmd, signed, DecisionLog.Deciding.of(decision)))
                    .map(ack -> new Issued(signed.claims(), secrets.secretOf(signed.claims()), signed.token(), packedPolicySize))
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
            DecisionLog.PolicySource decidedBy, List<DecisionLog.Deciding> deciding) {
        String message = "User: " + caller.arn() + " is not authorized to perform: sts:AssumeRole on resource: " + cmd.roleArn();
        return log.denied(new DecisionLog.Denial(caller, call, cmd, ErrorCode.ACCESS_DENIED.awsCode(), message, reason,
                        decidedBy, deciding))
                .onItem().transformToUni(ack -> Uni.createFrom().<Issued>failure(StsException.accessDenied(message)));
    }
}
