package dev.sts.audit.domain;

import dev.sts.kit.error.StsException;
import java.time.Instant;
import java.util.Set;

/**
 * The filters of LookupEvents and ExportEvents: a time range (start inclusive, end exclusive) plus
 * optional attributes that must all match; a null or empty attribute does not filter. Build it with
 * {@link #between(Instant, Instant)}: the canonical constructor grows as filters are added.
 *
 * <p>Every value is bounded before it reaches SQL: a value longer than the longest that can be
 * stored can never match, so it is refused as the caller's mistake (ValidationError naming the
 * field) rather than sent to the database.
 */
public record AuditQuery(Instant start, Instant end, String principalArn, String roleArn, String sessionId,
        String sourceIdentity, String accessKeyId, String eventName, String outcome, String sessionName,
        String errorCode, String resourceArn) {
    /** AWS bounds ARNs at 2,048 characters (IAM API reference, e.g. CreateRole's Arn). */
    public static final int MAX_ARN = 2048;
    /** RoleSessionName: 2-64 characters (STS API reference, AssumeRole). */
    public static final int MAX_SESSION_NAME = 64;
    /** SourceIdentity: 2-64 characters (STS API reference, AssumeRole). */
    public static final int MAX_SOURCE_IDENTITY = 64;
    /** AccessKeyId: 16-128 characters (STS API reference, Credentials). */
    public static final int MAX_ACCESS_KEY_ID = 128;
    public static final int MAX_SESSION_ID = 128;
    public static final int MAX_EVENT_NAME = 128;
    public static final int MAX_ERROR_CODE = 128;
    public static final Set<String> OUTCOMES = Set.of("Success", "Failure");
    /** Prefix of the field names in errors: the request message's filter field. */
    private static final String FIELD = "lookup_attributes.";

    public AuditQuery {
        if (start == null || end == null) {
            throw new IllegalArgumentException("a query needs a time range");
        }
        if (!start.isBefore(end)) {
            throw StsException.invalid("start_time", "start_time must be before end_time");
        }
        principalArn = bounded("principal_arn", principalArn, MAX_ARN);
        roleArn = bounded("role_arn", roleArn, MAX_ARN);
        sessionId = bounded("session_id", sessionId, MAX_SESSION_ID);
        sourceIdentity = bounded("source_identity", sourceIdentity, MAX_SOURCE_IDENTITY);
        accessKeyId = bounded("access_key_id", accessKeyId, MAX_ACCESS_KEY_ID);
        eventName = bounded("event_name", eventName, MAX_EVENT_NAME);
        outcome = bounded("outcome", outcome, 16);
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw StsException.invalid(FIELD + "outcome", "outcome must be Success or Failure");
        }
        sessionName = bounded("session_name", sessionName, MAX_SESSION_NAME);
        errorCode = bounded("error_code", errorCode, MAX_ERROR_CODE);
        resourceArn = bounded("resource_arn", resourceArn, MAX_ARN);
    }

    /** The filters LookupEvents had before session name, error code and resource ARN (callers written against them). */
    public AuditQuery(Instant start, Instant end, String principalArn, String roleArn, String sessionId,
            String sourceIdentity, String accessKeyId, String eventName, String outcome) {
        this(start, end, principalArn, roleArn, sessionId, sourceIdentity, accessKeyId, eventName, outcome, null, null, null);
    }

    /** A query over {@code [start, end)} with no attribute filter yet. */
    public static Builder between(Instant start, Instant end) {
        return new Builder(start, end);
    }

    /** Empty means "no filter" (proto3 has no absent string); too long is the caller's error. */
    private static String bounded(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > max) {
            throw StsException.invalid(FIELD + field, field + " must be at most " + max + " characters");
        }
        return value;
    }

    public static final class Builder {
        private final Instant start;
        private final Instant end;
        private String principalArn;
        private String roleArn;
        private String sessionId;
        private String sourceIdentity;
        private String accessKeyId;
        private String eventName;
        private String outcome;
        private String sessionName;
        private String errorCode;
        private String resourceArn;

        private Builder(Instant start, Instant end) {
            this.start = start;
            this.end = end;
        }

        public Builder principalArn(String v) {
            principalArn = v;
            return this;
        }

        public Builder roleArn(String v) {
            roleArn = v;
            return this;
        }

        public Builder sessionId(String v) {
            sessionId = v;
            return this;
        }

        public Builder sourceIdentity(String v) {
            sourceIdentity = v;
            return this;
        }

        public Builder accessKeyId(String v) {
            accessKeyId = v;
            return this;
        }

        public Builder eventName(String v) {
            eventName = v;
            return this;
        }

        public Builder outcome(String v) {
            outcome = v;
            return this;
        }

        public Builder sessionName(String v) {
            sessionName = v;
            return this;
        }

        public Builder errorCode(String v) {
            errorCode = v;
            return this;
        }

        public Builder resourceArn(String v) {
            resourceArn = v;
            return this;
        }

        /** @throws StsException (ValidationError, with the field) when a value cannot be stored, so never matches */
        public AuditQuery build() {
            return new AuditQuery(start, end, principalArn, roleArn, sessionId, sourceIdentity, accessKeyId, eventName,
                    outcome, sessionName, errorCode, resourceArn);
        }
    }
}
