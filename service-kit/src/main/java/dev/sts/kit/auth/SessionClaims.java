package dev.sts.kit.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session a session token stands for, and its mapping to JWT claims. The minter (token-service)
 * and every verifier use this one mapping. A session token never holds the secret access key.
 */
public record SessionClaims(
        String issuer,
        String audience,
        String sessionId,
        String assumedRoleArn,
        String roleArn,
        String roleId,
        String sessionName,
        String accountId,
        String sourceIdentity,
        Map<String, String> tags,
        List<String> transitiveTagKeys,
        String accessKeyId,
        Instant issuedAt,
        Instant expiresAt,
        int chainDepth,
        String issuerPrincipalArn,
        String sessionPolicySha256,
        String sessionPolicy,
        List<String> policyArns,
        String secretKeyId) {

    public static final String TOKEN_TYPE = "sts-session+jwt";
    static final String ROLE_ARN = "role_arn";
    static final String ROLE_ID = "role_id";
    static final String SESSION_NAME = "session_name";
    static final String ACCOUNT = "account";
    static final String SOURCE_IDENTITY = "source_identity";
    static final String TAGS = "session_tags";
    static final String TRANSITIVE = "transitive_tag_keys";
    static final String ACCESS_KEY_ID = "access_key_id";
    static final String CHAIN_DEPTH = "chain_depth";
    static final String ISSUER_PRINCIPAL = "issuer_principal";
    static final String SESSION_POLICY = "session_policy_sha256";
    /**
     * The inline session policy, minified. Carried in the token (not only its hash) so that any
     * replica can enforce it when the session assumes another role, without shared state; IAM caps
     * it at 2,048 characters excluding whitespace, so it fits in a token.
     */
    static final String SESSION_POLICY_DOCUMENT = "session_policy";
    /**
     * The managed session policies (AssumeRole's {@code PolicyArns}, at most 10 ARNs), resolved from
     * the permission view whenever the session is evaluated: AWS counts a managed session policy by
     * its ARN, and a policy that no longer exists leaves the session with nothing (fail closed).
     */
    static final String POLICY_ARNS = "policy_arns";
    /**
     * The id of the AWS key ring's key the session's secret access key is derived from
     * (docs/adr/023); a verifier of a SigV4 request derives the secret again with it.
     */
    static final String SECRET_KEY_ID = "aws_secret_kid";

    public SessionClaims {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        transitiveTagKeys = transitiveTagKeys == null ? List.of() : List.copyOf(transitiveTagKeys);
        policyArns = policyArns == null ? List.of() : List.copyOf(policyArns);
    }

    /** The claims without an AWS key ring key (sessions whose secret no SigV4 verifier can derive). */
    public SessionClaims(String issuer, String audience, String sessionId, String assumedRoleArn, String roleArn,
            String roleId, String sessionName, String accountId, String sourceIdentity, Map<String, String> tags,
            List<String> transitiveTagKeys, String accessKeyId, Instant issuedAt, Instant expiresAt, int chainDepth,
            String issuerPrincipalArn, String sessionPolicySha256, String sessionPolicy, List<String> policyArns) {
        this(issuer, audience, sessionId, assumedRoleArn, roleArn, roleId, sessionName, accountId, sourceIdentity, tags,
                transitiveTagKeys, accessKeyId, issuedAt, expiresAt, chainDepth, issuerPrincipalArn, sessionPolicySha256,
                sessionPolicy, policyArns, null);
    }

    /** The claims without managed session policies. */
    public SessionClaims(String issuer, String audience, String sessionId, String assumedRoleArn, String roleArn,
            String roleId, String sessionName, String accountId, String sourceIdentity, Map<String, String> tags,
            List<String> transitiveTagKeys, String accessKeyId, Instant issuedAt, Instant expiresAt, int chainDepth,
            String issuerPrincipalArn, String sessionPolicySha256, String sessionPolicy) {
        this(issuer, audience, sessionId, assumedRoleArn, roleArn, roleId, sessionName, accountId, sourceIdentity, tags,
                transitiveTagKeys, accessKeyId, issuedAt, expiresAt, chainDepth, issuerPrincipalArn, sessionPolicySha256,
                sessionPolicy, List.of());
    }

    /** The claims without the session policy document (sessions issued without one, and older callers). */
    public SessionClaims(String issuer, String audience, String sessionId, String assumedRoleArn, String roleArn,
            String roleId, String sessionName, String accountId, String sourceIdentity, Map<String, String> tags,
            List<String> transitiveTagKeys, String accessKeyId, Instant issuedAt, Instant expiresAt, int chainDepth,
            String issuerPrincipalArn, String sessionPolicySha256) {
        this(issuer, audience, sessionId, assumedRoleArn, roleArn, roleId, sessionName, accountId, sourceIdentity, tags,
                transitiveTagKeys, accessKeyId, issuedAt, expiresAt, chainDepth, issuerPrincipalArn, sessionPolicySha256,
                null);
    }

    /** The same session expiring at {@code expiresAt} (the minter caps it at its key's publication). */
    public SessionClaims withExpiresAt(Instant newExpiry) {
        return new SessionClaims(issuer, audience, sessionId, assumedRoleArn, roleArn, roleId, sessionName, accountId,
                sourceIdentity, tags, transitiveTagKeys, accessKeyId, issuedAt, newExpiry, chainDepth, issuerPrincipalArn,
                sessionPolicySha256, sessionPolicy, policyArns, secretKeyId);
    }

    /** The same session with these managed session policies. */
    public SessionClaims withPolicyArns(List<String> arns) {
        return new SessionClaims(issuer, audience, sessionId, assumedRoleArn, roleArn, roleId, sessionName, accountId,
                sourceIdentity, tags, transitiveTagKeys, accessKeyId, issuedAt, expiresAt, chainDepth, issuerPrincipalArn,
                sessionPolicySha256, sessionPolicy, arns, secretKeyId);
    }

    /** The same session with its secret access key derived from the AWS key ring's key {@code keyId}. */
    public SessionClaims withSecretKeyId(String keyId) {
        return new SessionClaims(issuer, audience, sessionId, assumedRoleArn, roleArn, roleId, sessionName, accountId,
                sourceIdentity, tags, transitiveTagKeys, accessKeyId, issuedAt, expiresAt, chainDepth, issuerPrincipalArn,
                sessionPolicySha256, sessionPolicy, policyArns, keyId);
    }

    /** "RoleId:session-name", the user id AWS reports for a role session. */
    public String userId() {
        return roleId + ":" + sessionName;
    }

    public JWTClaimsSet toClaimsSet() {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(assumedRoleArn)
                .jwtID(sessionId)
                .issueTime(Date.from(issuedAt))
                .notBeforeTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiresAt))
                .claim(ROLE_ARN, roleArn)
                .claim(ROLE_ID, roleId)
                .claim(SESSION_NAME, sessionName)
                .claim(ACCOUNT, accountId)
                .claim(ACCESS_KEY_ID, accessKeyId)
                .claim(CHAIN_DEPTH, chainDepth)
                .claim(ISSUER_PRINCIPAL, issuerPrincipalArn);
        if (sourceIdentity != null) {
            b.claim(SOURCE_IDENTITY, sourceIdentity);
        }
        if (!tags.isEmpty()) {
            b.claim(TAGS, new LinkedHashMap<>(tags));
        }
        if (!transitiveTagKeys.isEmpty()) {
            b.claim(TRANSITIVE, transitiveTagKeys);
        }
        if (sessionPolicySha256 != null) {
            b.claim(SESSION_POLICY, sessionPolicySha256);
        }
        if (sessionPolicy != null) {
            b.claim(SESSION_POLICY_DOCUMENT, sessionPolicy);
        }
        if (!policyArns.isEmpty()) {
            b.claim(POLICY_ARNS, policyArns);
        }
        if (secretKeyId != null) {
            b.claim(SECRET_KEY_ID, secretKeyId);
        }
        return b.build();
    }

    public static SessionClaims fromClaimsSet(JWTClaimsSet c) throws ParseException {
        Map<String, Object> rawTags = c.getJSONObjectClaim(TAGS);
        Map<String, String> tags = new LinkedHashMap<>();
        if (rawTags != null) {
            rawTags.forEach((k, v) -> tags.put(k, String.valueOf(v)));
        }
        Long depth = c.getLongClaim(CHAIN_DEPTH);
        return new SessionClaims(
                c.getIssuer(),
                c.getAudience().isEmpty() ? null : c.getAudience().get(0),
                c.getJWTID(),
                c.getSubject(),
                c.getStringClaim(ROLE_ARN),
                c.getStringClaim(ROLE_ID),
                c.getStringClaim(SESSION_NAME),
                c.getStringClaim(ACCOUNT),
                c.getStringClaim(SOURCE_IDENTITY),
                tags,
                c.getStringListClaim(TRANSITIVE),
                c.getStringClaim(ACCESS_KEY_ID),
                c.getIssueTime().toInstant(),
                c.getExpirationTime().toInstant(),
                depth == null ? 1 : depth.intValue(),
                c.getStringClaim(ISSUER_PRINCIPAL),
                c.getStringClaim(SESSION_POLICY),
                c.getStringClaim(SESSION_POLICY_DOCUMENT),
                c.getStringListClaim(POLICY_ARNS),
                c.getStringClaim(SECRET_KEY_ID));
    }
}
