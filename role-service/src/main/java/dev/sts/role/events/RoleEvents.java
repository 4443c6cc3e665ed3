package dev.sts.role.events;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sts.kit.audit.AuditIdentities;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.events.Topics;
import dev.sts.kit.grpc.RequestContext;
import dev.sts.kit.id.Ids;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.InlinePolicy;
import dev.sts.proto.v1.ManagedPolicyState;
import dev.sts.proto.v1.RoleChanged;
import dev.sts.proto.v1.RoleState;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.Tag;
import dev.sts.role.domain.ManagedPolicy;
import dev.sts.role.domain.OutboxEvent;
import dev.sts.role.domain.PolicyDetails;
import dev.sts.role.domain.Role;
import dev.sts.role.domain.RoleDetails;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the events role-service writes to its outbox: {@code RoleChanged} on the role-events
 * topic (the audit trail), and the permission view's {@code RoleState} / {@code ManagedPolicyState}
 * or tombstones on the compacted permission-state topic, each keyed by the role's or policy's ARN.
 */
public final class RoleEvents {
    private RoleEvents() {
    }

    public static OutboxEvent roleChanged(String eventName, String resourceArn, String roleId, long revision,
            CallerIdentity caller, RequestContext request, Instant at, Map<String, ?> parameters) {
        return roleChanged(eventName, resourceArn, roleId, revision, caller, request, at, parameters, null, null);
    }

    /** The record of a refused call: the error code and message the caller got; nothing changed. */
    public static OutboxEvent denied(String eventName, String resourceArn, CallerIdentity caller, RequestContext request,
            Instant at, Map<String, ?> parameters, String errorCode, String errorMessage) {
        return roleChanged(eventName, resourceArn, null, 0, caller, request, at, parameters, errorCode, errorMessage);
    }

    private static OutboxEvent roleChanged(String eventName, String resourceArn, String roleId, long revision,
            CallerIdentity caller, RequestContext request, Instant at, Map<String, ?> parameters, String errorCode,
            String errorMessage) {
        UUID eventId = Ids.timeOrderedUuid();
        RoleChanged.Builder changed = RoleChanged.newBuilder()
                .setHeader(EventHeader.newBuilder()
                        .setEventId(eventId.toString())
                        .setEventTime(Timestamps.of(at))
                        .setActor(AuditIdentities.of(caller))
                        .setRequestId(request.requestId())
                        .setSourceIpAddress(request.sourceIp())
                        .setUserAgent(request.userAgent())
                        .setAccountId(caller.accountId() == null ? "" : caller.accountId()))
                .setEventName(eventName)
                .setResourceArn(resourceArn)
                .setRoleId(roleId == null ? "" : roleId)
                .setRevision(revision)
                .setRequestParameters(struct(parameters));
        if (errorCode != null) {
            changed.setErrorCode(errorCode).setErrorMessage(errorMessage == null ? "" : errorMessage);
        }
        return new OutboxEvent(eventId, Topics.ROLE_EVENTS, resourceArn,
                StsEvent.newBuilder().setRoleChanged(changed).build().toByteArray());
    }

    /** The role's whole state: inline policies in name order, attached ARNs in ARN order. */
    public static OutboxEvent roleState(RoleDetails details, Instant at) {
        Role r = details.role();
        RoleState.Builder state = RoleState.newBuilder()
                .setArn(r.arn())
                .setRoleId(r.roleId())
                .setRoleName(r.roleName())
                .setPath(r.path())
                .setAccountId(r.accountId())
                .setRevision(r.revision())
                .setAssumeRolePolicyDocument(r.trustPolicy())
                .setPermissionsBoundaryArn(r.permissionsBoundary() == null ? "" : r.permissionsBoundary())
                .setMaxSessionDuration(r.maxSessionDuration())
                .setUpdatedAt(Timestamps.of(at));
        details.inlinePolicies().forEach((name, document) -> state.addInlinePolicies(
                InlinePolicy.newBuilder().setPolicyName(name).setPolicyDocument(document)));
        state.addAllAttachedPolicyArns(details.attachedPolicyArns());
        r.tags().forEach(t -> state.addTags(Tag.newBuilder().setKey(t.key()).setValue(t.value())));
        return new OutboxEvent(Ids.timeOrderedUuid(), Topics.PERMISSION_STATE, r.arn(),
                StsEvent.newBuilder().setRoleState(state).build().toByteArray());
    }

    /** A customer-managed policy's state: its default version's document. */
    public static OutboxEvent policyState(PolicyDetails details, Instant at) {
        ManagedPolicy p = details.policy();
        ManagedPolicyState state = ManagedPolicyState.newBuilder()
                .setArn(p.arn())
                .setPolicyId(p.policyId())
                .setPolicyName(p.policyName())
                .setPath(p.path())
                .setAccountId(p.accountId())
                .setRevision(p.revision())
                .setDefaultVersionId(p.defaultVersionId())
                .setDefaultDocument(details.defaultVersion().document())
                .setUpdatedAt(Timestamps.of(at))
                .build();
        return new OutboxEvent(Ids.timeOrderedUuid(), Topics.PERMISSION_STATE, p.arn(),
                StsEvent.newBuilder().setManagedPolicyState(state).build().toByteArray());
    }

    /** A record without a value: compaction drops the key, and readers forget the role or policy. */
    public static OutboxEvent tombstone(String arn) {
        return new OutboxEvent(Ids.timeOrderedUuid(), Topics.PERMISSION_STATE, arn, null);
    }

    /** Request parameters as a Struct: strings, numbers, booleans, lists and maps of them. */
    static Struct struct(Map<String, ?> parameters) {
        Struct.Builder s = Struct.newBuilder();
        parameters.forEach((k, v) -> s.putFields(k, value(v)));
        return s.build();
    }

    private static Value value(Object v) {
        if (v == null) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (v instanceof Boolean b) {
            return Value.newBuilder().setBoolValue(b).build();
        }
        if (v instanceof Number n) {
            return Value.newBuilder().setNumberValue(n.doubleValue()).build();
        }
        if (v instanceof Map<?, ?> m) {
            Struct.Builder s = Struct.newBuilder();
            m.forEach((k, x) -> s.putFields(String.valueOf(k), value(x)));
            return Value.newBuilder().setStructValue(s).build();
        }
        if (v instanceof Collection<?> c) {
            ListValue.Builder l = ListValue.newBuilder();
            c.forEach(x -> l.addValues(value(x)));
            return Value.newBuilder().setListValue(l).build();
        }
        return Value.newBuilder().setStringValue(v.toString()).build();
    }
}
