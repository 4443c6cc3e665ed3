package dev.sts.policy.conformance;

import dev.sts.policy.EvaluationRequest;
import dev.sts.policy.Policy;
import dev.sts.policy.PolicyType;
import dev.sts.policy.RequestContext;
import dev.sts.policy.RequestKind;
import dev.sts.policy.json.JsonValue;
import dev.sts.policy.json.JsonValue.JsonArray;
import dev.sts.policy.json.JsonValue.JsonNull;
import dev.sts.policy.json.JsonValue.JsonObject;
import dev.sts.policy.json.JsonValue.JsonString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One case of {@code shared/policy-cases/FORMAT.md}: the policies as raw JSON text (so the policy
 * parser sees exactly what the case wrote) and the request.
 */
public record ConformanceCase(String id, String kind, JsonObject node, String source, String expected) {

    /** Reads the cases of one file: a JSON array of cases, or a single case object. */
    public static List<ConformanceCase> readAll(JsonValue root, String source) {
        List<ConformanceCase> out = new ArrayList<>();
        if (root instanceof JsonArray arr) {
            for (JsonValue v : arr.items()) {
                out.add(of(v, source));
            }
        } else {
            out.add(of(root, source));
        }
        return out;
    }

    private static ConformanceCase of(JsonValue v, String source) {
        if (!(v instanceof JsonObject o)) {
            return new ConformanceCase(null, null, null, source, null);
        }
        return new ConformanceCase(text(o.get("id")), text(o.get("kind")), o, source, text(o.get("expected")));
    }

    /** Builds the evaluation request; policy problems surface as MalformedPolicyException. */
    public EvaluationRequest toRequest() {
        if (node == null) {
            throw new IllegalArgumentException("a case must be a JSON object");
        }
        RequestKind rk = switch (kind == null ? "authorization" : kind) {
            case "authorization" -> RequestKind.AUTHORIZATION;
            case "assumeRole" -> RequestKind.ASSUME_ROLE;
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
        EvaluationRequest.Builder b = EvaluationRequest.builder().kind(rk);
        for (Policy p : policies(node.get("identityPolicies"), PolicyType.IDENTITY, "identity")) {
            b.identityPolicy(p);
        }
        for (Policy p : policies(node.get("sessionPolicies"), PolicyType.SESSION, "session")) {
            b.sessionPolicy(p);
        }
        JsonValue boundary = node.get("permissionsBoundary");
        if (boundary != null && !(boundary instanceof JsonNull)) {
            b.permissionsBoundary(policy(boundary, PolicyType.BOUNDARY, "boundary"));
        }
        JsonValue rp = node.get("resourcePolicy");
        if (rp != null && !(rp instanceof JsonNull)) {
            boolean trust = rk == RequestKind.ASSUME_ROLE;
            b.resourcePolicy(policy(rp, trust ? PolicyType.TRUST : PolicyType.RESOURCE, trust ? "trust" : "resource"));
        }
        if (!(node.get("request") instanceof JsonObject req)) {
            throw new IllegalArgumentException("a case needs a \"request\" object");
        }
        b.principal(text(req.get("principal")))
                .action(require(req, "action"))
                .resource(require(req, "resource"))
                .resourceAccount(text(req.get("resourceAccount")));
        RequestContext.Builder ctx = RequestContext.builder();
        if (req.get("context") instanceof JsonObject c) {
            for (Map.Entry<String, JsonValue> e : c.fields().entrySet()) {
                JsonValue val = e.getValue();
                if (val instanceof JsonArray arr) {
                    List<String> vs = new ArrayList<>();
                    for (JsonValue item : arr.items()) {
                        String s = JsonValue.scalarText(item);
                        if (s != null) {
                            vs.add(s);
                        }
                    }
                    ctx.putMulti(e.getKey(), vs);
                } else {
                    String s = JsonValue.scalarText(val);
                    if (s != null) {
                        ctx.put(e.getKey(), s);
                    }
                }
            }
        }
        b.context(ctx.build());
        return b.build();
    }

    private List<Policy> policies(JsonValue v, PolicyType type, String label) {
        List<Policy> out = new ArrayList<>();
        if (v instanceof JsonArray arr) {
            for (int i = 0; i < arr.items().size(); i++) {
                out.add(policy(arr.items().get(i), type, label + "[" + i + "]"));
            }
        } else if (v != null && !(v instanceof JsonNull)) {
            out.add(policy(v, type, label));
        }
        return out;
    }

    /** The policy's own text, cut from the case file, so duplicates and formatting reach the parser. */
    private Policy policy(JsonValue v, PolicyType type, String label) {
        String json = v instanceof JsonString s ? s.value() : source.substring(v.start(), v.end());
        return Policy.parse(json, type, label);
    }

    private static String require(JsonObject o, String field) {
        String s = text(o.get(field));
        if (s == null) {
            throw new IllegalArgumentException("request." + field + " is missing");
        }
        return s;
    }

    private static String text(JsonValue v) {
        return v == null ? null : JsonValue.scalarText(v);
    }
}
