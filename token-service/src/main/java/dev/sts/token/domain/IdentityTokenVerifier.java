package dev.sts.token.domain;

import dev.sts.kit.error.ErrorCode;

/**
 * Port: verifies a web identity token against the identity provider registered for its issuer in
 * the role's account. The adapter owns the providers' keys and their fetching.
 */
public interface IdentityTokenVerifier {

    /**
     * The verified identity, or {@link Rejected} with {@code InvalidIdentityToken},
     * {@code ExpiredToken}, {@code IDPRejectedClaim} or {@code IDPCommunicationError}.
     *
     * @param token       the compact JWT, already bounded to STS's 4-20,000 characters
     * @param roleAccount the account of the role asked for: only providers registered there count
     */
    WebIdentity verify(String token, String roleAccount);

    /**
     * A token refused. The message is what the caller is told; {@code reason} is for the audit trail;
     * {@code providerArn} names the provider the token claimed to come from, when one is configured.
     * Neither ever holds the token.
     */
    final class Rejected extends RuntimeException {
        private final ErrorCode code;
        private final String reason;
        private final String providerArn;

        public Rejected(ErrorCode code, String message, String reason, String providerArn) {
            super(message, null, false, false);
            this.code = code;
            this.reason = reason;
            this.providerArn = providerArn;
        }

        public ErrorCode code() {
            return code;
        }

        public String reason() {
            return reason;
        }

        public String providerArn() {
            return providerArn;
        }
    }
}
