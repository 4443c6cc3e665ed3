package dev.sts.role.events;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sts.kit.audit.AuditIdentities;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.events.Topics;
import dev.sts.kit.grpc.RequestContext;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.RoleChanged;
import dev.sts.proto.v1.StsEvent;
import dev.sts.role.domain.OutboxEvent;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Builds the {@code RoleChanged} events role-service writes to its outbox. */
public final class RoleEvents {
    private RoleEvents() {
    }

    public static OutboxEvent roleChanged(String eventName, String resourceArn, String roleId, long revision,
            CallerIdentity caller, RequestContext request, Instant at, Map<String, String> parameters) {
        UUID eventId = UUID.randomUUID();
        Struct.Builder params = Struct.newBuilder();
        parameters.forEach((k, v) -> params.putFields(k, Value.newBuilder().setStringValue(v == null ? "" : v).build()));
        RoleChanged changed = RoleChanged.newBuilder()
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
                .setRequestParameters(params)
                .build();
        return new OutboxEvent(eventId, Topics.ROLE_EVENTS, resourceArn,
                StsEvent.newBuilder().setRoleChanged(changed).build().toByteArray());
    }
}
