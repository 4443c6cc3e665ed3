package dev.sts.role.events;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.events.EventLogAvailability;
import dev.sts.kit.grpc.RequestContext;
import dev.sts.role.domain.Call;
import dev.sts.role.domain.OutboxEvent;
import dev.sts.role.domain.PolicyDetails;
import dev.sts.role.domain.RoleChangeEvents;
import dev.sts.role.domain.RoleDetails;
import dev.sts.role.persistence.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Role change events as {@code sts.v1} outbox rows, gated on the event log's availability. */
@ApplicationScoped
public class OutboxRoleChangeEvents implements RoleChangeEvents {
    private final EventLogAvailability eventLog;
    private final Outbox outbox;
    private final InstantSource clock;

    public OutboxRoleChangeEvents(EventLogAvailability eventLog, Outbox outbox, InstantSource clock) {
        this.eventLog = eventLog;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public OutboxEvent roleChanged(String eventName, String resourceArn, String roleId, long revision,
            CallerIdentity caller, RequestContext request, Instant at, Map<String, ?> parameters) {
        return RoleEvents.roleChanged(eventName, resourceArn, roleId, revision, caller, request, at, parameters);
    }

    @Override
    public OutboxEvent roleState(RoleDetails role, Instant at) {
        return RoleEvents.roleState(role, at);
    }

    @Override
    public OutboxEvent policyState(PolicyDetails policy, Instant at) {
        return RoleEvents.policyState(policy, at);
    }

    @Override
    public OutboxEvent deleted(String arn) {
        return RoleEvents.tombstone(arn);
    }

    @Override
    public Uni<Void> recordDenial(String eventName, String resourceArn, Call call, Map<String, ?> parameters,
            String errorCode, String errorMessage) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return outbox.append(RoleEvents.denied(eventName, resourceArn, call.caller(), call.request(), now, parameters,
                errorCode, errorMessage), now);
    }

    @Override
    public Uni<Void> requireRecordable() {
        return eventLog.requireAvailable();
    }
}
