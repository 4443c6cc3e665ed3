package dev.sts.kit.auth;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The revocation check of a service without a source of revocations: nothing is revoked. A bean
 * implementing {@link SessionRevocationCheck} (the revocation view) replaces it.
 */
@ApplicationScoped
@DefaultBean
public class NoSessionRevocations implements SessionRevocationCheck {
    @Override
    public boolean isRevoked(SessionClaims session) {
        return false;
    }
}
