package dev.sts.policy;

import dev.sts.policy.condition.ConditionClause;
import java.util.ArrayList;
import java.util.List;

/**
 * The AWS policy evaluation logic ("Policy evaluation logic", "Cross-account policy evaluation
 * logic", "Permissions boundaries", "Session policies"):
 *
 * <ol>
 *   <li>An applicable Deny in any policy (identity, session, boundary, resource/trust) is final.
 *       A resource-policy Deny with NotPrincipal always denies a caller that has a permissions
 *       boundary (documented).</li>
 *   <li>The identity path: some identity policy allows, and the boundary (if any) allows, and
 *       the session policies (if any) allow. The account root needs no identity policy.</li>
 *   <li>The resource policy names the caller with a strength ({@link PrincipalBlock.Match}):
 *       the caller itself ({@code DIRECT}), its role / its federating user ({@code LIMITED}: still
 *       subject to boundary and session policies), or only its account ({@code ACCOUNT}: grants
 *       nothing alone, it delegates to the caller's IAM policies).</li>
 *   <li>Same account: allowed if the identity path allows, or the resource policy grants
 *       DIRECT, or LIMITED with boundary and session policies agreeing. Cross account: the
 *       identity path and a resource-policy grant are both needed.</li>
 *   <li>ASSUME_ROLE: the trust policy must grant even within the account; a grant that names
 *       only the account also needs the identity path. The root user cannot assume roles.</li>
 *   <li>Callers that are not IAM identities (services, web-identity/SAML providers, anonymous)
 *       are allowed exactly when the resource policy grants them.</li>
 * </ol>
 */
public final class IamPolicyEvaluator implements PolicyEvaluator {

    static final IamPolicyEvaluator INSTANCE = new IamPolicyEvaluator();

    private IamPolicyEvaluator() {
    }

    /** Matching statements of one policy category. */
    private static final class Found {
        List<StatementRef> allows = List.of();
        PrincipalBlock.Match best = PrincipalBlock.Match.NONE;
        List<StatementRef> bestAllows = List.of();

        void add(StatementRef ref, PrincipalBlock.Match match) {
            if (allows.isEmpty()) {
                allows = new ArrayList<>(2);
            }
            allows.add(ref);
            if (match.compareTo(best) > 0) {
                best = match;
                bestAllows = new ArrayList<>(2);
            } else if (bestAllows.isEmpty()) {
                bestAllows = new ArrayList<>(2);
            }
            if (match == best) {
                bestAllows.add(ref);
            }
        }
    }

    /** Per-evaluation state. */
    private static final class Run {
        final EvaluationRequest req;
        /** The action as requested; action patterns match it ignoring case. */
        final String action;
        final String service;
        final List<StatementRef> denies = new ArrayList<>(2);
        final LazyTrace trace;

        Run(EvaluationRequest req) {
            this.req = req;
            this.action = req.action();
            this.service = ActionBlock.serviceOf(action);
            int statements = 0;
            for (Policy p : req.identityPolicies()) {
                statements += p.statements().size();
            }
            for (Policy p : req.sessionPolicies()) {
                statements += p.statements().size();
            }
            statements += req.permissionsBoundary() == null ? 0 : req.permissionsBoundary().statements().size();
            statements += req.resourcePolicy() == null ? 0 : req.resourcePolicy().statements().size();
            this.trace = new LazyTrace(req.context(), statements);
        }
    }

