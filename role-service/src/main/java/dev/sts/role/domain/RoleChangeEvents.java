package dev.sts.role.domain;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.grpc.RequestContext;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Map;

/**
 * The domain's port to the event log: the {@code RoleChanged} event a change is stored with (the
 * outbox), and whether changes can be recorded now. Adapters in {@code events} implement it.
 */
public interface RoleChangeEvents {
    /** The event describing a change, to be written in the change's own transaction. */
    OutboxEvent roleChanged(String eventName, String resourceArn, String roleId, long revision, CallerIdentity caller,
            RequestContext request, Instant at, Map<String, String> parameters);

    /**
     * Completes when the event log is believed available; fails with {@code ServiceUnavailable}
     * within a bounded time otherwise. A write consults it before committing, so that while the
     * broker is down writes are refused rather than accepted into a growing outbox.
     */
    Uni<Void> requireRecordable();
}
