package dev.sts.audit.api.cloudtrail;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.sts.audit.domain.CloudTrailFields;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditResource;
import dev.sts.proto.v1.SessionContext;
import dev.sts.proto.v1.UserIdentity;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

/**
 * An audit record in CloudTrail's shapes: the LookupEvents {@code Event} (CloudTrail API reference,
 * "Event" data type) and, inside it as a JSON string, the {@code CloudTrailEvent} record (CloudTrail
 * user guide, "CloudTrail record contents"). What differs from AWS's records, and why, is in
 * docs/adr/025.
 */
final class CloudTrailEvents {
    /**
     * The record format these records follow: 1.08 added {@code sessionContext.sourceIdentity},
     * the newest field written here.
     */
    static final String EVENT_VERSION = "1.08";
    /**
     * IAM and STS are global services: CloudTrail records calls to them (IAM, and STS's global
     * endpoint) in us-east-1.
     */
    static final String REGION = "us-east-1";
    /**
     * Never in a record: a secret access key, a session token, a web identity token. Events never
     * carry them (token-service leaves them out); this is the second fence, by name, at any depth.
     */
    private static final Set<String> SECRET_FIELDS = Set.of("secretAccessKey", "sessionToken", "webIdentityToken");
    static final ObjectMapper JSON = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CloudTrailEvents() {
    }

    /** The LookupEvents {@code Event} of a record. */
    static ObjectNode event(AuditRecord r) {
        ObjectNode e = NODES.objectNode();
        e.put("EventId", r.getEventId());
        e.put("EventName", r.getEventName());
        e.put("ReadOnly", Boolean.toString(CloudTrailFields.readOnly(r)));
        putIfSet(e, "AccessKeyId", r.getUserIdentity().getAccessKeyId());
        // awsJson1_1 timestamps are epoch seconds; milliseconds as the fraction.
        e.put("EventTime", BigDecimal.valueOf(instant(r.getEventTime()).toEpochMilli(), 3));
        e.put("EventSource", r.getEventSource());
        putIfSet(e, "Username", CloudTrailFields.username(r));
        ArrayNode resources = e.putArray("Resources");
        for (CloudTrailFields.Resource res : CloudTrailFields.resources(r)) {
            resources.addObject().put("ResourceType", res.type()).put("ResourceName", res.name());
        }
        e.put("CloudTrailEvent", cloudTrailEvent(r));
        return e;
    }