    @Override
    public Decision evaluate(EvaluationRequest req) {
        Run run = new Run(req);
        RequestPrincipal principal = req.principal();

        Found identity = new Found();
        List<Policy> ids = req.identityPolicies();
        for (int i = 0; i < ids.size(); i++) {
            scan(run, ids.get(i), "identity[", i, identity);
        }
        Found session = new Found();
        List<Policy> ses = req.sessionPolicies();
        for (int i = 0; i < ses.size(); i++) {
            scan(run, ses.get(i), "session[", i, session);
        }
        Found boundary = new Found();
        if (req.permissionsBoundary() != null) {
            scan(run, req.permissionsBoundary(), "boundary", -1, boundary);
        }
        Found resource = new Found();
        if (req.resourcePolicy() != null) {
            scan(run, req.resourcePolicy(), req.kind() == RequestKind.ASSUME_ROLE ? "trust" : "resource", -1, resource);
        }

        if (!run.denies.isEmpty()) {
            return new Decision(Outcome.EXPLICIT_DENY, run.denies, "an applicable Deny statement overrides any Allow",
                    run.trace);
        }

        boolean boundaryOk = req.permissionsBoundary() == null || !boundary.allows.isEmpty();
        boolean sessionOk = ses.isEmpty() || !session.allows.isEmpty();
        boolean identityAllows = !identity.allows.isEmpty();
        RequestPrincipal.Kind kind = principal.kind();
        boolean iamIdentity = kind.hasIdentityPolicies();
        boolean root = kind == RequestPrincipal.Kind.ROOT;
        boolean identityPath = iamIdentity && (root || (identityAllows && boundaryOk && sessionOk));
        boolean limitedOk = boundaryOk && sessionOk;
        PrincipalBlock.Match rp = resource.best;
        boolean sameAccount = sameAccount(req, principal);

        if (req.kind() == RequestKind.ASSUME_ROLE) {
            if (root) {
                return implicit(run, "the account root user cannot assume a role");
            }
            if (req.resourcePolicy() == null) {
                return implicit(run, "the role has no trust policy");
            }
            if (rp == PrincipalBlock.Match.NONE) {
                return implicit(run, "the role's trust policy does not allow this caller");
            }
            if (!iamIdentity) {
                return allow(run, resource.bestAllows, "the trust policy allows this principal");
            }
            if (sameAccount) {
                if (rp == PrincipalBlock.Match.DIRECT) {
                    return allow(run, resource.bestAllows, "the trust policy names the caller");
                }
                if (rp == PrincipalBlock.Match.LIMITED && limitedOk) {
                    return allow(run, concat(resource.bestAllows, boundary.allows, session.allows),
                            "the trust policy names the caller's role; boundary and session policies agree");
                }
                if (identityPath) {
                    return allow(run, concat(resource.allows, identity.allows, boundary.allows, session.allows),
                            "the trust policy trusts the account and the caller's identity policies allow");
                }
                return implicit(run, identityGap(rp == PrincipalBlock.Match.ACCOUNT
                        ? "the trust policy names only the account, so the caller's identity policies must allow: "
                        : "", identityAllows, boundaryOk, sessionOk));
            }
            if (identityPath) {
                return allow(run, concat(resource.allows, identity.allows, boundary.allows, session.allows),
                        "cross-account: the trust policy and the caller's identity policies both allow");
            }
            return implicit(run, identityGap("cross-account: the trust policy allows but ", identityAllows,
                    boundaryOk, sessionOk));
        }

        // AUTHORIZATION
        if (!iamIdentity) {
            if (rp != PrincipalBlock.Match.NONE) {
                return allow(run, resource.bestAllows, "the resource policy allows this principal");
            }
            return implicit(run, "no resource policy statement allows this principal");
        }
        if (sameAccount) {
            if (identityPath) {
                return allow(run, concat(identity.allows, boundary.allows, session.allows, resource.allows),
                        root ? "the account root user" : "identity policies allow (within boundary and session policies)");
            }
            if (rp == PrincipalBlock.Match.DIRECT) {
                return allow(run, resource.bestAllows, "the resource policy names the caller");
            }
            if (rp == PrincipalBlock.Match.LIMITED && limitedOk) {
                return allow(run, concat(resource.bestAllows, boundary.allows, session.allows),
                        "the resource policy names the caller's role; boundary and session policies agree");
            }
            if (rp == PrincipalBlock.Match.LIMITED) {
                return implicit(run, identityGap("the resource policy names the caller's role, but ", true,
                        boundaryOk, sessionOk));
            }
            return implicit(run, identityGap(rp == PrincipalBlock.Match.ACCOUNT
                    ? "the resource policy names only the account (delegating to IAM): " : "",
                    identityAllows, boundaryOk, sessionOk));
        }
        if (rp == PrincipalBlock.Match.NONE) {
            return implicit(run, identityPath
                    ? "cross-account: the resource policy does not allow this caller"
                    : "cross-account: neither the resource policy nor the identity policies allow");
        }
        if (identityPath) {
            return allow(run, concat(identity.allows, boundary.allows, session.allows, resource.allows),
                    "cross-account: identity and resource policies both allow");
        }
        return implicit(run, identityGap("cross-account: the resource policy allows but ", identityAllows,
                boundaryOk, sessionOk));
    }

