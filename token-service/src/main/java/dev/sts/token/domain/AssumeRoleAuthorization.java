package dev.sts.token.domain;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.arn.Arns;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.kit.iam.AwsManagedPolicies;
import dev.sts.policy.Decision;
import dev.sts.policy.Effect;
import dev.sts.policy.EvaluationRequest;
import dev.sts.policy.Outcome;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicyEvaluator;
import dev.sts.policy.PolicyType;
import dev.sts.policy.RequestContext;
import dev.sts.policy.RequestKind;
import dev.sts.policy.TraceEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether the caller may assume the role: one evaluation by the policy engine of the role's trust
 * policy (as the resource policy) together with the caller's own identity policies, permissions
 * boundary and session policy, the way AWS evaluates an AssumeRole request
 * ("Policy evaluation logic" and "Cross-account policy evaluation logic", IAM User Guide):
 * <ul>
 * <li>A trust policy that names the caller's role session ARN grants by itself; one that names the
 * caller's role grants within the account, limited by the caller's boundary and session policy; one
 * that names only the caller's account delegates to the caller's identity policies, which must
 * then allow the action on the role ("When you specify the account root as the principal, ... the
 * administrator of that account must grant permissions to assume the role", IAM User Guide,
 * id_roles_create_for-user). The engine tells these apart ({@code PrincipalBlock.Match} DIRECT,
 * LIMITED, ACCOUNT).</li>
 * <li>An explicit Deny in any of those policies refuses.</li>
 * <li>Across accounts both sides must allow.</li>
 * <li>Passing session tags needs {@code sts:TagSession} and passing a source identity needs
 * {@code sts:SetSourceIdentity}, each allowed by the same rules as {@code sts:AssumeRole}
 * ("Permissions required to add session tags", id_session-tags; "Permissions required to set
 * source identity", id_credentials_temp_control-access_monitor).</li>
 * </ul>
 *
 * <p>The caller's side:
 * <ul>
 * <li>A role session: its role's inline and attached policies and boundary from the
 * permission view ({@link RolePermissions}), and the session policy its token carries. Every doubt refuses: a view
 * that has not caught up, a role it does not hold, a role deleted and created again under the same
 * name (another RoleId), policies that do not parse, a session policy the token records but does
 * not carry.</li>
 * <li>A bootstrap principal that is an IAM user: the administrators of this installation, as if
 * {@code AdministratorAccess} were attached. The account root cannot assume roles at all (AWS:
 * "You cannot use root user credentials to assume a role"), which the engine applies.</li>
 * <li>Any other static principal (a service principal, an internal principal): no identity
 * policies, so only a trust policy that names it directly lets it in.</li>
 * </ul>
 */
@ApplicationScoped
public class AssumeRoleAuthorization {
    private static final Policy ADMINISTRATOR = Policy.parseAwsManaged(
            AwsManagedPolicies.find("arn:aws:iam::aws:policy/AdministratorAccess").orElseThrow().getDefaultDocument(),
            PolicyType.IDENTITY, "arn:aws:iam::aws:policy/AdministratorAccess");

    private final RolePermissions view;
    private final PolicyEvaluator evaluator = PolicyEvaluator.iam();
    /** Trust policies parsed once per role and document, not per call. */
    private final TrustPolicies trustPolicies = new TrustPolicies(10_000);

    public AssumeRoleAuthorization(RolePermissions view) {
        this.view = view;
    }

    /** The decision, and which side refused (for the audit trail's policy type). */
    record Result(Decision decision, DecisionLog.PolicySource refusedBy) {
        boolean allowed() {
            return decision.isAllowed();
        }
    }

    /** What the caller brings to the evaluation, or why it brings nothing usable. */
    public record CallerPolicies(List<Policy> identity, Policy boundary, List<Policy> session, Map<String, String> roleTags,
            String refusal) {
        public static CallerPolicies refused(String why) {
            return new CallerPolicies(List.of(), null, List.of(), Map.of(), why);
        }
    }

    Result evaluate(AssumeRoleContext r, RoleView role) {
        TrustPolicies.Parsed parsed = trustPolicies.of(role);
        if (parsed.error() != null) {
            // A stored trust policy that no longer parses trusts nobody.
            return new Result(implicit("the role's trust policy is malformed: " + parsed.error().getMessage()),
                    DecisionLog.PolicySource.TRUST);
        }
        Policy trust = parsed.policy();
        CallerPolicies caller = callerPolicies(r.caller());
        if (caller.refusal() != null) {
            return new Result(implicit(caller.refusal()), DecisionLog.PolicySource.IDENTITY);
        }
        RequestContext context = r.build(caller.roleTags());
        Decision last = null;
        for (String action : actions(r)) {
            EvaluationRequest.Builder request = EvaluationRequest.builder()
                    .kind(RequestKind.ASSUME_ROLE)
                    .principal(r.caller().arn())
                    .action(action)
                    .resource(role.arn())
                    .resourceAccount(role.accountId())
                    .context(context)
                    .identityPolicies(caller.identity())
                    .resourcePolicy(trust);
            if (caller.boundary() != null) {
                request.permissionsBoundary(caller.boundary());
            }
            request.sessionPolicies(caller.session());
            last = evaluator.evaluate(request.build());
            if (!last.isAllowed()) {
                return new Result(new Decision(last.outcome(), last.decidingStatements(), action + ": " + last.reason(),
                        last.trace()), refusedBy(last));
            }
        }
        return new Result(last, DecisionLog.PolicySource.TRUST);
    }

    /** sts:AssumeRole, and sts:TagSession / sts:SetSourceIdentity when the request passes them. */
    private static List<String> actions(AssumeRoleContext r) {
        List<String> actions = new ArrayList<>(List.of("sts:AssumeRole"));
        if (!r.tags().isEmpty() || !r.transitiveTagKeys().isEmpty()) {
            actions.add("sts:TagSession");
        }
        if (r.sourceIdentity() != null) {
            actions.add("sts:SetSourceIdentity");
        }
        return actions;
    }

    /**
     * The {@code policy_arns} of a request must name managed policies that exist: customer-managed
     * policies of the role's account ("The policies must exist in the same account as the role",
     * AssumeRole API reference, PolicyArns) or AWS-managed ones. They are then carried in the
     * session's token and evaluated, as they are at that moment, as session policies.
     *
     * @throws StsException {@code InvalidParameterValue} on {@code policy_arns} otherwise
     */
    void requireManagedSessionPolicies(List<String> policyArns, Arns.RoleArn role) {
        for (int i = 0; i < policyArns.size(); i++) {
            String arn = policyArns.get(i);
            String[] parts = arn.split(":", 6);
            boolean sameAccountOrAws = parts.length == 6 && parts[0].equals("arn") && parts[1].equals(role.partition())
                    && parts[2].equals("iam") && parts[3].isEmpty()
                    && (parts[4].equals(role.account()) || parts[4].equals("aws")) && parts[5].startsWith("policy/");
            if (!sameAccountOrAws || view.managedSessionPolicy(arn).isEmpty()) {
                throw new StsException(ErrorCode.INVALID_PARAMETER_VALUE, "policy_arns[" + i + "] " + arn
                        + " is neither a managed policy of account " + role.account() + " nor an AWS managed policy",
                        "policy_arns");
            }
        }
    }

    CallerPolicies callerPolicies(CallerIdentity caller) {
        if (caller.isSession()) {
            return view.policiesOf(caller.session());
        }
        if (caller.bootstrap() && "IAMUser".equals(caller.type())) {
            return new CallerPolicies(List.of(ADMINISTRATOR), null, List.of(), Map.of(), null);
        }
        return new CallerPolicies(List.of(), null, List.of(), Map.of(), null);
    }

    /**
     * The side that refused: an explicit Deny's policy type; otherwise the trust policy when none of
     * its Allow statements applies, else the session policy or the boundary when the caller has one
     * and none of its Allow statements applies, else the identity policies.
     */
    static DecisionLog.PolicySource refusedBy(Decision d) {
        java.util.EnumSet<DecisionLog.PolicySource> present = java.util.EnumSet.noneOf(DecisionLog.PolicySource.class);
        java.util.EnumSet<DecisionLog.PolicySource> allowing = java.util.EnumSet.noneOf(DecisionLog.PolicySource.class);
        for (TraceEntry t : d.trace()) {
            DecisionLog.PolicySource source = DecisionLog.PolicySource.of(t.policyType());
            if (d.outcome() == Outcome.EXPLICIT_DENY && t.matched() && t.effect() == Effect.DENY) {
                return source;
            }
            present.add(source);
            if (t.matched() && t.effect() == Effect.ALLOW) {
                allowing.add(source);
            }
        }
        for (DecisionLog.PolicySource s : List.of(DecisionLog.PolicySource.TRUST, DecisionLog.PolicySource.SESSION,
                DecisionLog.PolicySource.BOUNDARY)) {
            if (present.contains(s) && !allowing.contains(s)) {
                return s;
            }
        }
        return DecisionLog.PolicySource.IDENTITY;
    }

    private static Decision implicit(String reason) {
        return new Decision(Outcome.IMPLICIT_DENY, List.of(), reason, List.of());
    }
}
