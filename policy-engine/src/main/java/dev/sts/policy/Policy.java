package dev.sts.policy;

import java.util.List;
import java.util.Optional;

/**
 * A parsed, validated and compiled policy document. Immutable and thread-safe: parse once, keep
 * it (e.g. with the role), evaluate many times. Patterns are compiled here, never per request.
 */
public final class Policy {

    /** Policy language versions. Without a Version element IAM assumes 2008-10-17. */
    public static final String VERSION_2012_10_17 = "2012-10-17";
    public static final String VERSION_2008_10_17 = "2008-10-17";

    private final String name;
    private final PolicyType type;
    private final String version;
    private final String id;
    private final List<Statement> statements;
    private final int size;
    private final String json;
    /**
     * Which statements can possibly cover an action of a given (lower-case) service: statements
     * whose Action patterns all name other services are skipped without matching. Services not
     * in the map use {@link #anyServiceCandidates}.
     */
    private final String[] serviceKeys;      // open addressing, power-of-two size
    private final int[][] serviceCandidates;
    private final int[] anyServiceCandidates;
    /** Statement references under the last label used for this (unnamed) policy; see {@link #refs}. */
    private volatile StatementRef[] refs;

    Policy(String name, PolicyType type, String version, String id, List<Statement> statements, int size, String json) {
        // statements are compiled and immutable; the action index below is derived from them
        this.name = name;
        this.type = type;
        this.version = version;
        this.id = id;
        this.statements = List.copyOf(statements);
        this.size = size;
        this.json = json;
        java.util.Map<String, java.util.TreeSet<Integer>> byService = new java.util.HashMap<>();
        java.util.List<Integer> always = new java.util.ArrayList<>();
        for (int i = 0; i < this.statements.size(); i++) {
            String[] svc = this.statements.get(i).action().servicesOrNull();
            if (svc == null) {
                always.add(i);
            } else {
                for (String sv : svc) {
                    byService.computeIfAbsent(sv, k -> new java.util.TreeSet<>()).add(i);
                }
            }
        }
        int cap = Integer.highestOneBit(Math.max(1, byService.size() * 2 + 1)) * 2;
        String[] keys = new String[byService.isEmpty() ? 0 : cap];
        int[][] vals = new int[keys.length][];
        byService.forEach((sv, set) -> {
            set.addAll(always);
            int h = 0;
            for (int i = 0; i < sv.length(); i++) {
                h = 31 * h + sv.charAt(i);
            }
            int slot = mix(h) & (keys.length - 1);
            while (keys[slot] != null) {
                slot = (slot + 1) & (keys.length - 1);
            }
            keys[slot] = sv;
            vals[slot] = set.stream().mapToInt(Integer::intValue).toArray();
        });
        this.serviceKeys = keys;
        this.serviceCandidates = vals;
        this.anyServiceCandidates = always.stream().mapToInt(Integer::intValue).toArray();
        if (name != null) {
            this.refs = makeRefs(name);
        }
    }

    /**
     * The indices (ascending) of statements that may cover {@code action}, whose service prefix is
     * {@code serviceLength} characters long (-1: none). Looked up without allocating.
     */
    int[] candidates(String action, int serviceLength) {
        if (serviceLength <= 0 || serviceKeys.length == 0) {
            return anyServiceCandidates;
        }
        int h = 0;
        for (int i = 0; i < serviceLength; i++) {
            h = 31 * h + dev.sts.policy.match.Wildcard.lower(action.charAt(i));
        }
        int mask = serviceKeys.length - 1;
        for (int slot = mix(h) & mask; ; slot = (slot + 1) & mask) {
            String key = serviceKeys[slot];
            if (key == null) {
                return anyServiceCandidates;
            }
            if (key.length() == serviceLength && sameLower(action, key)) {
                return serviceCandidates[slot];
            }
        }
    }

