package dev.sts.token.domain;

import dev.sts.kit.arn.Arns;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.auth.StaticCredentials;
import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.grpc.RequestContext;
import dev.sts.policy.Decision;
import dev.sts.policy.MalformedPolicyException;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicyType;
import dev.sts.token.config.TokenConfig;
import dev.sts.token.events.SessionEvents;
import dev.sts.token.signing.SessionMinter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * AssumeRole: load the role, evaluate its trust policy, mint credentials, and answer only after
 * the decision's event is durably stored. Denials are uniform to the caller (a missing role and a
 * refusing trust policy look the same); the event records the real reason.
 */
@ApplicationScoped
public class AssumeRoleService {
    private static final Logger LOG = Logger.getLogger(AssumeRoleService.class);
    /** IAM's limit for an inline session policy, in characters excluding whitespace. */
    static final int SESSION_POLICY_MAX = 2048;

    private final RoleDirectory roles;
    private final TrustCheck trust;
    private final SessionMinter minter;
    private final SessionEvents events;
    private final StsConfig sts;
    private final TokenConfig config;
    private final Clock clock = Clock.systemUTC();

    public AssumeRoleService(RoleDirectory roles, TrustCheck trust, SessionMinter minter, SessionEvents events,
            StsConfig sts, TokenConfig config) {
        this.roles = roles;
        this.trust = trust;
        this.minter = minter;
        this.events = events;
        this.sts = sts;
        this.config = config;
    }

    public record Command(String roleArn, String sessionName, String policy, List<String> policyArns, int durationSeconds,
            Map<String, String> tags, List<String> transitiveTagKeys, String externalId, String sourceIdentity) {
    }

    /** The issued session; the secret access key exists only here and in the response. */
    public record Issued(SessionClaims session, String secretAccessKey, String sessionToken, int packedPolicySize) {
    }

    public Uni<Issued> assumeRole(CallerIdentity caller, RequestContext request, Command cmd) {
        Arns.RoleArn arn = Arns.parseRole(cmd.roleArn(), "role_arn");
        AssumeRoleValidation.sessionName(cmd.sessionName());
        AssumeRoleValidation.externalId(cmd.externalId());
        AssumeRoleValidation.sourceIdentity(cmd.sourceIdentity());
        AssumeRoleValidation.tags(cmd.tags(), cmd.transitiveTagKeys());
        if (!cmd.policyArns().isEmpty()) {
            throw new StsException(ErrorCode.NOT_IMPLEMENTED, "managed session policies (policy_arns) are not supported yet",
                    "policy_arns");
        }
        int packedPolicySize = sessionPolicySize(cmd.policy());
        if (caller.isSession() && caller.session().sourceIdentity() != null && cmd.sourceIdentity() != null
                && !caller.session().sourceIdentity().equals(cmd.sourceIdentity())) {
            throw StsException.accessDenied("source_identity cannot be changed once set on a session");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);

        return roles.find(arn.name()).flatMap(found -> {
            // The ARN must name the stored role exactly (account and path included).
            RoleView role = found.filter(r -> r.arn().equals(arn.arn())).orElse(null);
            if (role == null) {
                return deny(caller, request, cmd, "role does not exist: " + arn.arn(), List.of());
            }
            Decision decision = trust.evaluate(new TrustCheck.Request(caller, role.arn(), role.accountId(),
                    role.trustPolicy(), cmd.sessionName(), cmd.externalId(), cmd.sourceIdentity(), cmd.tags(),
                    cmd.transitiveTagKeys(), request.sourceIp(), now));
            if (!decision.isAllowed()) {
                return deny(caller, request, cmd, "trust policy: " + decision.outcome().wireName() + ": " + decision.reason(),
                        decision.decidingStatements());
            }
            int duration = AssumeRoleValidation.duration(cmd.durationSeconds(), role.maxSessionDuration(), caller.isSession());
            String sourceIdentity = caller.isSession() && caller.session().sourceIdentity() != null
                    ? caller.session().sourceIdentity() : cmd.sourceIdentity();
            SessionClaims claims = new SessionClaims(config.issuer(), sts.auth().audience(), UUID.randomUUID().toString(),
                    Arns.assumedRole(arn.partition(), role.accountId(), role.roleName(), cmd.sessionName()),
                    role.arn(), role.roleId(), cmd.sessionName(), role.accountId(), sourceIdentity,
                    sessionTags(caller, cmd), transitiveKeys(caller, cmd), Credentials.accessKeyId(), now,
                    now.plusSeconds(duration), caller.isSession() ? caller.session().chainDepth() + 1 : 1, caller.arn(),
                    cmd.policy() == null ? null : StaticCredentials.sha256Hex(cmd.policy()));
            SessionMinter.Minted minted = minter.mint(claims);
            return events.sessionIssued(caller, request, cmd, minted, decision.decidingStatements())
                    .map(ack -> new Issued(minted.claims(), Credentials.secretAccessKey(), minted.token(), packedPolicySize))
                    .invoke(issued -> LOG.infof("issued session %s (access key %s) for %s to %s", issued.session().sessionId(),
                            issued.session().accessKeyId(), role.arn(), caller.arn()));
        });
    }

    private Uni<Issued> deny(CallerIdentity caller, RequestContext request, Command cmd, String reason,
            List<dev.sts.policy.StatementRef> deciding) {
        String message = "User: " + caller.arn() + " is not authorized to perform: sts:AssumeRole on resource: " + cmd.roleArn();
        return events.assumeRoleDenied(caller, request, cmd, "AccessDenied", message, reason, deciding)
                .onItem().transformToUni(ack -> Uni.createFrom().<Issued>failure(StsException.accessDenied(message)));
    }

    /** Session tags: the caller's transitive tags carry over and cannot be overridden. */
    private static Map<String, String> sessionTags(CallerIdentity caller, Command cmd) {
        Map<String, String> tags = new java.util.LinkedHashMap<>(cmd.tags());
        if (caller.isSession()) {
            for (String key : caller.session().transitiveTagKeys()) {
                String value = caller.session().tags().get(key);
                if (value != null) {
                    if (tags.containsKey(key) && !tags.get(key).equals(value)) {
                        throw StsException.invalid("tags", "tag " + key + " is transitive from the calling session and cannot be changed");
                    }
                    tags.put(key, value);
                }
            }
        }
        return tags;
    }

    private static List<String> transitiveKeys(CallerIdentity caller, Command cmd) {
        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>(cmd.transitiveTagKeys());
        if (caller.isSession()) {
            keys.addAll(caller.session().transitiveTagKeys());
        }
        return List.copyOf(keys);
    }

    /** Validates the inline session policy and returns AWS's packed size percentage. */
    private static int sessionPolicySize(String policy) {
        if (policy == null) {
            return 0;
        }
        try {
            Policy.parse(policy, PolicyType.SESSION);
        } catch (MalformedPolicyException e) {
            throw new StsException(ErrorCode.MALFORMED_POLICY_DOCUMENT, e.getMessage(), "policy");
        }
        long chars = policy.codePoints().filter(c -> !Character.isWhitespace(c)).count();
        int percent = (int) Math.ceil(chars * 100.0 / SESSION_POLICY_MAX);
        if (percent > 100) {
            throw new StsException(ErrorCode.PACKED_POLICY_TOO_LARGE,
                    "Packed size of the session policy exceeds the limit: " + percent + "% of the allowed size", "policy");
        }
        return percent;
    }
}
