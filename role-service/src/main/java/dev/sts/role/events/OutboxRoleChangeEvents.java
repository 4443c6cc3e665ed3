package dev.sts.role.events;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.events.EventLogAvailability;
import dev.sts.kit.grpc.RequestContext;
import dev.sts.role.domain.OutboxEvent;
import dev.sts.role.domain.RoleChangeEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/** Role change events as {@code sts.v1} outbox rows, gated on the event log's availability. */
@ApplicationScoped
public class OutboxRoleChangeEvents implements RoleChangeEvents {
    private final EventLogAvailability eventLog;

    public OutboxRoleChangeEvents(EventLogAvailability eventLog) {
        this.eventLog = eventLog;
    }

    @Override
    public OutboxEvent roleChanged(String eventName, String resourceArn, String roleId, long revision,
            CallerIdentity caller, RequestContext request, Instant at, Map<String, String> parameters) {
        return RoleEvents.roleChanged(eventName, resourceArn, roleId, revision, caller, request, at, parameters);
    }

    @Override
    public Uni<Void> requireRecordable() {
        return eventLog.requireAvailable();
    }
}
