package dev.sts.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sts.proto.v1.AuditRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Waiting for the audit log, which is fed asynchronously through Kafka. */
final class AuditTrail {
    private AuditTrail() {
    }

    /** Waits until the query finds a record, then requires that it found exactly one. */
    static AuditRecord awaitOne(Supplier<List<AuditRecord>> query) {
        AtomicReference<List<AuditRecord>> found = new AtomicReference<>(List.of());
        await("an audit record").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    found.set(query.get());
                    return !found.get().isEmpty();
                });
        assertThat(found.get()).hasSize(1);
        return found.get().get(0);
    }
}
