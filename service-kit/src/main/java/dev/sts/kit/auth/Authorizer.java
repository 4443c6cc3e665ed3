package dev.sts.kit.auth;

import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.StsException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a caller may perform an administrative action. Bootstrap principals may do
 * everything (they are the account root's equivalent); the system's own services may read. Other
 * callers are refused until their identity policies are evaluated by the policy engine (the
 * role-service issue brings that), so the default is deny, never allow.
 */
@ApplicationScoped
public class Authorizer {
    private final Set<String> internal;

    public Authorizer(StsConfig config) {
        this.internal = Set.copyOf(config.auth().internalPrincipals().orElse(List.of()));
    }

    public void require(CallerIdentity caller, String action, String resource) {
        if (caller.bootstrap()) {
            return;
        }
        if (!caller.isSession() && internal.contains(caller.arn()) && isRead(action)) {
            return;
        }
        throw StsException.accessDenied("User: " + caller.arn() + " is not authorized to perform: " + action
                + " on resource: " + resource);
    }

    private static boolean isRead(String action) {
        String name = action.substring(action.indexOf(':') + 1).toLowerCase(Locale.ROOT);
        return name.startsWith("get") || name.startsWith("list");
    }
}
