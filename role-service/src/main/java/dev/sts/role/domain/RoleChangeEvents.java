package dev.sts.role.domain;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.grpc.RequestContext;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Map;

/**
 * The domain's port to the event log. Changes are stored with their events in one transaction
 * (the outbox): the {@code RoleChanged} audit event, and the new whole state of what changed for
 * the permission view (a tombstone when it was deleted). Adapters in {@code events} implement it.
 */
public interface RoleChangeEvents {
    /**
     * The audit event of a successful change, to be written in the change's own transaction.
     *
     * @param parameters request parameters: strings, numbers, booleans, lists and maps of them;
     *     never a secret (none exists in role-service requests)
     */
    OutboxEvent roleChanged(String eventName, String resourceArn, String roleId, long revision, CallerIdentity caller,
            RequestContext request, Instant at, Map<String, ?> parameters);

    /** The role's whole state after a change, keyed by its ARN, for the permission view. */
    OutboxEvent roleState(RoleDetails role, Instant at);

    /** A customer-managed policy's state after its default version changed, keyed by its ARN. */
    OutboxEvent policyState(PolicyDetails policy, Instant at);

    /** The tombstone of a deleted role or policy on the permission-state topic. */
    OutboxEvent deleted(String arn);

    /**
     * Records a refused call: a {@code RoleChanged} with the error code and the message the caller
     * got, written to the outbox in a transaction of its own (the refused call changes nothing).
     */
    Uni<Void> recordDenial(String eventName, String resourceArn, Call call, Map<String, ?> parameters,
            String errorCode, String errorMessage);

    /**
     * Completes when the event log is believed available; fails with {@code ServiceUnavailable}
     * within a bounded time otherwise. A write consults it before committing, so that while the
     * broker is down writes are refused rather than accepted into a growing outbox.
     */
    Uni<Void> requireRecordable();
}
