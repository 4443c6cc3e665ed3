package dev.sts.token.view;

import dev.sts.kit.auth.SessionEvaluator;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.iam.PermissionView;
import dev.sts.policy.Policy;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.Tag;
import dev.sts.token.domain.AssumeRoleAuthorization;
import dev.sts.token.domain.RolePermissions;
import dev.sts.token.domain.RoleView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Adapter: the domain's {@link RolePermissions} from the kit's {@link PermissionView}. */
@ApplicationScoped
public class ViewRolePermissions implements RolePermissions {
    private final PermissionView view;
    private final SessionEvaluator sessions;

    public ViewRolePermissions(PermissionView view, SessionEvaluator sessions) {
        this.view = view;
        this.sessions = sessions;
    }

    @Override
    public Optional<Policy> managedSessionPolicy(String policyArn) {
        return sessions.managedSessionPolicy(policyArn);
    }

    @Override
    public boolean caughtUp() {
        return view.caughtUp();
    }

    @Override
    public Optional<RoleView> role(String roleArn) {
        return view.role(roleArn).map(ViewRolePermissions::of);
    }

    @Override
    public AssumeRoleAuthorization.CallerPolicies policiesOf(SessionClaims session) {
        SessionEvaluator.SessionPolicies p = sessions.policiesOf(session);
        if (p.refused()) {
            return AssumeRoleAuthorization.CallerPolicies.refused(p.refusal());
        }
        return new AssumeRoleAuthorization.CallerPolicies(p.permissions().identityPolicies(),
                p.permissions().boundary().orElse(null), p.sessionPolicies(), of(p.role()).tags(), null);
    }

    static RoleView of(RoleState s) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : s.getTagsList()) {
            tags.put(t.getKey(), t.getValue());
        }
        return new RoleView(s.getArn(), s.getRoleId(), s.getRoleName(), s.getAccountId(), s.getAssumeRolePolicyDocument(),
                s.getMaxSessionDuration(), tags);
    }
}
