package dev.sts.audit.domain;

import dev.sts.proto.v1.AuditRecord;

/** One consumed event on its way into the log, with the Kafka position it came from. */
public record AuditEntry(String topic, int partition, long offset, AuditRecord record) {
    /** One hash chain per partition: a single writer per partition keeps the chain's order verifiable. */
    public String chainId() {
        return topic + "/" + partition;
    }
}