    private static boolean sameLower(String action, String lowerKey) {
        for (int i = 0; i < lowerKey.length(); i++) {
            if (dev.sts.policy.match.Wildcard.lower(action.charAt(i)) != lowerKey.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int mix(int h) {
        return h ^ (h >>> 16);
    }

    private static boolean isLabel(String s, String label, int position) {
        if (position < 0) {
            return s.equals(label);
        }
        if (!s.startsWith(label) || !s.endsWith("]")) {
            return false;
        }
        int v = 0;
        for (int i = label.length(); i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            v = v * 10 + (c - '0');
        }
        return s.length() > label.length() + 1 && v == position;
    }

    private StatementRef[] makeRefs(String policyName) {
        StatementRef[] out = new StatementRef[statements.size()];
        for (int i = 0; i < out.length; i++) {
            Statement s = statements.get(i);
            out[i] = new StatementRef(policyName, s.index(), s.sid());
        }
        return out;
    }

    /**
     * The statement references of this policy: under its name, or, when it has none, under the
     * label the evaluator gives it ({@code identity[0]}, {@code boundary}, ...). Cached, so an
     * evaluation allocates none in the usual case.
     */
    StatementRef[] refs(String label, int position) {
        StatementRef[] r = refs;
        if (name != null) {
            return r;
        }
        if (r != null && (r.length == 0 || isLabel(r[0].policy(), label, position))) {
            return r;
        }
        r = makeRefs(position < 0 ? label : label + position + "]");
        refs = r;
        return r;
    }

    /**
     * Parses and validates a policy document of the given type.
     *
     * @throws MalformedPolicyException with a message naming the place and the reason
     */
    public static Policy parse(String json, PolicyType type) {
        return parse(json, type, null);
    }

    /**
     * Parses with a name that decisions and traces use to identify the policy (a policy ARN, an
     * inline policy name, ...). Without one the evaluator labels it by role ({@code identity[0]}).
     */
    public static Policy parse(String json, PolicyType type, String name) {
        return PolicyParser.parse(json, type, name);
    }

    /**
     * Parses an AWS-managed policy document (one AWS publishes under {@code arn:aws:iam::aws:policy/...}
     * and this system ships as data) with the grammar of {@code type}, but without the type's size
     * quota. The quotas are IAM's limits on documents customers write; AWS does not hold its own
     * managed policies to them: ReadOnlyAccess (v188) has 91,266 characters without whitespace,
     * against the 6,144 of a customer-managed policy. Never use it for a document a caller sent.
     *
     * @param type an identity-style type: {@link PolicyType#IDENTITY} (attached to a role),
     *     {@link PolicyType#BOUNDARY} (a permissions boundary) or {@link PolicyType#SESSION} (a managed
     *     session policy, which AWS counts by its ARN, not its document)
     * @throws MalformedPolicyException when the document breaks the grammar
     */
    public static Policy parseAwsManaged(String json, PolicyType type, String name) {
        if (type == null || !type.isIdentityStyle()) {
            throw new IllegalArgumentException("an AWS-managed policy is an identity, boundary or session policy, not "
                    + type);
        }
        return PolicyParser.parse(json, type, name, false);
    }

    /** The same compiled policy under another name. */
    public Policy withName(String newName) {
        return new Policy(newName, type, version, id, statements, size, json);
    }

    /** The caller-given name, or null. */
    public String name() {
        return name;
    }

    public PolicyType type() {
        return type;
    }

    /** The Version element, if present. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /** True when policy variables are substituted (Version 2012-10-17). */
    public boolean variablesEnabled() {
        return VERSION_2012_10_17.equals(version);
    }

    /** The Id element, if present. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    public List<Statement> statements() {
        return statements;
    }

    /** The size as IAM counts it: characters excluding whitespace. */
    public int size() {
        return size;
    }

    /** The document as given. */
    public String json() {
        return json;
    }

    @Override
    public String toString() {
        return "Policy[" + (name != null ? name : type) + ", " + statements.size() + " statements]";
    }
}
