package dev.sts.audit.events;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ingestion as Micrometer meters (Prometheus names at {@code /q/metrics}), read from
 * {@link IngestionHealth}'s counters so the consumer loop stays free of a metrics API:
 * <ul>
 * <li>{@code sts_audit_dead_letters_total{reason="undecodable"|"refused"}}: records written to the
 * dead-letter topic; each is an event the log does not hold, for an operator to look at;</li>
 * <li>{@code sts_audit_records_stored_total}, {@code sts_audit_batches_total},
 * {@code sts_audit_batch_seconds_total}: what the log took and how long its transactions took;</li>
 * <li>{@code sts_audit_consumer_lag}: records published and not yet stored (all partitions).</li>
 * </ul>
 * The reason tag has two values only: a dead letter's full reason is in its headers, not in a label.
 */
@Startup
@ApplicationScoped
public class IngestMetrics {
    static final String UNDECODABLE = "undecodable";
    static final String REFUSED = "refused";

    public IngestMetrics(MeterRegistry registry, IngestionHealth health) {
        for (String reason : new String[] {UNDECODABLE, REFUSED}) {
            FunctionCounter.builder("sts.audit.dead.letters", health, h -> h.deadLetters(reason))
                    .description("Records written to the dead-letter topic instead of the audit log")
                    .tag("reason", reason).register(registry);
        }
        FunctionCounter.builder("sts.audit.records.stored", health, IngestionHealth::recordsStored)
                .description("Audit records appended to the log").register(registry);
        FunctionCounter.builder("sts.audit.batches", health, IngestionHealth::batchesStored)
                .description("Transactions that appended a poll to the log").register(registry);
        FunctionCounter.builder("sts.audit.batch.seconds", health, IngestionHealth::batchSeconds)
                .description("Time spent in those transactions").register(registry);
        Gauge.builder("sts.audit.consumer.lag", health, h -> h.snapshot().totalLag())
                .description("Records on the event topics not yet stored (from the consumer's fetch metadata)")
                .register(registry);
    }
}
