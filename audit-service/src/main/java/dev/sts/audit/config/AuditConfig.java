package dev.sts.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** audit-service settings ({@code sts.audit.*}; environment {@code STS_AUDIT_*}). */
@ConfigMapping(prefix = "sts.audit")
public interface AuditConfig {
    /** Kafka consumer group shared by all audit-service replicas; partitions are split among them. */
    @WithDefault("sts-audit")
    String consumerGroup();

    /** How events are taken from Kafka into the log. */
    Consumer consumer();

    interface Consumer {
        /**
         * Most records per poll: one database transaction stores a whole poll when no record is bad.
         * A poll returns what is fetched already, so under light load batches stay small (low
         * latency) and under heavy load they grow to this (fewer transactions): ADR 022.
         */
        @WithDefault("2000")
        int maxPollRecords();

        /**
         * The broker answers a fetch once it has this many bytes for the consumer, or after
         * {@link #fetchMaxWait()}. Kafka's default (1 byte) answers every fetch with whatever single
         * record arrived: at a steady 1,000 events/s that is a fetch, a poll and a transaction per
         * event or two, and each wakes the broker and this service on cores token-service needs for
         * its p99. Waiting for a batch costs at most {@link #fetchMaxWait()} of queryability
         * (ADR 026).
         */
        @WithDefault("65536")
        int fetchMinBytes();

        /** Longest the broker holds a fetch back to gather {@link #fetchMinBytes()}; added to the ack-to-queryable latency at low rates. */
        @WithDefault("PT0.1S")
        Duration fetchMaxWait();

        /**
         * How many partitions of one poll are stored at once, each by its own thread, connection and
         * transaction (a partition is one hash chain, so chains never share a writer). One thread
         * stores them one after another (ADR 022's loop), which bounds ingest by one PostgreSQL
         * backend's insert rate; on a machine whose cores are busy, three stores at once measured
         * slower and cost PostgreSQL more CPU per event (ADR 028), hence the default.
         */
        @WithDefault("1")
        int storeThreads();

        /** How long one poll waits for records; also how often an idle consumer proves it is alive. */
        @WithDefault("PT0.5S")
        Duration pollTimeout();

        /**
         * Attempts to store one record that the database refuses as data (SQLState class 22 / 23)
         * before it goes to the dead-letter topic. Unavailability is retried without limit.
         */
        @WithDefault("3")
        int dataErrorAttempts();

        /** First pause after a failure; doubled per further failure up to {@link #maxBackoff()}. */
        @WithDefault("PT0.2S")
        Duration initialBackoff();

        /** Longest pause between retries while the store or the broker is unavailable. */
        @WithDefault("PT10S")
        Duration maxBackoff();

        /**
         * How long the group waits for a member that stopped heartbeating (a replica killed or cut
         * off) before its partitions go to another: ingestion of those partitions stops for up to
         * this long. Kafka's default is 45 s; the broker accepts 6 s to 300 s.
         */
        @WithDefault("PT10S")
        Duration sessionTimeout();

        /** Readiness is DOWN when the consumer has not polled for longer than this. */
        @WithDefault("PT30S")
        Duration maxPollSilence();
    }
}
