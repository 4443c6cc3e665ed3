package dev.sts.audit.events;

import dev.sts.audit.domain.AuditEntry;
import dev.sts.audit.domain.AuditLog;
import dev.sts.audit.domain.AuditStoreUnavailableException;
import dev.sts.audit.domain.RecordRejectedException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * One poll at a time from Kafka into the audit log, each partition of the poll stored by its own
 * worker thread in its own transaction (ADR 028). The guarantees:
 * <ul>
 * <li>Offsets are committed only after every record of the poll is stored or dead-lettered; any
 * exception (an interrupt included) leaves the poll uncommitted, so it is redelivered. The commit
 * is asynchronous: one that fails or is lost also means redelivery, and nothing is stored twice.</li>
 * <li>A partition's records of a poll are stored in one transaction, by one worker, in Kafka order;
 * a partition is its own hash chain, so the chains of one poll are extended in parallel and no chain
 * ever has two writers in this process. When the database refuses a partition's batch as data, its
 * records are stored one by one, each in its own transaction: one bad record holds back no other,
 * and each chain links only records that are stored.</li>
 * <li>A record refused as data {@code dataErrorAttempts} times, or one that cannot be decoded,
 * goes to the dead-letter topic; unavailability (of the store or of the dead-letter topic) is
 * retried with backoff for as long as it lasts and never dead-letters anything.</li>
 * <li>Backpressure: one poll is in flight at a time, so memory is bounded by
 * {@code max.poll.records} and the fetch buffers. While a retry waits, every assigned partition is
 * paused and the consumer keeps polling (returning nothing), which keeps it in its group through a
 * long outage instead of being evicted after {@code max.poll.interval.ms}; the partitions resume
 * once the poll is stored. A record a pause-time poll returns anyway (a partition assigned by a
 * rebalance meanwhile) is sought back to, so it is fetched again, never skipped.</li>
 * </ul>
 * The consumer is not thread-safe: only the thread that calls {@link #pollOnce()} touches it. A
 * worker that must keep the group membership during a retry hands that to the consumer thread
 * (which waits for the poll's workers meanwhile) and waits until it is done.
 */
final class IngestLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(IngestLoop.class);

    /**
     * Tuning of the loop; {@code storeThreads} partitions of a poll are stored at once (1 stores
     * them one after the other).
     */
    record Settings(Duration pollTimeout, int dataErrorAttempts, Backoff backoff, int storeThreads) {
        Settings {
            storeThreads = Math.max(1, storeThreads);
        }

        Settings(Duration pollTimeout, int dataErrorAttempts, Backoff backoff) {
            this(pollTimeout, dataErrorAttempts, backoff, DEFAULT_STORE_THREADS);
        }
    }

    /** One partition of a poll stored at a time, as {@code sts.audit.consumer.store-threads} defaults to. */
    static final int DEFAULT_STORE_THREADS = 1;

    /** Thrown when the service stops while a poll is not yet stored; its offsets stay uncommitted. */
    static final class StoppedException extends RuntimeException {
        StoppedException() {
            super("stopped before the poll was stored");
        }
    }

    private record Pending(ConsumerRecord<String, byte[]> raw, AuditEntry entry) {
    }

    private static final AtomicInteger WORKERS = new AtomicInteger();

    private final Consumer<String, byte[]> consumer;
    private final AuditLog log;
    private final DeadLetters deadLetters;
    private final IngestionHealth health;
    private final InstantSource clock;
    private final Settings settings;
    private final BooleanSupplier running;
    private final ThreadPoolExecutor workers;
    /** Work the poll's workers ask of the consumer thread (keeping the membership during a retry). */
    private final BlockingQueue<FutureTask<Void>> onConsumerThread = new LinkedBlockingQueue<>();
    private Thread consumerThread;
    private boolean paused;

    IngestLoop(Consumer<String, byte[]> consumer, AuditLog log, DeadLetters deadLetters, IngestionHealth health,
            InstantSource clock, Settings settings, BooleanSupplier running) {
        this.consumer = consumer;
        this.log = log;
        this.deadLetters = deadLetters;
        this.health = health;
        this.clock = clock;
        this.settings = settings;
        this.running = running;
        this.workers = new ThreadPoolExecutor(settings.storeThreads(), settings.storeThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "audit-store-" + WORKERS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.workers.allowCoreThreadTimeOut(true);
    }

    /** Polls once, stores or dead-letters everything polled, then commits. */
    void pollOnce() throws InterruptedException {
        consumerThread = Thread.currentThread();
        ConsumerRecords<String, byte[]> records = consumer.poll(settings.pollTimeout());
        health.polled(clock.instant(), lag());
        if (records.isEmpty()) {
            return;
        }
        try {
            storeByPartition(records);
        } finally {
            if (paused) {
                consumer.resume(consumer.paused());
                paused = false;
            }
        }
        // Asynchronous (ADR 033): the broker's answer is not waited for, so the next poll is stored
        // meanwhile. A commit that fails, or is lost in a crash, means the poll is delivered again,
        // which stores nothing twice (event ids); a later commit supersedes it.
        consumer.commitAsync(nextOffsets(records), (offsets, e) -> {
            if (e != null) {
                LOG.warnf("committing offsets %s failed (%s); the next commit covers them, or their next consumer skips them", offsets, e.toString());
            }
        });
    }

    /**
     * Hands each partition's records to a worker and waits until every worker is done, doing
     * meanwhile what they ask of the consumer. The first failure is rethrown once every worker has
     * ended (the others are interrupted), so no worker of this poll outlives it.
     */
    private void storeByPartition(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        Set<TopicPartition> partitions = records.partitions();
        PollRun run = new PollRun(partitions.size(), () -> onConsumerThread.add(new FutureTask<>(() -> { }, null)));
        for (TopicPartition tp : partitions) {
            List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
            workers.execute(() -> run.work(() -> storePartition(rs)));
        }
        boolean interrupted = false;
        while (!run.isDone()) {
            try {
                FutureTask<Void> ask = onConsumerThread.poll(100, TimeUnit.MILLISECONDS);
                if (ask != null) {
                    ask.run();
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (interrupted || run.failure() != null) {
                run.abandon();
                for (FutureTask<Void> ask; (ask = onConsumerThread.poll()) != null;) {
                    ask.cancel(false);
                }
            }
        }
        if (interrupted) {
            throw new InterruptedException("interrupted while the poll was being stored");
        }
        Throwable t = run.failure();
        if (t instanceof InterruptedException e) {
            throw e;
        } else if (t instanceof RuntimeException e) {
            throw e;
        } else if (t instanceof Error e) {
            throw e;
        } else if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /** A worker's body. */
    @FunctionalInterface
    private interface Work {
        void run() throws InterruptedException;
    }

    /**
     * The workers of one poll: when they are all done, the first failure, and abandoning them
     * (interrupting those that run; those not started yet do nothing).
     */
    private static final class PollRun {
        private final CountDownLatch done;
        private final Runnable wake;
        private final Set<Thread> running = new HashSet<>();
        private boolean abandoned;
        private Throwable failure;

        /** {@code wake} is run when the last worker is done, so the waiting consumer thread looks at once. */
        PollRun(int tasks, Runnable wake) {
            this.done = new CountDownLatch(tasks);
            this.wake = wake;
        }

        void work(Work work) {
            try {
                synchronized (this) {
                    if (abandoned) {
                        return;
                    }
                    running.add(Thread.currentThread());
                }
                try {
                    work.run();
                } finally {
                    synchronized (this) {
                        running.remove(Thread.currentThread());
                    }
                }
            } catch (Throwable t) {
                synchronized (this) {
                    if (failure == null) {
                        failure = t;
                    }
                }
            } finally {
                done.countDown();
                if (done.getCount() == 0) {
                    wake.run();
                }
            }
        }

        boolean isDone() {
            return done.getCount() == 0;
        }

        synchronized Throwable failure() {
            return failure;
        }

        synchronized void abandon() {
            if (!abandoned) {
                abandoned = true;
                running.forEach(Thread::interrupt);
            }
        }
    }

    /** A worker: decodes one partition's records of the poll, stores them, dead-letters what it must. */
    private void storePartition(List<ConsumerRecord<String, byte[]>> records) throws InterruptedException {
        List<Pending> batch = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> r : records) {
            EventDecoder.Decoded d = EventDecoder.decode(r);
            if (d.entry() != null) {
                batch.add(new Pending(r, d.entry()));
            } else if (d.reason() != null) {
                deadLetter(r, null, d.reason());
            }
        }
        store(batch);
    }

    private void store(List<Pending> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        try {
            long t0 = System.nanoTime();
            int added = untilAvailable(() -> log.append(batch.stream().map(Pending::entry).toList()));
            health.stored(added, System.nanoTime() - t0);
            LOG.debugf("stored %d of %d audit records", added, batch.size());
            return;
        } catch (RecordRejectedException e) {
            LOG.warnf("the database refused a batch of %d records (%s); storing them one by one", batch.size(), e.getMessage());
        }
        for (Pending p : batch) {
            storeAlone(p);
        }
    }

    private void storeAlone(Pending p) throws InterruptedException {
        RecordRejectedException last = null;
        for (int attempt = 1; attempt <= Math.max(1, settings.dataErrorAttempts()); attempt++) {
            try {
                long t0 = System.nanoTime();
                int added = untilAvailable(() -> log.append(List.of(p.entry())));
                health.stored(added, System.nanoTime() - t0);
                return;
            } catch (RecordRejectedException e) {
                last = e;
                if (attempt < settings.dataErrorAttempts()) {
                    settings.backoff().pause(attempt);
                }
            }
        }
        deadLetter(p.raw(), p.entry().record().getEventId(), last.getMessage());
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String eventId, String reason) throws InterruptedException {
        LOG.errorf("dead-lettering the record at %s-%d@%d (event id %s): %s", r.topic(), r.partition(), r.offset(),
                eventId == null ? "unknown" : eventId, reason);
        untilAvailable(() -> {
            deadLetters.publish(r, eventId, reason);
            return null;
        });
        health.deadLettered(eventId != null);
    }

    /** Runs the action until it does not fail for unavailability; data errors pass through to the caller. */
    private <T> T untilAvailable(Supplier<T> action) throws InterruptedException {
        for (int attempt = 1;; attempt++) {
            if (!running.getAsBoolean()) {
                throw new StoppedException();
            }
            try {
                T result = action.get();
                health.storeOk();
                return result;
            } catch (AuditStoreUnavailableException | DeadLetters.DeadLetterUnavailableException e) {
                health.storeFailing(e.getMessage());
                Duration delay = settings.backoff().delay(attempt);
                LOG.warnf("audit ingestion is waiting (%s); retry %d in %d ms", e.getMessage(), attempt, delay.toMillis());
                settings.backoff().pause(attempt);
                onConsumerThread(this::keepMembership);
            }
        }
    }

    /** Runs {@code work} on the consumer thread, which waits for this poll's workers meanwhile, and waits for it. */
    private void onConsumerThread(Runnable work) throws InterruptedException {
        if (Thread.currentThread() == consumerThread) {
            work.run();
            return;
        }
        FutureTask<Void> ask = new FutureTask<>(work, null);
        onConsumerThread.add(ask);
        try {
            ask.get();
        } catch (CancellationException e) {
            throw new InterruptedException("the poll is being abandoned");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Polls with every partition paused: the group sees a live member, and nothing is fetched into
     * memory while the store cannot take it. Records returned anyway (a partition newly assigned by
     * a rebalance during this poll, not paused yet) are not kept: the position is set back to the
     * first of them, so they are fetched again after the pause.
     */
    private void keepMembership() {
        paused = true;
        consumer.pause(consumer.assignment());
        ConsumerRecords<String, byte[]> stray = consumer.poll(Duration.ZERO);
        for (TopicPartition tp : stray.partitions()) {
            consumer.seek(tp, stray.records(tp).get(0).offset());
        }
        consumer.pause(consumer.assignment());
        health.polled(clock.instant(), lag());
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /** Lag from the consumer's own fetch metadata: no call to the broker. */
    private Map<String, Long> lag() {
        Map<String, Long> lag = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                lag.put(tp.topic() + "-" + tp.partition(), l.getAsLong());
            }
        }
        return lag;
    }

    /** Ends the store workers (none runs between polls: {@link #pollOnce()} waits for its own). */
    @Override
    public void close() {
        workers.shutdownNow();
    }
}