    /** The CloudTrail record of an audit record, as the JSON string LookupEvents returns. */
    static String cloudTrailEvent(AuditRecord r) {
        try {
            return JSON.writeValueAsString(record(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings, numbers and booleans always serializes", e);
        }
    }

    static ObjectNode record(AuditRecord r) {
        ObjectNode o = NODES.objectNode();
        o.put("eventVersion", EVENT_VERSION);
        o.set("userIdentity", userIdentity(r));
        o.put("eventTime", instant(r.getEventTime()).truncatedTo(ChronoUnit.SECONDS).toString());
        o.put("eventSource", r.getEventSource());
        o.put("eventName", r.getEventName());
        o.put("awsRegion", REGION);
        o.put("sourceIPAddress", r.getSourceIpAddress());
        o.put("userAgent", r.getUserAgent());
        if (!r.getErrorCode().isEmpty()) {
            o.put("errorCode", r.getErrorCode());
            o.put("errorMessage", r.getErrorMessage());
        }
        o.set("requestParameters", r.hasRequestParameters() ? struct(r.getRequestParameters()) : NODES.nullNode());
        o.set("responseElements", r.hasResponseElements() ? struct(r.getResponseElements()) : NODES.nullNode());
        o.set("additionalEventData", additional(r));
        o.put("requestID", r.getRequestId());
        o.put("eventID", r.getEventId());
        o.put("readOnly", CloudTrailFields.readOnly(r));
        ArrayNode resources = o.putArray("resources");
        for (AuditResource res : r.getResourcesList()) {
            resources.addObject().put("accountId", res.getAccountId()).put("type", res.getType()).put("ARN", res.getArn());
        }
        o.put("eventType", "AwsApiCall");
        o.put("managementEvent", true);
        o.put("recipientAccountId", r.getRecipientAccountId());
        o.put("eventCategory", "Management");
        return o;
    }

    /** CloudTrail's userIdentity element (CloudTrail user guide, "CloudTrail userIdentity element"). */
    static ObjectNode userIdentity(AuditRecord r) {
        UserIdentity u = r.getUserIdentity();
        ObjectNode o = NODES.objectNode();
        o.put("type", u.getType());
        putIfSet(o, "principalId", u.getPrincipalId());
        putIfSet(o, "arn", u.getArn());
        putIfSet(o, "accountId", u.getAccountId());
        putIfSet(o, "accessKeyId", u.getAccessKeyId());
        switch (u.getType()) {
            case "IAMUser" -> putIfSet(o, "userName", CloudTrailFields.username(r));
            case "WebIdentityUser" -> {
                // AssumeRoleWithWebIdentity's caller: CloudTrail names the token's subject and issuer.
                putIfSet(o, "userName", CloudTrailFields.webIdentitySubject(r));
                putIfSet(o, "identityProvider", CloudTrailFields.webIdentityProvider(r));
            }
            default -> {
            }
        }
        if (u.hasSessionContext()) {
            SessionContext s = u.getSessionContext();
            ObjectNode c = o.putObject("sessionContext");
            ObjectNode issuer = c.putObject("sessionIssuer");
            issuer.put("type", s.getSessionIssuer().getType());
            issuer.put("principalId", s.getSessionIssuer().getPrincipalId());
            issuer.put("arn", s.getSessionIssuer().getArn());
            issuer.put("accountId", s.getSessionIssuer().getAccountId());
            issuer.put("userName", s.getSessionIssuer().getUserName());
            // Sessions issued by AssumeRoleWithWebIdentity are not told apart in the session
            // context yet (the token carries no provider): the element is present and empty, as
            // CloudTrail writes it for sessions of AssumeRole.
            c.putObject("webIdFederationData");
            ObjectNode attributes = c.putObject("attributes");
            attributes.put("creationDate", instant(s.getCreationDate()).truncatedTo(ChronoUnit.SECONDS).toString());
            attributes.put("mfaAuthenticated", Boolean.toString(s.getMfaAuthenticated()));
            putIfSet(c, "sourceIdentity", s.getSourceIdentity());
        }
        return o;
    }

    /**
     * What this log knows beyond CloudTrail's fields, under CloudTrail's element for
     * service-specific data: the session a caller acted through and its chain depth, the real
     * reason behind a denial (for auditors; the denied caller was told only AccessDenied), and the
     * record's place in its hash chain.
     */
    private static ObjectNode additional(AuditRecord r) {
        ObjectNode o = NODES.objectNode();
        SessionContext s = r.getUserIdentity().getSessionContext();
        putIfSet(o, "sessionId", s.getSessionId());
        if (s.getChainDepth() > 0) {
            o.put("chainDepth", s.getChainDepth());
        }
        putIfSet(o, "issuedSessionId", r.getSessionId());
        putIfSet(o, "sourceIdentity", r.getSourceIdentity());
        putIfSet(o, "denialReason", r.getInternalReason());
        putIfSet(o, "chainId", r.getChainId());
        if (r.getSequence() > 0) {
            o.put("sequence", r.getSequence());
        }
        putIfSet(o, "recordHash", r.getRecordHash());
        return o;
    }

    /** A protobuf Struct as JSON, without any field named as a secret. */
    static ObjectNode struct(Struct s) {
        ObjectNode o = NODES.objectNode();
        for (Map.Entry<String, Value> f : s.getFieldsMap().entrySet()) {
            if (!SECRET_FIELDS.contains(f.getKey())) {
                o.set(f.getKey(), value(f.getValue()));
            }
        }
        return o;
    }

    private static JsonNode value(Value v) {
        return switch (v.getKindCase()) {
            case STRING_VALUE -> NODES.textNode(v.getStringValue());
            case BOOL_VALUE -> NODES.booleanNode(v.getBoolValue());
            case NUMBER_VALUE -> number(v.getNumberValue());
            case STRUCT_VALUE -> struct(v.getStructValue());
            case LIST_VALUE -> list(v.getListValue());
            case NULL_VALUE, KIND_NOT_SET -> NODES.nullNode();
        };
    }

    /** Struct numbers are doubles; a whole number is written without a fraction, as JSON producers do. */
    private static JsonNode number(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return NODES.numberNode((long) d);
        }
        return NODES.numberNode(d);
    }

    private static ArrayNode list(ListValue l) {
        ArrayNode a = NODES.arrayNode();
        l.getValuesList().forEach(v -> a.add(value(v)));
        return a;
    }

    private static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(field, value);
        }
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
