package dev.sts.audit.domain;

import com.google.protobuf.Value;
import dev.sts.proto.v1.AuditRecord;
import java.util.Set;

/**
 * The columns a record is found by, besides those of V1: derived from the record alone, at
 * insert, in one place (the hashed bytes stay the record; these columns are an index of it).
 *
 * <ul>
 * <li>{@code sessionName}: the role session the record is about. For AssumeRole and
 * AssumeRoleWithWebIdentity, issued or refused, the session name the caller asked for
 * ({@code requestParameters.roleSessionName}); for anything else, the session name of the caller
 * when it acted through a role session (the last segment of its assumed-role ARN).</li>
 * <li>{@code errorCode}: the AWS error code of a refused request.</li>
 * <li>{@code resourceArn}: the role or managed policy the record is about: its role if it names
 * one (so {@code role_arn}, when set, is always this ARN: the role filter reads the resource index,
 * docs/adr/031), else its first resource.</li>
 * <li>{@code callerSessionId}: the session id the caller acted with: for a SessionIssued record of
 * role chaining, the parent session. Session lineage follows it forward.</li>
 * <li>{@code roleArn}: the role the record is about ({@link AuditRecords#roleArn}), stored as it is
 * (the V1 column); derived here with {@code resourceArn} so that the two agree.</li>
 * </ul>
 * A value longer than its column is not a value a valid query can ask for (queries are bounded by
 * {@link AuditQuery}); it is left out (null) rather than let a column limit stop ingestion.
 */
public record IndexedAttributes(String sessionName, String errorCode, String resourceArn, String callerSessionId,
        String roleArn) {
    /** The STS calls whose record names the session asked for. */
    public static final Set<String> SESSION_REQUESTS = Set.of("AssumeRole", "AssumeRoleWithWebIdentity");

    public static IndexedAttributes of(AuditRecord r) {
        String role = AuditRecords.roleArn(r);
        String resource = role != null ? role : r.getResourcesCount() == 0 ? null : r.getResources(0).getArn();
        return new IndexedAttributes(
                fit(sessionName(r), AuditQuery.MAX_SESSION_NAME),
                fit(r.getErrorCode(), AuditQuery.MAX_ERROR_CODE),
                fit(resource, AuditQuery.MAX_ARN),
                fit(r.getUserIdentity().getSessionContext().getSessionId(), AuditQuery.MAX_SESSION_ID),
                role);
    }

    private static String sessionName(AuditRecord r) {
        if (AuditRecords.STS.equals(r.getEventSource()) && SESSION_REQUESTS.contains(r.getEventName())) {
            Value v = r.getRequestParameters().getFieldsOrDefault("roleSessionName", Value.getDefaultInstance());
            return v.getStringValue();
        }
        String arn = r.getUserIdentity().getArn();
        // arn:<partition>:sts::<account>:assumed-role/<role name>/<session name>
        int at = arn.indexOf(":assumed-role/");
        if (!r.getUserIdentity().hasSessionContext() || at < 0) {
            return null;
        }
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    private static String fit(String v, int max) {
        return v == null || v.isEmpty() || v.length() > max ? null : v;
    }
}
