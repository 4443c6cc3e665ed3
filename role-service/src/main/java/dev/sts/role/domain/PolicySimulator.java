package dev.sts.role.domain;

import dev.sts.kit.auth.ContextEntries;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.policy.Decision;
import dev.sts.policy.EvaluationRequest;
import dev.sts.policy.MalformedPolicyException;
import dev.sts.kit.iam.AwsManagedPolicies;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicyEvaluator;
import dev.sts.policy.PolicyType;
import dev.sts.policy.RequestContext;
import dev.sts.policy.Statement;
import dev.sts.policy.StatementRef;
import dev.sts.policy.TraceEntry;
import dev.sts.policy.condition.ConditionClause;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SimulatePrincipalPolicy for a role: evaluates the role's policies, plus what the request adds,
 * for every (action, resource) pair, without side effects, and explains each decision as AWS's
 * {@code EvaluationResult} does (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html).
 *
 * <ul>
 * <li><b>PolicyInputList</b> holds extra <em>identity-based</em> policies, evaluated as if attached
 * to the role. They are not session policies: AWS calls them "additional policy documents to include
 * in the simulation", and SimulateCustomPolicy's reference adds that they "cannot be 'scope-down'
 * policies, such as you could include in a call to GetFederationToken or one of the AssumeRole API
 * operations". So an input can grant what the role lacks, as an attached policy could.</li>
 * <li><b>PermissionsBoundaryPolicyInputList</b> (at most one) replaces the role's boundary: "if a
 * permissions boundary is attached to an entity and you pass in a different permissions boundary
 * policy using this parameter, then the new permissions boundary policy is used".</li>
 * <li><b>CallerArn</b> "defaults to the ARN of the user, group, or role that you specify in
 * PolicySourceArn": the simulated caller is the role itself unless the request names an IAM user or
 * role. It is the principal a <b>ResourcePolicy</b> (attached to every simulated resource) sees.
 * AWS's reference still notes that resource-policy simulation is for IAM users; this service's
 * principals are roles, so it simulates them for roles.</li>
 * <li><b>ResourceOwner</b> owns "any simulated resource that does not identify its owner in the
 * resource ARN" (S3); a resource whose ARN names an account belongs to that account; without either
 * the resource is the caller's own.</li>
 * <li><b>MissingContextValues</b>: AWS lists "context keys that are required by the included input
 * policies but that were not provided". Here that is every condition key tested by a statement that
 * applies to the action, the resource and the caller (its conditions are what decides whether it
 * takes part) and that no context entry supplies. Statements for other actions or resources are
 * left out: no value of their keys could change this result.</li>
 * </ul>
 *
 * <p>Results come one per (action, resource) pair, actions outermost ("Each operation is evaluated
 * for each resource"), paged by an opaque token; only the page's pairs are evaluated. Every request
 * field is bounded before any is parsed ({@link SimulationBounds}). Stateless: one instance serves
 * every request.
 */
@ApplicationScoped
public class PolicySimulator {
    /** The resource simulated when the request names none. */
    public static final String ALL_RESOURCES = "*";
    /**
     * Trace lines per result before the rest is summed up in one more line: the reason, then the
     * statements that matched action and resource. Keeps a page of 1,000 results within what a
     * gRPC client accepts by default (4 MiB) for roles with many statements.
     */
    static final int MAX_TRACE_LINES = 50;

    /** An action as IAM names one: a service prefix and an operation, without wildcards. */
    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*:[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern ACCOUNT_ARN = Pattern.compile("arn:[a-z-]+:iam::(\\d{12}):root");
    private static final Pattern CALLER_ARN = Pattern.compile("arn:[a-z-]+:iam::\\d{12}:(user|role)/([\\x21-\\x7E]+/)?[\\w+=,.@-]{1,64}");

    private final PolicyEvaluator evaluator = PolicyEvaluator.iam();

    /** A parsed policy, its identifier in results and its type. */
    private record Source(String id, PolicyType type, Policy policy) {
    }

    /**
     * Simulates one page.
     *
     * @param role the role, loaded by the caller (trusted)
     * @param request what the requester asked (untrusted)
     * @throws StsException {@code ValidationError} for a value outside its bounds,
     *     {@code MalformedPolicyDocument} (or {@code LimitExceeded} over a size quota) for a
     *     document the policy engine rejects, {@code InvalidInput} for any other value that cannot
     *     be used; each naming the field, e.g. {@code policy_input_list[1]}
     */
    public SimulationPage simulate(SimulatedRole role, SimulationRequest request) {
        SimulationBounds.check(request);

        List<String> actions = request.actionNames();
        for (int i = 0; i < actions.size(); i++) {
            if (!ACTION.matcher(actions.get(i)).matches()) {
                throw invalidInput("action_names[" + i + "]", "action_names[" + i + "] must name one action as"
                        + " <service>:<Action>, e.g. s3:GetObject, without wildcards");
            }
        }
        List<String> resources = request.resourceArns().isEmpty() ? List.of(ALL_RESOURCES) : request.resourceArns();
        for (int i = 0; i < request.resourceArns().size(); i++) {
            String r = request.resourceArns().get(i);
            if (!r.equals(ALL_RESOURCES) && !(r.startsWith("arn:") && r.split(":", 6).length == 6)) {
                throw invalidInput("resource_arns[" + i + "]", "resource_arns[" + i
                        + "] must be \"*\" or an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)");
            }
        }
        String owner = resourceOwner(request.resourceOwner());
        String caller = request.callerArn().isEmpty() ? role.arn() : callerArn(request.callerArn());

        Map<String, Source> sources = new HashMap<>();
        List<Policy> identity = new ArrayList<>();
        for (SimulatedRole.AttachedPolicy p : role.policies()) {
            String id = p.kind() == SimulatedRole.AttachedPolicy.Kind.INLINE
                    ? "inline:" + role.roleName() + "/" + p.name()
                    : p.name();
            identity.add(stored(sources, id, PolicyType.IDENTITY, p.document()));
        }
        for (int i = 0; i < request.policyInputList().size(); i++) {
            identity.add(input(sources, "PolicyInputList." + (i + 1), PolicyType.IDENTITY,
                    request.policyInputList().get(i), "policy_input_list[" + i + "]"));
        }
        Policy boundary = null;
        if (!request.permissionsBoundaryPolicyInputList().isEmpty()) {
            boundary = input(sources, "PermissionsBoundaryPolicyInputList.1", PolicyType.BOUNDARY,
                    request.permissionsBoundaryPolicyInputList().get(0), "permissions_boundary_policy_input_list[0]");
        } else if (role.permissionsBoundary() != null) {
            boundary = stored(sources, "boundary:" + role.permissionsBoundary().policyArn(), PolicyType.BOUNDARY,
                    role.permissionsBoundary().document());
        }
        Policy resourcePolicy = request.resourcePolicy().isEmpty() ? null
                : input(sources, "ResourcePolicy", PolicyType.RESOURCE, request.resourcePolicy(), "resource_policy");
        // Checked and converted by the same code as Authorize's caller context (service-kit).
        RequestContext.Builder contextBuilder = RequestContext.builder();
        ContextEntries.addTo(contextBuilder, request.contextEntries().stream()
                .map(e -> new ContextEntries.Entry(e.key(), e.values(), e.type())).toList(), "context_entries");
        RequestContext context = contextBuilder.build();

        int total = actions.size() * resources.size();
        String fingerprint = SimulationPageToken.fingerprint(actions, resources);
        int start = request.pageToken().isEmpty() ? 0 : SimulationPageToken.decode(request.pageToken(), fingerprint, total);
        int pageSize = request.pageSize() == 0 ? SimulationBounds.PAGE_SIZE_DEFAULT : request.pageSize();
        int end = Math.min(total, start + pageSize);

        List<SimulationResult> results = new ArrayList<>(end - start);
        for (int i = start; i < end; i++) {
            String action = actions.get(i / resources.size());
            String resource = resources.get(i % resources.size());
            Decision d = evaluator.evaluate(EvaluationRequest.builder()
                    .principal(caller)
                    .action(action)
                    .resource(resource)
                    .resourceAccount(ownsItself(resource) ? null : owner)
                    .context(context)
                    .identityPolicies(identity)
                    .permissionsBoundary(boundary)
                    .resourcePolicy(resourcePolicy)
                    .build());
            results.add(new SimulationResult(action, resource, d.outcome(), matched(d, sources),
                    missingContextValues(d, sources, context), trace(d)));
        }
        return new SimulationPage(results,
                end < total ? Optional.of(SimulationPageToken.encode(end, fingerprint)) : Optional.empty());
    }

    /** A 12-digit account id, or the account's ARN ({@code arn:aws:iam::<account>:root}) as the API reference shows it. */
    private static String resourceOwner(String value) {
        if (value.isEmpty()) {
            return null;
        }
        if (ACCOUNT.matcher(value).matches()) {
            return value;
        }
        var m = ACCOUNT_ARN.matcher(value);
        if (m.matches()) {
            return m.group(1);
        }
        throw invalidInput("resource_owner", "resource_owner must be an account id (12 digits) or an account ARN"
                + " (arn:aws:iam::<account>:root)");
    }

    /** AWS: "You can specify the ARN of an IAM user, group, or role. You cannot specify the ARN of an assumed role, federated user, or a service principal." */
    private static String callerArn(String value) {
        if (!CALLER_ARN.matcher(value).matches()) {
            throw invalidInput("caller_arn", "caller_arn must be the ARN of an IAM user or role"
                    + " (not an assumed role, a federated user or a service principal)");
        }
        return value;
    }

    /** Whether a resource ARN names its owning account (S3 ARNs do not). */
    private static boolean ownsItself(String resource) {
        String[] f = resource.split(":", 6);
        return f.length == 6 && !f[4].isEmpty();
    }

    /** A document the requester supplied: a rejection is the requester's, with the field. */
    private static Policy input(Map<String, Source> sources, String id, PolicyType type, String document, String field) {
        Policy p;
        try {
            p = Policy.parse(document, type, id);
        } catch (MalformedPolicyException e) {
            ErrorCode code = MalformedPolicyException.LIMIT_EXCEEDED.equals(e.code())
                    ? ErrorCode.LIMIT_EXCEEDED
                    : ErrorCode.MALFORMED_POLICY_DOCUMENT;
            throw new StsException(code, field + ": " + e.getMessage(), field);
        }
        sources.put(id, new Source(id, type, p));
        return p;
    }

    /**
     * A document of the role, validated when it was stored: a rejection now is a defect of this
     * service (an internal error), not something the requester can correct.
     */
    private static Policy stored(Map<String, Source> sources, String id, PolicyType type, String document) {
        Policy p;
        try {
            // AWS's own policies are not bound by the customer quotas (ReadOnlyAccess is ~90,000
            // characters); their grammar is still checked.
            p = AwsManagedPolicies.isAwsManaged(id)
                    ? Policy.parseAwsManaged(document, type, id)
                    : Policy.parse(document, type, id);
        } catch (MalformedPolicyException e) {
            throw new IllegalStateException("stored policy " + id + " no longer parses: " + e.getMessage(), e);
        }
        sources.put(id, new Source(id, type, p));
        return p;
    }

    private static List<SimulationResult.MatchedStatement> matched(Decision d, Map<String, Source> sources) {
        List<SimulationResult.MatchedStatement> out = new ArrayList<>(d.decidingStatements().size());
        for (StatementRef ref : d.decidingStatements()) {
            Source s = sources.get(ref.policy());
            out.add(new SimulationResult.MatchedStatement(s.id(), s.type(), statementId(ref),
                    s.policy().statements().get(ref.index()).effect()));
        }
        return out;
    }

    private static String statementId(StatementRef ref) {
        return ref.sid() != null && !ref.sid().isEmpty() ? ref.sid() : "#" + ref.index();
    }

    /**
     * The condition keys of every statement that applied to the action, the resource and the caller
     * (whether its conditions then held or not) that the context does not supply; each key once,
     * spelled as first seen, in evaluation order.
     */
    private static List<String> missingContextValues(Decision d, Map<String, Source> sources, RequestContext context) {
        List<String> missing = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (TraceEntry t : d.trace()) {
            if (t.result() != Statement.Result.APPLIES && t.result() != Statement.Result.CONDITION_FAILED) {
                continue;
            }
            Statement s = sources.get(t.statement().policy()).policy().statements().get(t.statement().index());
            for (ConditionClause c : s.conditions().clauses()) {
                String key = c.key();
                if (context.get(key).isEmpty() && seen.add(key.toLowerCase(Locale.ROOT))) {
                    missing.add(key);
                }
            }
        }
        return missing;
    }

    /** The reason, then each statement whose action and resource matched, with what happened to it. */
    private static List<String> trace(Decision d) {
        List<String> lines = new ArrayList<>();
        lines.add(d.outcome().wireName() + ": " + d.reason());
        int more = 0;
        for (TraceEntry t : d.trace()) {
            if (t.result() == Statement.Result.ACTION_NOT_MATCHED || t.result() == Statement.Result.RESOURCE_NOT_MATCHED) {
                continue;
            }
            if (lines.size() < MAX_TRACE_LINES) {
                lines.add(t.toString());
            } else {
                more++;
            }
        }
        if (more > 0) {
            lines.add("... and " + more + " more statements that matched the action and resource");
        }
        return lines;
    }

    private static StsException invalidInput(String field, String message) {
        return new StsException(ErrorCode.INVALID_INPUT, message, field);
    }
}
