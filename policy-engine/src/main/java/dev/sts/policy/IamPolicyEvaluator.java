package dev.sts.policy;

import dev.sts.policy.EvaluationTrace.Selection;
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
 *
 * <p>Every statement of every policy is looked at (the trace shows all of them); a statement whose
 * actions name another service fails on its first action pattern, which is compiled and compared
 * without allocating, and the evaluation allocates only the trace and the decision.
 */
public final class IamPolicyEvaluator implements PolicyEvaluator {

    static final IamPolicyEvaluator INSTANCE = new IamPolicyEvaluator();

    private static final int NONE = PrincipalBlock.Match.NONE.ordinal();
    private static final int ACCOUNT = PrincipalBlock.Match.ACCOUNT.ordinal();
    private static final int LIMITED = PrincipalBlock.Match.LIMITED.ordinal();
    private static final int DIRECT = PrincipalBlock.Match.DIRECT.ordinal();

    private IamPolicyEvaluator() {
    }

    @Override
    public Decision evaluate(EvaluationRequest req) {
        List<Policy> ids = req.identityPolicies();
        List<Policy> ses = req.sessionPolicies();
        Policy bnd = req.permissionsBoundary();
        Policy rsc = req.resourcePolicy();
        int policies = ids.size() + ses.size() + (bnd == null ? 0 : 1) + (rsc == null ? 0 : 1);
        // the trace holds one entry per statement of every policy scanned below, no more
        int statements = statementCount(ids) + statementCount(ses) + (bnd == null ? 0 : bnd.statements().size())
                + (rsc == null ? 0 : rsc.statements().size());
        EvaluationTrace t = new EvaluationTrace(req.context(), policies, statements);

        String action = req.action();
        for (int i = 0; i < ids.size(); i++) {
            scan(req, t, ids.get(i), "identity[", i, EvaluationTrace.IDENTITY, action);
        }
        for (int i = 0; i < ses.size(); i++) {
            scan(req, t, ses.get(i), "session[", i, EvaluationTrace.SESSION, action);
        }
        if (bnd != null) {
            scan(req, t, bnd, "boundary", -1, EvaluationTrace.BOUNDARY, action);
        }
        if (rsc != null) {
            scan(req, t, rsc, req.kind() == RequestKind.ASSUME_ROLE ? "trust" : "resource", -1,
                    EvaluationTrace.RESOURCE, action);
        }
        return decide(req, t);
    }

    private static int statementCount(List<Policy> policies) {
        int n = 0;
        for (int i = 0; i < policies.size(); i++) {
            n += policies.get(i).statements().size();
        }
        return n;
    }

    private static Decision decide(EvaluationRequest req, EvaluationTrace t) {
        if (t.denies > 0) {
            return new Decision(Outcome.EXPLICIT_DENY, t.deciding(Selection.DENIES),
                    "an applicable Deny statement overrides any Allow", t);
        }
        RequestPrincipal principal = req.principal();
        boolean boundaryOk = req.permissionsBoundary() == null || t.allows[EvaluationTrace.BOUNDARY] > 0;
        boolean sessionOk = req.sessionPolicies().isEmpty() || t.allows[EvaluationTrace.SESSION] > 0;
        boolean identityAllows = t.allows[EvaluationTrace.IDENTITY] > 0;
        RequestPrincipal.Kind kind = principal.kind();
        boolean iamIdentity = kind.hasIdentityPolicies();
        boolean root = kind == RequestPrincipal.Kind.ROOT;
        boolean identityPath = iamIdentity && (root || (identityAllows && boundaryOk && sessionOk));
        boolean limitedOk = boundaryOk && sessionOk;
        int rp = t.bestResourceMatch; // NONE unless a resource-policy Allow applies to the caller

        if (req.kind() == RequestKind.ASSUME_ROLE) {
            if (root) {
                return implicit(t, "the account root user cannot assume a role");
            }
            if (req.resourcePolicy() == null) {
                return implicit(t, "the role has no trust policy");
            }
            if (rp == NONE) {
                return implicit(t, "the role's trust policy does not allow this caller");
            }
            if (!iamIdentity) {
                return allow(t, Selection.BEST_RESOURCE, "the trust policy allows this principal");
            }
            if (sameAccount(req, principal)) {
                if (rp == DIRECT) {
                    return allow(t, Selection.BEST_RESOURCE, "the trust policy names the caller");
                }
                if (rp == LIMITED && limitedOk) {
                    return allow(t, Selection.BEST_RESOURCE_WITH_LIMITS,
                            "the trust policy names the caller's role; boundary and session policies agree");
                }
                if (identityPath) {
                    return allow(t, Selection.ALL_ALLOWS,
                            "the trust policy trusts the account and the caller's identity policies allow");
                }
                return implicit(t, identityGap(rp == ACCOUNT
                        ? "the trust policy names only the account, so the caller's identity policies must allow: "
                        : "", identityAllows, boundaryOk));
            }
            if (identityPath) {
                return allow(t, Selection.ALL_ALLOWS,
                        "cross-account: the trust policy and the caller's identity policies both allow");
            }
            return implicit(t, identityGap("cross-account: the trust policy allows but ", identityAllows,
                    boundaryOk));
        }

        // AUTHORIZATION
        if (!iamIdentity) {
            return rp != NONE
                    ? allow(t, Selection.BEST_RESOURCE, "the resource policy allows this principal")
                    : implicit(t, "no resource policy statement allows this principal");
        }
        if (sameAccount(req, principal)) {
            if (identityPath) {
                return allow(t, Selection.ALL_ALLOWS,
                        root ? "the account root user" : "identity policies allow (within boundary and session policies)");
            }
            if (rp == DIRECT) {
                return allow(t, Selection.BEST_RESOURCE, "the resource policy names the caller");
            }
            if (rp == LIMITED && limitedOk) {
                return allow(t, Selection.BEST_RESOURCE_WITH_LIMITS,
                        "the resource policy names the caller's role; boundary and session policies agree");
            }
            if (rp == LIMITED) {
                return implicit(t, identityGap("the resource policy names the caller's role, but ", true,
                        boundaryOk));
            }
            return implicit(t, identityGap(rp == ACCOUNT
                    ? "the resource policy names only the account (delegating to IAM): " : "",
                    identityAllows, boundaryOk));
        }
        if (rp == NONE) {
            return implicit(t, identityPath
                    ? "cross-account: the resource policy does not allow this caller"
                    : "cross-account: neither the resource policy nor the identity policies allow");
        }
        if (identityPath) {
            return allow(t, Selection.ALL_ALLOWS, "cross-account: identity and resource policies both allow");
        }
        return implicit(t, identityGap("cross-account: the resource policy allows but ", identityAllows,
                boundaryOk));
    }

