package dev.sts.kit.auth;

import com.nimbusds.jose.KeySourceException;

/**
 * The verification keys cannot be obtained (the JWK set endpoint is down or answers garbage):
 * the caller sees {@code ServiceUnavailable}, not an invalid token, because the token may be fine.
 */
public class JwksUnavailableException extends KeySourceException {
    public JwksUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
