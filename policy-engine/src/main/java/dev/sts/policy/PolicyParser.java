package dev.sts.policy;

import dev.sts.policy.condition.ConditionBlock;
import dev.sts.policy.condition.ConditionClause;
import dev.sts.policy.condition.ConditionOperator;
import dev.sts.policy.json.JsonReader;
import dev.sts.policy.json.JsonSyntaxException;
import dev.sts.policy.json.JsonValue;
import dev.sts.policy.json.JsonValue.JsonArray;
import dev.sts.policy.json.JsonValue.JsonObject;
import dev.sts.policy.json.JsonValue.JsonString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a policy document against the IAM JSON policy grammar and its notes, per policy type,
 * and compiles it. Every rejection names the place and the reason.
 */
final class PolicyParser {

    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Principal", "NotPrincipal",
            "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Service", "Federated", "CanonicalUser");

    private PolicyParser() {
    }

    static Policy parse(String json, PolicyType type, String name) {
        return parse(json, type, name, true);
    }

    /** @param enforceQuota whether the type's size quota applies (not to AWS-managed documents) */
    static Policy parse(String json, PolicyType type, String name, boolean enforceQuota) {
        if (json == null) {
            throw new MalformedPolicyException("Policy", "the document is missing");
        }
        if (type == null) {
            throw new IllegalArgumentException("policy type is required");
        }
        JsonValue root;
        try {
            root = JsonReader.read(json);
        } catch (JsonSyntaxException e) {
            throw new MalformedPolicyException("Policy", "invalid JSON at line " + e.line() + ", column "
                    + e.column() + ": " + e.reason());
        }
        int size = PolicySize.of(json);
        if (enforceQuota && type.maxSize() > 0 && size > type.maxSize()) {
            throw new MalformedPolicyException(MalformedPolicyException.LIMIT_EXCEEDED, "Policy",
                    "size " + size + " exceeds the " + type.maxSize() + "-character quota for "
                            + type.description() + " (whitespace not counted)");
        }
        if (!(root instanceof JsonObject doc)) {
            throw new MalformedPolicyException("Policy", "must be a JSON object, found " + root.typeName());
        }
        noDuplicates(doc, "Policy");
        for (String k : doc.fields().keySet()) {
            if (!TOP_LEVEL.contains(k)) {
                throw new MalformedPolicyException("Policy", "unknown element " + q(k)
                        + " (expected Version, Id and Statement)");
            }
        }
        String version = null;
        JsonValue v = doc.get("Version");
        if (v != null) {
            if (!(v instanceof JsonString vs)) {
                throw new MalformedPolicyException("Version", "must be a string, found " + v.typeName());
            }
            version = vs.value();
            if (!version.equals(Policy.VERSION_2012_10_17) && !version.equals(Policy.VERSION_2008_10_17)) {
                throw new MalformedPolicyException("Version", "unsupported value " + q(version)
                        + " (expected \"2012-10-17\" or \"2008-10-17\")");
            }
        }
        boolean variables = Policy.VERSION_2012_10_17.equals(version);
        String id = null;
        JsonValue idv = doc.get("Id");
        if (idv != null) {
            if (type.isIdentityStyle()) {
                throw new MalformedPolicyException("Id", "not allowed in " + type.description()
                        + " (the Id element belongs to resource-based policies)");
            }
            if (!(idv instanceof JsonString ids)) {
                throw new MalformedPolicyException("Id", "must be a string, found " + idv.typeName());
            }
            id = ids.value();
        }
        JsonValue st = doc.get("Statement");
        if (st == null) {
            throw new MalformedPolicyException("Policy", "missing required element \"Statement\"");
        }
        List<Statement> statements = new ArrayList<>();
        Map<String, String> sids = new HashMap<>();
        if (st instanceof JsonObject one) {
            statements.add(statement(one, "Statement", 0, type, variables, sids));
        } else if (st instanceof JsonArray arr) {
            List<JsonValue> items = arr.items();
            for (int i = 0; i < items.size(); i++) {
                String place = "Statement[" + i + "]";
                if (!(items.get(i) instanceof JsonObject so)) {
                    throw new MalformedPolicyException(place, "must be an object, found " + items.get(i).typeName());
                }
                statements.add(statement(so, place, i, type, variables, sids));
            }
        } else {
            throw new MalformedPolicyException("Statement", "must be an object or an array of objects, found "
                    + st.typeName());
        }
        return new Policy(name, type, version, id, statements, size, json);
    }

    private static Statement statement(JsonObject s, String place, int index, PolicyType type, boolean variables,
                                       Map<String, String> sids) {
        noDuplicates(s, place);
        for (String k : s.fields().keySet()) {
            if (!STATEMENT_ELEMENTS.contains(k)) {
                throw new MalformedPolicyException(place, "unknown element " + q(k));
            }
        }
        // Sid
        String sid = null;
        JsonValue sv = s.get("Sid");
        if (sv != null) {
            if (!(sv instanceof JsonString ss)) {
                throw new MalformedPolicyException(place + ".Sid", "must be a string, found " + sv.typeName());
            }
            sid = ss.value();
            if (type.alphanumericSid() && !isAlphanumeric(sid)) {
                throw new MalformedPolicyException(place + ".Sid", q(sid)
                        + " is not valid: IAM policies allow only A-Z, a-z and 0-9 in a Sid");
            }
            if (!sid.isEmpty()) {
                String earlier = sids.putIfAbsent(sid, place);
                if (earlier != null) {
                    throw new MalformedPolicyException(place + ".Sid", "duplicate Sid " + q(sid)
                            + " (also used by " + earlier + "); Sids must be unique within a policy");
                }
            }
        }
        // Effect
        JsonValue ev = s.get("Effect");
        if (ev == null) {
            throw new MalformedPolicyException(place, "missing required element \"Effect\"");
        }
        if (!(ev instanceof JsonString es)) {
            throw new MalformedPolicyException(place + ".Effect", "must be \"Allow\" or \"Deny\", found " + ev.typeName());
        }
        Effect effect = Effect.fromJson(es.value());
        if (effect == null) {
            throw new MalformedPolicyException(place + ".Effect", "must be \"Allow\" or \"Deny\", found " + q(es.value()));
        }
        // Principal / NotPrincipal
        PrincipalBlock principal = principalBlock(s, place, type, effect);
        // Action / NotAction
        ActionBlock action = actionBlock(s, place);
        // Resource / NotResource
        ResourceBlock resource = resourceBlock(s, place, type, variables);
        // Condition
        ConditionBlock conditions = conditionBlock(s.get("Condition"), place + ".Condition", variables);
        return new Statement(index, sid, effect, principal, action, resource, conditions);
    }

    private static PrincipalBlock principalBlock(JsonObject s, String place, PolicyType type, Effect effect) {
        JsonValue p = s.get("Principal");
        JsonValue np = s.get("NotPrincipal");
        if (p != null && np != null) {
            throw new MalformedPolicyException(place, "\"Principal\" and \"NotPrincipal\" cannot both be present");
        }
        if (type.isIdentityStyle()) {
            if (p != null || np != null) {
                throw new MalformedPolicyException(place, q(p != null ? "Principal" : "NotPrincipal")
                        + " is not allowed in " + type.description()
                        + " (the principal is the identity the policy is attached to)");
            }
            return null;
        }
        if (p == null && np == null) {
            throw new MalformedPolicyException(place, "missing required element \"Principal\": "
                    + type.description() + " must name its principals");
        }
        if (np != null) {
            if (type == PolicyType.TRUST) {
                throw new MalformedPolicyException(place, "\"NotPrincipal\" is not allowed in a role trust policy");
            }
            if (effect != Effect.DENY) {
                throw new MalformedPolicyException(place + ".NotPrincipal",
                        "can only be used with \"Effect\": \"Deny\"");
            }
        }
        boolean not = np != null;
        String where = place + (not ? ".NotPrincipal" : ".Principal");
        JsonValue v = not ? np : p;
        Map<String, List<String>> entries = new LinkedHashMap<>();
        if (v instanceof JsonString str) {
            if (!str.value().equals("*")) {
                throw new MalformedPolicyException(where, "must be \"*\" or an object such as {\"AWS\": ...}, found "
                        + q(str.value()));
            }
            entries.put("*", List.of("*"));
            return new PrincipalBlock(not, entries);
        }
        if (!(v instanceof JsonObject obj)) {
            throw new MalformedPolicyException(where, "must be \"*\" or an object, found " + v.typeName());
        }
        noDuplicates(obj, where);
        if (obj.fields().isEmpty()) {
            throw new MalformedPolicyException(where, "must name at least one principal");
        }
        for (Map.Entry<String, JsonValue> e : obj.fields().entrySet()) {
            String ptype = e.getKey();
            String at = where + "." + ptype;
            if (!PRINCIPAL_TYPES.contains(ptype)) {
                throw new MalformedPolicyException(where, "unknown principal type " + q(ptype)
                        + " (expected AWS, Service, Federated or CanonicalUser)");
            }
            List<String> values = stringList(e.getValue(), at, "a principal");
            for (int i = 0; i < values.size(); i++) {
                String pv = values.get(i);
                String vat = e.getValue() instanceof JsonArray ? at + "[" + i + "]" : at;
                validatePrincipal(ptype, pv, vat);
            }
            entries.put(ptype, values);
        }
        return new PrincipalBlock(not, entries);
    }

    private static void validatePrincipal(String ptype, String v, String at) {
        if (v.isEmpty()) {
            throw new MalformedPolicyException(at, "invalid principal: empty value");
        }
        if (v.equals("*")) {
            return;
        }
        if (v.indexOf('*') >= 0 || v.indexOf('?') >= 0) {
            throw new MalformedPolicyException(at, "invalid principal " + q(v)
                    + ": a wildcard may only stand alone (\"*\") and cannot match part of a name or ARN");
        }
        if (hasWhitespace(v)) {
            throw new MalformedPolicyException(at, "invalid principal " + q(v));
        }
        if (!ptype.equals("AWS")) {
            return;
        }
        if (RequestPrincipal.isAccountId(v) || isUniqueId(v)) {
            return;
        }
        if (v.startsWith("arn:")) {
            String[] f = v.split(":", 6);
            if (f.length == 6 && !f[1].isEmpty() && f[3].isEmpty() && RequestPrincipal.isAccountId(f[4])) {
                String res = f[5];
                if (f[2].equals("iam") && (res.equals("root") || validPath(res, "user/") || validPath(res, "role/")
                        || validPath(res, "saml-provider/") || validPath(res, "oidc-provider/"))) {
                    return;
                }
                if (f[2].equals("sts")) {
                    if (res.startsWith("assumed-role/") && res.split("/", -1).length == 3
                            && !res.split("/", -1)[1].isEmpty() && !res.split("/", -1)[2].isEmpty()) {
                        return;
                    }
                    if (validPath(res, "federated-user/")) {
                        return;
                    }
                }
            }
        }
        throw new MalformedPolicyException(at, "invalid principal " + q(v)
                + " (expected \"*\", a 12-digit account ID, or the ARN of an account root, user, role,"
                + " assumed-role session or federated user)");
    }

    /** {@code prefix} (which ends with '/') followed by a name: the resource must not end with '/'. */
    private static boolean validPath(String res, String prefix) {
        return res.startsWith(prefix) && !res.endsWith("/");
    }

    private static boolean isUniqueId(String v) {
        if (v.length() < 16 || v.length() > 128 || v.charAt(0) != 'A') {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static ActionBlock actionBlock(JsonObject s, String place) {
        JsonValue a = s.get("Action");
        JsonValue na = s.get("NotAction");
        if (a != null && na != null) {
            throw new MalformedPolicyException(place, "\"Action\" and \"NotAction\" cannot both be present");
        }
        if (a == null && na == null) {
            throw new MalformedPolicyException(place, "missing required element \"Action\" or \"NotAction\"");
        }
        boolean not = na != null;
        String where = place + (not ? ".NotAction" : ".Action");
        JsonValue v = not ? na : a;
        List<String> actions = stringList(v, where, "an action");
        for (int i = 0; i < actions.size(); i++) {
            String act = actions.get(i);
            String at = v instanceof JsonArray ? where + "[" + i + "]" : where;
            validateAction(act, at);
        }
        return new ActionBlock(not, actions);
    }

    private static void validateAction(String act, String at) {
        if (act.equals("*")) {
            return;
        }
        int colon = act.indexOf(':');
        if (colon <= 0 || colon == act.length() - 1 || act.lastIndexOf(':') != colon) {
            throw new MalformedPolicyException(at, q(act) + " is not a valid action (expected \"service:action\","
                    + " e.g. \"s3:GetObject\", or \"*\")");
        }
        for (int i = 0; i < colon; i++) {
            char c = act.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                throw new MalformedPolicyException(at, q(act) + " is not a valid action: the service prefix "
                        + q(act.substring(0, colon)) + " may contain only letters, digits and '-'");
            }
        }
        for (int i = 0; i < act.length(); i++) { // the service prefix has passed the stricter test above
            char c = act.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new MalformedPolicyException(at, q(act) + " is not a valid action: it contains whitespace");
            }
        }
    }

    private static ResourceBlock resourceBlock(JsonObject s, String place, PolicyType type, boolean variables) {
        JsonValue r = s.get("Resource");
        JsonValue nr = s.get("NotResource");
        if (r != null && nr != null) {
            throw new MalformedPolicyException(place, "\"Resource\" and \"NotResource\" cannot both be present");
        }
        if (type == PolicyType.TRUST) {
            if (r != null || nr != null) {
                throw new MalformedPolicyException(place, q(r != null ? "Resource" : "NotResource")
                        + " is not allowed in a role trust policy (the resource is the role itself)");
            }
            return null;
        }
        if (r == null && nr == null) {
            throw new MalformedPolicyException(place, "missing required element \"Resource\" or \"NotResource\"");
        }
        boolean not = nr != null;
        String where = place + (not ? ".NotResource" : ".Resource");
        JsonValue v = not ? nr : r;
        List<String> resources = stringList(v, where, "a resource");
        List<String> effective = new ArrayList<>(resources.size());
        for (int i = 0; i < resources.size(); i++) {
            String res = resources.get(i);
            String at = v instanceof JsonArray ? where + "[" + i + "]" : where;
            effective.add(validateResource(res, at, type));
        }
        return new ResourceBlock(not, resources, effective, variables);
    }

    /**
     * Validates one Resource/NotResource value and returns the ARN to match: the value itself, or
     * for an incomplete ARN in an identity-based policy the ARN completed with {@code *} fields.
     *
     * <p>IAM User Guide, "Identify AWS resources with Amazon Resource Names (ARNs)": "When you
     * specify an incomplete ARN (one with fewer than the standard six fields) in an identity-based
     * policy, AWS automatically completes the ARN by adding wildcard characters (*) to all missing
     * fields. For example, specifying arn:aws:sqs is equivalent to arn:aws:sqs:*:*:* [...] However,
     * session policies passed to AWS STS AssumeRole, AssumeRoleWithWebIdentity, and
     * AssumeRoleWithSAML requests, do not support incomplete ARNs." A permissions boundary is a
     * managed (identity-based) policy, so it is completed too. The completion is documented for
     * identity-based policies only, so resource-based policies keep requiring six fields (a role
     * trust policy has no Resource element at all). The same page forbids a wildcard in the
     * partition, so at least {@code arn:partition} must be written.
     */
    private static String validateResource(String res, String at, PolicyType type) {
        if (res.equals("*")) {
            return res;
        }
        if (!res.startsWith("arn:")) {
            throw new MalformedPolicyException(at, q(res)
                    + " is not a valid resource: expected an ARN (arn:partition:service:region:account:resource) or \"*\"");
        }
        String[] f = res.split(":", 6);
        boolean completes = type == PolicyType.IDENTITY || type == PolicyType.BOUNDARY;
        if (f.length < 6 && !(completes && f.length >= 2)) {
            throw new MalformedPolicyException(at, q(res) + " is not a valid ARN: it needs six colon-separated fields"
                    + " (arn:partition:service:region:account:resource)"
                    + (completes ? "" : "; only identity-based policies accept an incomplete ARN"));
        }
        if (f[1].isEmpty() || (f.length > 2 && f[2].isEmpty())) {
            throw new MalformedPolicyException(at, q(res) + " is not a valid ARN: the "
                    + (f[1].isEmpty() ? "partition" : "service") + " field is empty");
        }
        return f.length == 6 ? res : res + ":*".repeat(6 - f.length);
    }

    private static ConditionBlock conditionBlock(JsonValue c, String where, boolean variables) {
        if (c == null) {
            return ConditionBlock.empty();
        }
        if (!(c instanceof JsonObject obj)) {
            throw new MalformedPolicyException(where, "must be an object mapping condition operators to"
                    + " {key: values} blocks, found " + c.typeName());
        }
        noDuplicates(obj, where);
        List<ConditionClause> clauses = new ArrayList<>();
        for (Map.Entry<String, JsonValue> e : obj.fields().entrySet()) {
            String opName = e.getKey();
            ConditionOperator op = ConditionOperator.parse(opName);
            if (op == null) {
                throw new MalformedPolicyException(where, "unknown operator " + q(opName));
            }
            String at = where + "." + opName;
            if (!(e.getValue() instanceof JsonObject keys)) {
                throw new MalformedPolicyException(at, "must be an object mapping condition keys to values, found "
                        + e.getValue().typeName());
            }
            noDuplicates(keys, at);
            for (Map.Entry<String, JsonValue> k : keys.fields().entrySet()) {
                String key = k.getKey();
                String kat = at + "[" + q(key) + "]";
                if (key.isEmpty() || hasWhitespace(key)) {
                    throw new MalformedPolicyException(kat, "invalid condition key " + q(key));
                }
                List<String> values = conditionValues(k.getValue(), kat);
                if (op.family() == ConditionOperator.Family.NULL) {
                    for (String nv : values) {
                        if (!nv.trim().equalsIgnoreCase("true") && !nv.trim().equalsIgnoreCase("false")) {
                            throw new MalformedPolicyException(kat, "the Null operator takes \"true\" or \"false\", found " + q(nv));
                        }
                    }
                }
                clauses.add(ConditionClause.compile(op, key, values, variables));
            }
        }
        return ConditionBlock.of(clauses);
    }

    private static List<String> conditionValues(JsonValue v, String at) {
        List<String> out = new ArrayList<>();
        if (v instanceof JsonArray arr) {
            for (int i = 0; i < arr.items().size(); i++) {
                String s = JsonValue.scalarText(arr.items().get(i));
                if (s == null) {
                    throw new MalformedPolicyException(at + "[" + i + "]", "condition values must be strings, numbers"
                            + " or booleans, found " + arr.items().get(i).typeName());
                }
                out.add(s);
            }
            return out;
        }
        String s = JsonValue.scalarText(v);
        if (s == null) {
            throw new MalformedPolicyException(at, "condition values must be a string, number, boolean or an"
                    + " array of them, found " + v.typeName());
        }
        out.add(s);
        return out;
    }

    /** A string or a non-empty array of strings. */
    private static List<String> stringList(JsonValue v, String at, String what) {
        if (v instanceof JsonString s) {
            return List.of(s.value());
        }
        if (v instanceof JsonArray arr) {
            if (arr.items().isEmpty()) {
                throw new MalformedPolicyException(at, "must not be an empty list");
            }
            List<String> out = new ArrayList<>(arr.items().size());
            for (int i = 0; i < arr.items().size(); i++) {
                JsonValue item = arr.items().get(i);
                if (!(item instanceof JsonString is)) {
                    throw new MalformedPolicyException(at + "[" + i + "]", "must be a string (" + what + "), found "
                            + item.typeName());
                }
                out.add(is.value());
            }
            return out;
        }
        throw new MalformedPolicyException(at, "must be a string or an array of strings, found " + v.typeName());
    }

    private static void noDuplicates(JsonObject o, String place) {
        if (o.duplicateKey() != null) {
            throw new MalformedPolicyException(place, "duplicate element " + q(o.duplicateKey())
                    + " (each element may appear only once)");
        }
    }

    private static boolean isAlphanumeric(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Quotes a value for a message, shortening very long input. */
    static String q(String s) {
        String t = s.length() > 80 ? s.substring(0, 77) + "..." : s;
        StringBuilder sb = new StringBuilder(t.length() + 2).append('"');
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