    private static String identityGap(String prefix, boolean identityAllows, boolean boundaryOk) {
        if (!identityAllows) {
            return prefix + "no identity-based policy allows the request";
        }
        if (!boundaryOk) {
            return prefix + "the permissions boundary does not allow the request";
        }
        // called only when the identity path fails, so with identity and boundary allowing it is the session policies
        return prefix + "no session policy allows the request";
    }

    private static boolean sameAccount(EvaluationRequest req, RequestPrincipal p) {
        String owner = req.resourceAccount();
        if (owner == null || owner.isEmpty()) {
            owner = accountOfArn(req.resource());
            if (owner == null) {
                return true; // nothing says the resource is elsewhere
            }
        }
        String mine = p.account();
        if (mine == null) {
            mine = req.context().getSingle("aws:PrincipalAccount").orElse(null);
        }
        return owner.equals(mine);
    }

    /** The account field of an ARN, or null when there is none (not an ARN, or an empty field as in S3 ARNs). */
    private static String accountOfArn(String arn) {
        if (!arn.startsWith("arn:")) {
            return null;
        }
        String[] f = arn.split(":", 6);
        return f.length == 6 && !f[4].isEmpty() ? f[4] : null;
    }

    /** Evaluates every statement of one policy; {@code label}/{@code position} name an unnamed policy. */
    private static void scan(EvaluationRequest req, EvaluationTrace t, Policy policy, String label, int position,
                             int category, String action) {
        StatementRef[] refs = policy.refs(label, position);
        int slot = t.beginPolicy(refs, policy);
        PolicyType type = policy.type();
        List<Statement> statements = policy.statements();
        for (int i = 0, n = statements.size(); i < n; i++) {
            evaluateStatement(req, t, slot, i, statements.get(i), type, category, action);
        }
    }

    private static void evaluateStatement(EvaluationRequest req, EvaluationTrace t, int slot, int i, Statement s,
                                          PolicyType type, int category, String action) {
        PrincipalBlock.Match match = PrincipalBlock.Match.DIRECT;
        int note = EvaluationTrace.NOTE_NONE;
        int failedClause = -1;
        Statement.Result result;
        if (!s.coversAction(action)) {
            result = Statement.Result.ACTION_NOT_MATCHED;
        } else if (!s.coversResource(req.resource(), req.context())) {
            result = Statement.Result.RESOURCE_NOT_MATCHED;
        } else {
            result = Statement.Result.APPLIES;
            PrincipalBlock pb = s.principal();
            RequestPrincipal principal = req.principal();
            // pb is null only in identity-style policies (the parser requires a Principal in resource
            // and trust policies); the match of their statements is never consulted
            if (pb != null) {
                if (pb.isNot()) {
                    boolean bounded = req.permissionsBoundary() != null && principal.kind().hasIdentityPolicies();
                    if (!bounded && pb.exempts(principal)) {
                        result = Statement.Result.PRINCIPAL_NOT_MATCHED;
                        note = EvaluationTrace.NOTE_NOT_PRINCIPAL_LISTED;
                    } else if (bounded) {
                        note = EvaluationTrace.NOTE_NOT_PRINCIPAL_BOUNDARY;
                    }
                } else {
                    match = pb.match(principal);
                    if (match == PrincipalBlock.Match.NONE) {
                        result = Statement.Result.PRINCIPAL_NOT_MATCHED;
                    }
                }
            }
            if (result == Statement.Result.APPLIES) {
                failedClause = s.conditions().firstFailureIndex(req.context());
                if (failedClause >= 0) {
                    result = Statement.Result.CONDITION_FAILED;
                }
            }
        }
        t.add(slot, i, type, category, s.effect(), result, match, note, failedClause);
    }

    private static Decision allow(EvaluationTrace t, Selection deciding, String reason) {
        return new Decision(Outcome.ALLOW, t.deciding(deciding), reason, t);
    }

    private static Decision implicit(EvaluationTrace t, String reason) {
        return new Decision(Outcome.IMPLICIT_DENY, List.of(), reason, t);
    }
}
