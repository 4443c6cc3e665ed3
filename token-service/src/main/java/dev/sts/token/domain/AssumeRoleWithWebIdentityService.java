package dev.sts.token.domain;

import dev.sts.kit.arn.Arns;
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
 * AssumeRoleWithWebIdentity: the unsigned exception among the RPCs. The OIDC token in the request
 * (for example a Kubernetes projected service-account token) is the credential: it is verified
 * against the provider registered for its issuer in the role's account, the role's trust policy is
 * evaluated with the provider as principal, and the session is minted and answered only once the
 * decision is durably recorded. Trust refusals and missing roles look the same to the caller
 * (AccessDenied); token problems get STS's codes (InvalidIdentityToken, ExpiredToken,
 * IDPRejectedClaim, IDPCommunicationError). Every refusal after the request's own bounds is audited.
 *
 * <p>Rules from the STS API reference
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html):
 * WebIdentityToken 4-20,000 characters; RoleSessionName, Policy, PolicyArns and DurationSeconds as
 * for AssumeRole (3600 s by default, up to the role's maximum); the session's source identity comes
 * from the token's {@code https://aws.amazon.com/source_identity} claim and its tags from
 * {@code https://aws.amazon.com/tags}; a web identity session is never chained, so its depth is 1.
 *
 * <p>The token is never logged, stored or put into an event: {@link Command#toString()} omits it.
 */
@ApplicationScoped
public class AssumeRoleWithWebIdentityService {
    private static final Logger LOG = Logger.getLogger(AssumeRoleWithWebIdentityService.class);
    /** WebIdentityToken: length 4-20,000. */
    static final int TOKEN_MIN = 4;
    static final int TOKEN_MAX = 20_000;
    /** AWS's message for every trust refusal of this call; the same for a missing role. */
    static final String NOT_AUTHORIZED = "Not authorized to perform sts:AssumeRoleWithWebIdentity";

    private final IdentityTokenVerifier verifier;
    private final RoleLookup roles;
    private final AssumeRoleAuthorization policies;
    private final WebIdentityTrust trust;
    private final SessionSigner signer;
    private final WebIdentityLog log;
    private final StsConfig sts;
    private final TokenConfig config;
    private final InstantSource clock;

    private final SessionSecrets secrets;

    public AssumeRoleWithWebIdentityService(IdentityTokenVerifier verifier, RoleLookup roles, WebIdentityTrust trust,
            AssumeRoleAuthorization policies, SessionSigner signer, WebIdentityLog log, StsConfig sts, TokenConfig config,
            InstantSource clock, SessionSecrets secrets) {
        this.secrets = secrets;
        this.verifier = verifier;
        this.policies = policies;
        this.roles = roles;
        this.trust = trust;
        this.signer = signer;
        this.log = log;
        this.sts = sts;
        this.config = config;
        this.clock = clock;
    }

    /** The request as the caller sent it; bounded before any use. */
    public record Command(String roleArn, String sessionName, String webIdentityToken, String policy,
            List<String> policyArns, int durationSeconds) {
        public Command {
            policyArns = policyArns == null ? List.of() : List.copyOf(policyArns);
        }

        /** The request's other parameters in AssumeRole's shape, with the values the token supplies. */
        AssumeRoleService.Command asAssumeRole(List<SessionTag> tags, List<String> transitiveTagKeys, String sourceIdentity) {
            return new AssumeRoleService.Command(roleArn, sessionName, policy, policyArns, durationSeconds, tags,
                    transitiveTagKeys, null, sourceIdentity);
        }

        /** Never the token: a record's generated toString would print it into any log that prints the command. */
        @Override
        public String toString() {
            return "Command[roleArn=" + roleArn + ", sessionName=" + sessionName + ", durationSeconds=" + durationSeconds + "]";
        }
    }

    /** The issued session and the identity it was issued to; the secret exists only here and in the response. */
    public record Issued(SessionClaims session, String secretAccessKey, String sessionToken, int packedPolicySize,
            WebIdentity identity) {
    }

    public Uni<Issued> assume(CallContext call, Command cmd) {
        // 1. The caller's own parameters, before the token is even parsed.
        String token = cmd.webIdentityToken();
        if (token == null || token.length() < TOKEN_MIN || token.length() > TOKEN_MAX) {
            throw StsException.invalid("web_identity_token", "web_identity_token must be " + TOKEN_MIN + "-" + TOKEN_MAX
                    + " characters");
        }
        AssumeRoleValidation.Valid valid = AssumeRoleValidation.validate(cmd.asAssumeRole(List.of(), List.of(), null));
        Arns.RoleArn arn = valid.roleArn();
        policies.requireManagedSessionPolicies(cmd.policyArns(), arn);

        // 2. The token.
        WebIdentity id;
        try {
            id = verifier.verify(token, arn.account());
        } catch (IdentityTokenVerifier.Rejected r) {
            return deny(call, cmd, r.providerArn(), null, r.code(), r.getMessage(), r.reason(), List.of());
        }

        // 3. What the token's claims add to the session, under the same rules as AssumeRole's parameters.
        // The request alone passed them, so a failure now is the claims': the IdP's claim is refused.
        SessionTags.Merged tags;
        int packedPolicySize;
        try {
            AssumeRoleValidation.Valid withClaims = AssumeRoleValidation.validate(
                    cmd.asAssumeRole(id.tags(), id.transitiveTagKeys(), id.sourceIdentity()));
            tags = SessionTags.merge(null, id.tags(), withClaims.transitiveTagKeys());
            packedPolicySize = AssumeRoleValidation.packedPolicySize(valid.minifiedPolicy(), cmd.policyArns(), tags.tags());
        } catch (StsException e) {
            ErrorCode code = e.code() == ErrorCode.VALIDATION_ERROR ? ErrorCode.IDP_REJECTED_CLAIM : e.code();
            String message = code == ErrorCode.IDP_REJECTED_CLAIM ? "The token's " + claimOf(e.field()) + " claim is not valid: "
                    + e.getMessage() : e.getMessage();
            return deny(call, cmd, id.provider().arn(), id, code, message, message, List.of());
        }

        // 4. The role and its trust policy.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return roles.find(arn).flatMap(found -> {
            RoleView role = found.orElse(null);
            if (role == null) {
                return deny(call, cmd, id.provider().arn(), id, ErrorCode.ACCESS_DENIED, NOT_AUTHORIZED,
                        "role does not exist: " + arn.arn(), List.of());
            }
            Decision decision = trust.evaluate(id, role, cmd.sessionName(), tags.tags(), tags.transitiveTagKeys(),
                    call.sourceIp(), now, call.secureTransport());
            if (!decision.isAllowed()) {
                return deny(call, cmd, id.provider().arn(), id, ErrorCode.ACCESS_DENIED, NOT_AUTHORIZED,
                        "trust policy: " + decision.outcome().wireName() + ": " + decision.reason(), decision.decidingStatements());
            }
            int duration = AssumeRoleValidation.duration(cmd.durationSeconds(), role.maxSessionDuration(), false);
            SessionClaims claims = new SessionClaims(config.issuer(), sts.auth().audience(), Ids.sessionId(),
                    Arns.assumedRole(arn.partition(), role.accountId(), role.roleName(), cmd.sessionName()),
                    role.arn(), role.roleId(), cmd.sessionName(), role.accountId(), id.sourceIdentity(),
                    tags.tags(), tags.transitiveTagKeys(), Credentials.accessKeyId(), now, now.plusSeconds(duration),
                    1, id.provider().arn(), cmd.policy() == null ? null : StaticCredentials.sha256Hex(cmd.policy()),
                    valid.minifiedPolicy()).withPolicyArns(cmd.policyArns());
            SignedSession signed = signer.sign(secrets.bind(claims));
            return log.issued(new WebIdentityLog.Issuance(call, cmd, id, signed, decision.decidingStatements()))
                    .map(ack -> new Issued(signed.claims(), secrets.secretOf(signed.claims()), signed.token(), packedPolicySize, id))
                    .invoke(issued -> LOG.infof("issued session %s (access key %s) for %s to web identity %s of %s",
                            issued.session().sessionId(), issued.session().accessKeyId(), role.arn(), id.subject(),
                            id.provider().arn()));
        });
    }

    private static String claimOf(String field) {
        if ("source_identity".equals(field)) {
            return "https://aws.amazon.com/source_identity";
        }
        return "https://aws.amazon.com/tags";
    }

    private Uni<Issued> deny(CallContext call, Command cmd, String providerArn, WebIdentity id, ErrorCode code,
            String message, String reason, List<StatementRef> deciding) {
        return log.denied(new WebIdentityLog.Denial(call, cmd, providerArn, id, code.awsCode(), message, reason, deciding))
                .onItem().transformToUni(ack -> Uni.createFrom().<Issued>failure(new StsException(code, message)));
    }
}
