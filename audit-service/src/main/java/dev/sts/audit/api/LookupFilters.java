package dev.sts.audit.api;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.sts.audit.domain.AuditQuery;
import dev.sts.kit.error.StsException;
import dev.sts.proto.v1.LookupAttributes;
import java.time.Instant;

/** The proto's time range and LookupAttributes as the domain's {@link AuditQuery}; one mapping for every RPC. */
final class LookupFilters {
    private LookupFilters() {
    }

    static AuditQuery query(Instant start, Instant end, LookupAttributes a) {
        return AuditQuery.between(start, end)
                .principalArn(a.getPrincipalArn())
                .roleArn(a.getRoleArn())
                .sessionId(a.getSessionId())
                .sourceIdentity(a.getSourceIdentity())
                .accessKeyId(a.getAccessKeyId())
                .eventName(a.getEventName())
                .outcome(a.getOutcome())
                .sessionName(a.getSessionName())
                .errorCode(a.getErrorCode())
                .resourceArn(a.getResourceArn())
                .build();
    }

    /** A valid Timestamp as an Instant; an invalid one (nanos out of range, year beyond 9999) is the caller's error. */
    static Instant instant(Timestamp t, String field) {
        if (!Timestamps.isValid(t)) {
            throw StsException.invalid(field, field + " is not a valid timestamp");
        }
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
