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
    /** The statement references under the policy's name; null for an unnamed policy. */
    private final StatementRef[] namedRefs;
    /** An unnamed policy's references under the label the evaluator gave it last; see {@link #refs}. */
    private volatile LabelledRefs labelled;

    private record LabelledRefs(String label, int position, StatementRef[] refs) {
    }

    Policy(String name, PolicyType type, String version, String id, List<Statement> statements, int size, String json) {
        this.name = name;
        this.type = type;
        this.version = version;
        this.id = id;
        this.statements = List.copyOf(statements);
        this.size = size;
        this.json = json;
        this.namedRefs = name != null ? makeRefs(name) : null;
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
        if (namedRefs != null) {
            return namedRefs;
        }
        LabelledRefs l = labelled;
        if (l == null || l.position != position || !l.label.equals(label)) {
            l = new LabelledRefs(label, position, makeRefs(position < 0 ? label : label + position + "]"));
            labelled = l;
        }
        return l.refs;
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
