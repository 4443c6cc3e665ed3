package dev.sts.kit.auth;

import dev.sts.kit.error.StsException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Decides whether a caller may perform an administrative action. Bootstrap principals may do
 * everything (they are the account root's equivalent). Other callers are refused until their
 * identity policies are evaluated by the policy engine (the role-service issue brings that), so
 * the default is deny, never allow.
 */
@ApplicationScoped
public class Authorizer {

    public void require(CallerIdentity caller, String action, String resource) {
        if (caller.bootstrap()) {
            return;
        }
        throw StsException.accessDenied("User: " + caller.arn() + " is not authorized to perform: " + action
                + " on resource: " + resource);
    }
}
