package dev.sts.token.domain;

import dev.sts.kit.auth.Authenticator;
import dev.sts.kit.auth.Authorizer;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.ContextEntries;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.auth.SessionEvaluator;
import dev.sts.kit.auth.SessionTokenProcessor;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.policy.MalformedPolicyException;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicyType;
import dev.sts.policy.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * ValidateSessionToken and Authorize: other services hand token-service a session token (not their
 * own credential: the caller is the service, the token is an argument) and learn the session, or
 * what it may do.
 *
 * <p>The token is checked exactly as a caller's bearer token is ({@link Authenticator#verifySession}:
 * signature, known key, type, issuer, audience, {@code exp}/{@code nbf} within the clock skew,
 * revocation), so an invalid one is {@code InvalidClientTokenId} and an expired one
 * {@code ExpiredToken}, both UNAUTHENTICATED. A valid session whose role is gone is not an error:
 * Authorize answers it with an implicit deny, the reason only in the log.
 *
 * <p>Every field is bounded before it is parsed (see the constants). The caller is authorized
 * first ({@code sts:ValidateSessionToken} / {@code sts:Authorize} on {@code *}), so a caller without
 * the right learns nothing about the token.
 */
@ApplicationScoped
public class SessionChecks {
    private static final Logger LOG = Logger.getLogger(SessionChecks.class);

    /** AWS ActionNameType: 3-128 characters. */
    public static final int ACTION_MAX_CHARS = 128;
    /**
     * One concrete action: a service prefix and an action name (IAM's action grammar, "IAM JSON
     * policy elements: Action"). No wildcard: a request is one action.
     */
    static final Pattern ACTION = Pattern.compile("[A-Za-z0-9-]{1,64}:[A-Za-z0-9]{1,128}");
    /** AWS ResourceNameType: 1-2,048 characters. */
    public static final int RESOURCE_MAX_CHARS = 2_048;
    /**
     * The largest resource policy, in characters: S3's bucket-policy limit, 20 KB ("Bucket policy
     * examples", S3 User Guide: "Bucket policies are limited to 20 KB in size"), the largest
     * resource-based policy commonly written; nothing longer reaches the parser.
     */
    public static final int RESOURCE_POLICY_MAX_CHARS = 20_480;
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final SessionEvaluator evaluator;

    public SessionChecks(Authenticator authenticator, Authorizer authorizer, SessionEvaluator evaluator) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.evaluator = evaluator;
    }

    /** The session of a valid token. */
    public SessionClaims validate(CallerIdentity caller, String sessionToken) {
        authorizer.require(caller, "sts:ValidateSessionToken", "*");
        requireToken(sessionToken);
        return authenticator.verifySession(sessionToken);
    }

    /**
     * An Authorize request as sent.
     *
     * @param resourcePolicy empty or null when the resource has none
     * @param resourceAccount empty or null: the account in the resource ARN, else the session's
     */
    public record AuthorizeCommand(String sessionToken, String action, String resource,
            List<ContextEntries.Entry> context, String resourcePolicy, String resourceAccount) {
    }

    /** The session and what the engine decided for it. */
    public record Authorized(SessionClaims session, SessionEvaluator.Evaluation evaluation) {
    }

    public Authorized authorize(CallerIdentity caller, AuthorizeCommand c) {
        authorizer.require(caller, "sts:Authorize", "*");
        requireToken(c.sessionToken());
        String action = nullToEmpty(c.action());
        if (action.isEmpty() || action.length() > ACTION_MAX_CHARS || !ACTION.matcher(action).matches()) {
            throw StsException.invalid("action", "action must be one action of 3-" + ACTION_MAX_CHARS
                    + " characters, <service>:<ActionName> (e.g. s3:GetObject), without wildcards");
        }
        String resource = nullToEmpty(c.resource());
        if (resource.isEmpty() || resource.length() > RESOURCE_MAX_CHARS || !isResource(resource)) {
            throw StsException.invalid("resource", "resource must be \"*\" or an ARN of at most " + RESOURCE_MAX_CHARS
                    + " characters (arn:<partition>:<service>:<region>:<account>:<resource>)");
        }
        String policy = nullToEmpty(c.resourcePolicy());
        if (policy.length() > RESOURCE_POLICY_MAX_CHARS) {
            throw new StsException(ErrorCode.MALFORMED_POLICY_DOCUMENT, "resource_policy has " + policy.length()
                    + " characters; at most " + RESOURCE_POLICY_MAX_CHARS + " are accepted", "resource_policy");
        }
        String account = nullToEmpty(c.resourceAccount());
        if (!account.isEmpty() && !ACCOUNT.matcher(account).matches()) {
            throw StsException.invalid("resource_account", "resource_account must be an account id of 12 digits");
        }
        RequestContext.Builder supplied = RequestContext.builder();
        ContextEntries.addTo(supplied, c.context() == null ? List.of() : c.context(), "context",
                key -> !SessionEvaluator.isDerivedKey(key));
        Policy resourcePolicy = null;
        if (!policy.isEmpty()) {
            try {
                resourcePolicy = Policy.parse(policy, PolicyType.RESOURCE, "ResourcePolicy");
            } catch (MalformedPolicyException e) {
                throw new StsException(ErrorCode.MALFORMED_POLICY_DOCUMENT, "resource_policy: " + e.getMessage(),
                        "resource_policy");
            }
        }
        SessionClaims session = authenticator.verifySession(c.sessionToken());
        SessionEvaluator.Evaluation e = evaluator.evaluate(session, new SessionEvaluator.Question(action, resource,
                supplied.build(), resourcePolicy, account.isEmpty() ? null : account));
        if (!e.allowed()) {
            LOG.debugf("Authorize %s on %s for session %s (access key %s): %s", action, resource, session.sessionId(),
                    session.accessKeyId(), e.reason());
        }
        return new Authorized(session, e);
    }

    private static void requireToken(String token) {
        if (token == null || token.isEmpty()) {
            throw StsException.invalid("session_token", "session_token is required");
        }
        if (token.length() > SessionTokenProcessor.MAX_TOKEN_CHARS) {
            throw StsException.invalid("session_token", "session_token must be at most "
                    + SessionTokenProcessor.MAX_TOKEN_CHARS + " characters long");
        }
    }

    /** "*" or an ARN with its six parts and no control or space characters. */
    private static boolean isResource(String r) {
        if (r.equals("*")) {
            return true;
        }
        for (int i = 0; i < r.length(); i++) {
            if (r.charAt(i) <= ' ' || r.charAt(i) == 0x7f) {
                return false;
            }
        }
        return r.startsWith("arn:") && r.split(":", 6).length == 6;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
