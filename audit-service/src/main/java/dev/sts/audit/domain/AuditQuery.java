package dev.sts.audit.domain;

import java.time.Instant;

/** LookupEvents filters: a time range plus optional attributes; null or empty fields do not filter. */
public record AuditQuery(Instant start, Instant end, String principalArn, String roleArn, String sessionId,
        String sourceIdentity, String accessKeyId, String eventName, String outcome) {
}
