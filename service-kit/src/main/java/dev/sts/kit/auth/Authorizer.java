package dev.sts.kit.auth;

import dev.sts.kit.config.StsConfig;
import dev.sts.kit.error.StsException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a caller may perform an administrative action. Bootstrap principals may do
 * everything (they are the account root's equivalent); the system's own services (static
 * credentials listed in {@code sts.auth.internal-principals}) may read roles of this account,
 * {@code iam:Get*} / {@code iam:List*} on a role ARN, and nothing else. Other callers are refused
 * until their identity policies are evaluated by the policy engine (the role-service issue brings
 * that), so the default is deny, never allow.
 */
@ApplicationScoped
public class Authorizer {
    private final Set<String> internal;
    private final String rolePrefix;

    public Authorizer(StsConfig config) {
        this.internal = Set.copyOf(config.auth().internalPrincipals().orElse(List.of()));
        this.rolePrefix = "arn:" + config.partition() + ":iam::" + config.accountId() + ":role/";
    }

    public void require(CallerIdentity caller, String action, String resource) {
        if (caller.bootstrap()) {
            return;
        }
        if (!caller.isSession() && internal.contains(caller.arn()) && isRoleRead(action, resource)) {
            return;
        }
        throw StsException.accessDenied("User: " + caller.arn() + " is not authorized to perform: " + action
                + " on resource: " + resource);
    }

    /** {@code iam:Get*} or {@code iam:List*} (actions are case-insensitive in IAM) on a role of this account. */
    private boolean isRoleRead(String action, String resource) {
        String a = action.toLowerCase(Locale.ROOT);
        boolean read = a.startsWith("iam:get") || a.startsWith("iam:list");
        return read && resource != null && resource.startsWith(rolePrefix) && resource.length() > rolePrefix.length();
    }
}