    private static String identityGap(String prefix, boolean identityAllows, boolean boundaryOk, boolean sessionOk) {
        if (!identityAllows) {
            return prefix + "no identity-based policy allows the request";
        }
        if (!boundaryOk) {
            return prefix + "the permissions boundary does not allow the request";
        }
        if (!sessionOk) {
            return prefix + "no session policy allows the request";
        }
        return prefix + "not allowed";
    }

    private static boolean sameAccount(EvaluationRequest req, RequestPrincipal p) {
        String owner = req.resourceAccount();
        if (owner == null || owner.isEmpty()) {
            String r = req.resource();
            if (r.startsWith("arn:")) {
                String[] f = r.split(":", 6);
                if (f.length == 6 && !f[4].isEmpty()) {
                    owner = f[4];
                }
            }
        }
        String mine = p.account();
        if (mine == null) {
            mine = req.context().getSingle("aws:PrincipalAccount").orElse(null);
        }
        if (owner == null || owner.isEmpty()) {
            return true; // nothing says the resource is elsewhere
        }
        return owner.equals(mine);
    }

    /** Evaluates every statement of one policy; {@code label}/{@code position} name an unnamed policy. */
    private void scan(Run run, Policy policy, String label, int position, Found found) {
        EvaluationRequest req = run.req;
        StatementRef[] refs = policy.refs(label, position);
        boolean resourcePolicy = policy.type() == PolicyType.RESOURCE || policy.type() == PolicyType.TRUST;
        RequestPrincipal principal = req.principal();
        List<Statement> statements = policy.statements();
        for (int i = 0, n = statements.size(); i < n; i++) {
            Statement s = statements.get(i);
            Statement.Result result;
            ConditionClause failed = null;
            PrincipalBlock.Match match = PrincipalBlock.Match.DIRECT;
            String note = null;
            if (!s.coversAction(run.action, run.service)) {
                result = Statement.Result.ACTION_NOT_MATCHED;
            } else if (!s.coversResource(req.resource(), req.context())) {
                result = Statement.Result.RESOURCE_NOT_MATCHED;
            } else {
                result = Statement.Result.APPLIES;
                PrincipalBlock pb = s.principal();
                if (pb != null) {
                    if (pb.isNot()) {
                        boolean bounded = req.permissionsBoundary() != null && principal.kind().hasIdentityPolicies();
                        if (!bounded && pb.exempts(principal)) {
                            result = Statement.Result.PRINCIPAL_NOT_MATCHED;
                            note = "the caller is listed in NotPrincipal";
                        } else if (bounded) {
                            note = "NotPrincipal with Deny applies to every caller that has a permissions boundary";
                        }
                    } else {
                        match = pb.match(principal);
                        if (match == PrincipalBlock.Match.NONE) {
                            result = Statement.Result.PRINCIPAL_NOT_MATCHED;
                        } else if (match != PrincipalBlock.Match.DIRECT) {
                            note = match == PrincipalBlock.Match.ACCOUNT ? "names the caller's account"
                                    : "names the caller's role or federating user";
                        }
                    }
                } else if (resourcePolicy) {
                    match = PrincipalBlock.Match.NONE;
                }
                if (result == Statement.Result.APPLIES) {
                    failed = s.failedCondition(req.context());
                    if (failed != null) {
                        result = Statement.Result.CONDITION_FAILED;
                    }
                }
            }
            StatementRef ref = refs[i];
            run.trace.add(ref, policy.type(), s.effect(), result, failed, note);
            if (result != Statement.Result.APPLIES) {
                continue;
            }
            if (s.effect() == Effect.DENY) {
                run.denies.add(ref);
            } else {
                found.add(ref, match);
            }
        }
    }

    @SafeVarargs
    private static List<StatementRef> concat(List<StatementRef>... lists) {
        List<StatementRef> only = null;
        int nonEmpty = 0;
        for (List<StatementRef> l : lists) {
            if (!l.isEmpty()) {
                nonEmpty++;
                only = l;
            }
        }
        if (nonEmpty <= 1) {
            return only == null ? List.of() : only;
        }
        List<StatementRef> out = new ArrayList<>();
        for (List<StatementRef> l : lists) {
            out.addAll(l);
        }
        return out;
    }

    private static Decision allow(Run run, List<StatementRef> deciding, String reason) {
        return new Decision(Outcome.ALLOW, deciding, reason, run.trace);
    }

    private static Decision implicit(Run run, String reason) {
        return new Decision(Outcome.IMPLICIT_DENY, List.of(), reason, run.trace);
    }
}
