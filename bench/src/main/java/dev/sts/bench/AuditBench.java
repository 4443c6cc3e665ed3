package dev.sts.bench;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.sts.kit.events.Topics;
import dev.sts.kit.id.Ids;
import dev.sts.kit.time.Timestamps;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.proto.v1.AssumeRoleDenied;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.ChainVerification;
import dev.sts.proto.v1.EventHeader;
import dev.sts.proto.v1.LookupAttributes;
import dev.sts.proto.v1.LookupEventsRequest;
import dev.sts.proto.v1.LookupEventsResponse;
import dev.sts.proto.v1.SessionIssued;
import dev.sts.proto.v1.StatementRef;
import dev.sts.proto.v1.StsEvent;
import dev.sts.proto.v1.UserIdentity;
import dev.sts.proto.v1.VerifyChainRequest;
import dev.sts.proto.v1.VerifyChainResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The audit trail at volume, against a running {@code ./sts up} cluster (bench/audit.sh):
 * <ol>
 * <li><b>ingest</b>: {@code --events} session events produced to the session topic as fast as the
 * producer goes ({@code acks=all}, as token-service publishes); audit-service's stored-records
 * counter ({@code /q/metrics}) sampled every second gives the sustained rate, hash chain and
 * indexes included;</li>
 * <li><b>latency</b>: events at a fixed {@code --rate} for {@code --latency-seconds}, with a probe
 * event every 20 ms; for each probe, the time from the broker's acknowledgement to the first
 * LookupEvents answer that contains it (a reader tails each partition's probes every 50 ms, so a
 * latency is overstated by up to that);</li>
 * <li><b>lookup</b>: LookupEvents with filters over everything stored (1,000,000 records after a
 * default run): milliseconds per page, first page and following pages;</li>
 * <li><b>verify</b>: VerifyChain over the whole log: seconds and records per second.</li>
 * </ol>
 * The generated events name 100 roles and 1,000 principals; 5% are denials.
 */
@Command(name = "audit", description = "Audit ingestion, latency, LookupEvents and VerifyChain at volume.")
final class AuditBench implements Callable<Integer> {
    static final String ACCOUNT = "000000000000";

    @Option(names = "--bootstrap", defaultValue = "127.0.0.1:19092")
    String bootstrap;
    @Option(names = "--audit-port", defaultValue = "8083")
    int auditPort;
    @Option(names = "--token-file", required = true, description = "an administrator's bearer token")
    Path tokenFile;
    @Option(names = "--events", defaultValue = "1000000", description = "events of the ingest phase")
    int events;
    @Option(names = "--rate", defaultValue = "10000", description = "events/s of the latency phase")
    int rate;
    @Option(names = "--latency-seconds", defaultValue = "30")
    int latencySeconds;
    @Option(names = "--warmup-seconds", defaultValue = "10", description = "unmeasured seconds at a fifth of --rate before the latency phase")
    int warmupSeconds;
    @Option(names = "--pages", defaultValue = "20", description = "pages read per LookupEvents filter")
    int pages;
    @Option(names = "--skip", split = ",", description = "phases to skip: ingest, latency, lookup, verify")
    List<String> skip = new ArrayList<>();
    @Option(names = "--pid", description = "name=pid of a process whose CPU time (with its descendants) the ingest "
            + "phase reports, e.g. audit-service=123, postgres=456, kafka=789")
    Map<String, Long> pids = new java.util.LinkedHashMap<>();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private KafkaProducer<String, byte[]> producer;
    private ManagedChannel channel;
    private AuditServiceGrpc.AuditServiceBlockingStub audit;
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L * 1024 * 1024));
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", auditPort).usePlaintext().build();
        audit = AuditServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(new BearerCredentials(Files.readString(tokenFile).trim()));
        try {
            // The first call opens the connection; on a loaded machine that alone can take seconds.
            audit.withDeadlineAfter(2, TimeUnit.MINUTES).lookupEvents(LookupEventsRequest.newBuilder().setPageSize(1).build());
            System.out.printf("run %s on %d cores; load average at start: %s%n", run,
                    Runtime.getRuntime().availableProcessors(), loadAverage());
            if (!skip.contains("ingest")) {
                ingest();
            }
            if (!skip.contains("latency")) {
                latency();
            }
            if (!skip.contains("lookup")) {
                lookup();
            }
            if (!skip.contains("verify")) {
                verify();
            }
            System.out.printf("%nload average at end: %s%n", loadAverage());
            return 0;
        } finally {
            producer.close(Duration.ofSeconds(10));
            channel.shutdownNow();
        }
    }

    // --- 1. ingest --------------------------------------------------------------------------------

    void ingest() throws Exception {
        System.out.printf("%n== ingest: %,d events produced as fast as the producer goes ==%n", events);
        long before = storedCounter();
        Map<String, Double> cpu0 = cpuSeconds();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long t0 = System.nanoTime();
        Thread produce = new Thread(() -> {
            for (int i = 0; i < events && failure.get() == null; i++) {
                producer.send(new ProducerRecord<>(Topics.SESSION_EVENTS, "k" + i, event(i, null).toByteArray()), (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }, "bench-producer");
        produce.start();
        List<long[]> samples = new ArrayList<>(); // {nanos since t0, stored}
        long producedAt = -1;
        long lastChange = System.nanoTime();
        long last = 0;
        while (true) {
            long stored = storedCounter() - before;
            long now = System.nanoTime();
            samples.add(new long[] {now - t0, stored});
            if (!produce.isAlive() && producedAt < 0) {
                producedAt = now - t0;
                System.out.printf("  produced all %,d in %.1f s (%,.0f events/s acknowledged by the broker)%n", events,
                        producedAt / 1e9, events / (producedAt / 1e9));
            }
            if (stored != last) {
                last = stored;
                lastChange = now;
            }
            if (samples.size() % 5 == 0) {
                System.out.printf("  t=%5.1f s stored %,10d  load %s%n", (now - t0) / 1e9, stored, loadAverage());
            }
            if (stored >= events) {
                break;
            }
            if (now - lastChange > TimeUnit.SECONDS.toNanos(60)) {
                throw new IllegalStateException("ingestion stalled at " + stored + " of " + events + " for 60 s");
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            Thread.sleep(1000); // the sampling period of a benchmark
        }
        long total = samples.get(samples.size() - 1)[0];
        long[] from = firstAtLeast(samples, events / 10);
        long[] to = firstAtLeast(samples, events * 9L / 10);
        double sustained = (to[1] - from[1]) / ((to[0] - from[0]) / 1e9);
        System.out.printf("  RESULT ingest: %,d events stored in %.1f s after the first send: %,.0f events/s overall;"
                + " sustained (10%%..90%% of the run) %,.0f events/s (target >= 10,000)%n", events, total / 1e9,
                events / (total / 1e9), sustained);
        Map<String, Double> cpu1 = cpuSeconds();
        double totalCpu = 0;
        StringBuilder parts = new StringBuilder();
        for (String name : cpu1.keySet()) {
            double us = (cpu1.get(name) - cpu0.getOrDefault(name, 0.0)) / events * 1e6;
            totalCpu += us;
            parts.append(String.format(Locale.ROOT, "%s %.0f us, ", name, us));
        }
        System.out.printf("  RESULT ingest CPU per event: %stotal %.0f us; on %d otherwise idle cores that bounds the rate at"
                + " about %,.0f events/s (CPU time does not grow with the machine's load as wall time does)%n", parts, totalCpu,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors() / (totalCpu / 1e6));
        System.out.printf("  load average: %s%n", loadAverage());
    }

    /** CPU seconds so far of each --pid process and its descendants, and of this load generator. */
    Map<String, Double> cpuSeconds() {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        pids.forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(h -> out.put(name,
                java.util.stream.Stream.concat(java.util.stream.Stream.of(h), h.descendants())
                        .mapToDouble(AuditBench::cpu).sum())));
        out.put("load generator", cpu(ProcessHandle.current()));
        return out;
    }

    static double cpu(ProcessHandle h) {
        return h.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    static long[] firstAtLeast(List<long[]> samples, long stored) {
        return samples.stream().filter(s -> s[1] >= stored).findFirst().orElse(samples.get(samples.size() - 1));
    }

    // --- 2. latency ------------------------------------------------------------------------------

    /** How often the latency phase's reader asks for new probes (per partition). */
    static final int READER_PERIOD_MS = 50;

    void latency() throws Exception {
        System.out.printf("%n== latency: %,d events/s for %d s; a probe every 20 ms, broker ack -> found by LookupEvents"
                + " (the reader asks every %d ms) ==%n", rate, latencySeconds, READER_PERIOD_MS);
        if (warmupSeconds > 0) {
            // This JVM's first seconds (JIT compilation of the producer and the reader) take most of a
            // core on a 2-core machine: measured from a cold start, the run mostly measured the
            // backlog they left, which the store then carries at a rate it only just keeps up with.
            int warmRate = Math.max(1, rate / 5);
            System.out.printf("  warm-up: %,d events/s for %d s (not measured), then until audit-service has no lag%n",
                    warmRate, warmupSeconds);
            probeRun(warmRate, warmupSeconds, false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumerLag() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        }
        probeRun(rate, latencySeconds, true);
    }

    /** Events at {@code perSecond} for {@code seconds} with probes; prints the probes' latencies if {@code report}. */
    void probeRun(int perSecond, int seconds, boolean report) throws Exception {
        // Probe k goes to partition k % n under a principal of its own per partition, so that the
        // reader can tail each partition: a partition is stored in order, so the probes stored
        // since the reader's last call are exactly those from the partition's oldest unseen on.
        int partitions = producer.partitionsFor(Topics.SESSION_EVENTS).size();
        String probeArn = "arn:aws:iam::" + ACCOUNT + ":user/bench-probe-" + run + "-p";
        Map<String, Long> ackedAt = new ConcurrentHashMap<>();
        Map<String, Long> seenAt = new ConcurrentHashMap<>();
        List<Map<String, Instant>> sentAt = new ArrayList<>(); // per partition: probe id -> event time
        for (int p = 0; p < partitions; p++) {
            sentAt.add(new ConcurrentHashMap<>());
        }
        int lookupFailures = 0;
        AtomicLong sent = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
        Thread produce = new Thread(() -> {
            long next = t0;
            long tick = TimeUnit.MILLISECONDS.toNanos(20);
            int perTick = Math.max(1, perSecond / 50);
            int i = events; // event numbers (principal, role, session name) go on after the ingest phase's
            int probes = 0;
            while (System.nanoTime() < end && failure.get() == null) {
                for (int k = 0; k < perTick; k++, i++) {
                    producer.send(new ProducerRecord<>(Topics.SESSION_EVENTS, "l" + i, event(i, null).toByteArray()), (m, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
                sent.addAndGet(perTick);
                String id = Ids.eventId();
                int partition = probes++ % partitions;
                StsEvent probe = event(i, probeArn + partition, id);
                sentAt.get(partition).put(id, Timestamps.toInstant(probe.getSessionIssued().getHeader().getEventTime()));
                producer.send(new ProducerRecord<>(Topics.SESSION_EVENTS, partition, id, probe.toByteArray()), (m, e) -> {
                    if (e == null) {
                        ackedAt.put(id, System.nanoTime());
                    } else {
                        failure.compareAndSet(null, e);
                    }
                });
                next += tick;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait); // pacing the load at a fixed rate
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            producer.flush();
        }, "bench-rate-producer");
        produce.start();
        // The reader tails the probes as a client following the trail would: per partition, only the
        // probes from the oldest one not yet seen on (start_time), paging on while there are more;
        // each probe is read about once. Asking for the newest 200 probes every 10 ms instead made
        // the reader itself a large share of the machine's CPU (LookupEvents of 20,000 records/s).
        long deadline = end + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (int p = 0; p < partitions; p++) {
                Instant oldestUnseen = null;
                for (Map.Entry<String, Instant> probe : sentAt.get(p).entrySet()) {
                    if (!seenAt.containsKey(probe.getKey())
                            && (oldestUnseen == null || probe.getValue().isBefore(oldestUnseen))) {
                        oldestUnseen = probe.getValue();
                    }
                }
                if (oldestUnseen == null) {
                    continue;
                }
                LookupAttributes byProbe = LookupAttributes.newBuilder().setPrincipalArn(probeArn + p).build();
                try {
                    String page = "";
                    do {
                        LookupEventsResponse answer = audit.withDeadlineAfter(10, TimeUnit.SECONDS).lookupEvents(
                                LookupEventsRequest.newBuilder().setPageSize(200).setLookupAttributes(byProbe)
                                        // a millisecond earlier: the log keeps microseconds, the probe's time may have more
                                        .setStartTime(Timestamps.of(oldestUnseen.minusMillis(1))).setPageToken(page).build());
                        long now = System.nanoTime();
                        for (AuditRecord r : answer.getEventsList()) {
                            seenAt.putIfAbsent(r.getEventId(), now);
                        }
                        page = answer.getNextPageToken();
                    } while (!page.isEmpty());
                } catch (io.grpc.StatusRuntimeException e) {
                    lookupFailures++;
                }
            }
            if (!produce.isAlive() && seenAt.keySet().containsAll(ackedAt.keySet())) {
                break;
            }
            Thread.sleep(READER_PERIOD_MS); // the reader's polling period: a latency may be overstated by up to this
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        double took = (System.nanoTime() - t0) / 1e9;
        List<Double> ms = new ArrayList<>();
        int missing = 0;
        for (Map.Entry<String, Long> a : ackedAt.entrySet()) {
            Long seen = seenAt.get(a.getKey());
            if (seen == null) {
                missing++;
            } else {
                ms.add(Math.max(0, seen - a.getValue()) / 1e6);
            }
        }
        Collections.sort(ms);
        if (!report) {
            return;
        }
        // Over the run, in windows of 5 s by acknowledgement: a stall shows as one bad window, a rate
        // the store cannot keep up with as latencies that grow window after window.
        Map<Long, List<Double>> byWindow = new TreeMap<>();
        for (Map.Entry<String, Long> a : ackedAt.entrySet()) {
            Long seen = seenAt.get(a.getKey());
            if (seen != null) {
                byWindow.computeIfAbsent((a.getValue() - t0) / TimeUnit.SECONDS.toNanos(5), w -> new ArrayList<>())
                        .add(Math.max(0, seen - a.getValue()) / 1e6);
            }
        }
        StringBuilder windows = new StringBuilder();
        byWindow.forEach((w, l) -> {
            Collections.sort(l);
            windows.append(String.format(" %d-%ds: %.0f/%.0f", w * 5, w * 5 + 5, pct(l, 50), l.get(l.size() - 1)));
        });
        System.out.println("  by 5 s window of acknowledgement, p50/max ms:" + windows);
        System.out.printf("  sent %,d events + %,d probes (%,.0f events/s offered)%n", sent.get(), ackedAt.size(),
                sent.get() / (double) seconds);
        System.out.printf("  RESULT latency broker ack -> queryable: p50 %.0f ms, p99 %.0f ms, max %.0f ms over %d probes%s"
                + " (target p99 <= 1000 ms)%n", pct(ms, 50), pct(ms, 99), ms.isEmpty() ? 0 : ms.get(ms.size() - 1), ms.size(),
                missing == 0 ? "" : "; " + missing + " NOT FOUND within 60 s");
        if (lookupFailures > 0) {
            System.out.printf("  (%d LookupEvents calls of the reader failed, e.g. deadline exceeded; probes were found by later calls)%n",
                    lookupFailures);
        }
        System.out.printf("  load average: %s (phase took %.0f s)%n", loadAverage(), took);
    }

    static double pct(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    // --- 3. lookup -------------------------------------------------------------------------------

    void lookup() {
        System.out.printf("%n== LookupEvents: %d pages of 50 per filter, following next_page_token ==%n", pages);
        String role = roleArn(7);
        String principal = principalArn(123);
        Map<String, LookupAttributes> filters = new java.util.LinkedHashMap<>();
        filters.put("none (time range only)", LookupAttributes.getDefaultInstance());
        filters.put("role_arn (1 in 100)", LookupAttributes.newBuilder().setRoleArn(role).build());
        filters.put("principal_arn (1 in 1,000)", LookupAttributes.newBuilder().setPrincipalArn(principal).build());
        filters.put("event_name + outcome=Failure (5%)",
                LookupAttributes.newBuilder().setEventName("AssumeRole").setOutcome("Failure").build());
        filters.put("access_key_id (one record)", LookupAttributes.newBuilder().setAccessKeyId(someAccessKeyId()).build());
        for (Map.Entry<String, LookupAttributes> f : filters.entrySet()) {
            List<Double> ms = new ArrayList<>();
            String token = "";
            int records = 0;
            for (int i = 0; i < pages; i++) {
                long t = System.nanoTime();
                LookupEventsResponse r = audit.withDeadlineAfter(60, TimeUnit.SECONDS).lookupEvents(LookupEventsRequest
                        .newBuilder().setLookupAttributes(f.getValue()).setPageSize(50).setPageToken(token).build());
                ms.add((System.nanoTime() - t) / 1e6);
                records += r.getEventsCount();
                token = r.getNextPageToken();
                if (token.isEmpty()) {
                    break;
                }
            }
            List<Double> sorted = new ArrayList<>(ms);
            Collections.sort(sorted);
            System.out.printf("  RESULT lookup %-36s first page %6.1f ms, median page %6.1f ms, max %6.1f ms (%d pages, %d records)"
                    + " (target <= 50 ms)%n", f.getKey(), ms.get(0), pct(sorted, 50), sorted.get(sorted.size() - 1), ms.size(),
                    records);
        }
        System.out.printf("  load average: %s%n", loadAverage());
    }

    // --- 4. verify -------------------------------------------------------------------------------

    void verify() {
        System.out.printf("%n== VerifyChain over the whole log ==%n");
        long t = System.nanoTime();
        VerifyChainResponse r = audit.withDeadlineAfter(30, TimeUnit.MINUTES).verifyChain(VerifyChainRequest.getDefaultInstance());
        double s = (System.nanoTime() - t) / 1e9;
        long records = r.getChainsList().stream().mapToLong(ChainVerification::getRecordsChecked).sum();
        long broken = r.getChainsList().stream().filter(c -> !c.getIntact()).count();
        System.out.printf("  RESULT verify: %,d records in %d chains in %.1f s (%,.0f records/s); %s%n", records,
                r.getChainsCount(), s, records / s, broken == 0 ? "all intact" : broken + " chains NOT intact");
        System.out.printf("  load average: %s%n", loadAverage());
    }

    // --- events ----------------------------------------------------------------------------------

    static String roleArn(int i) {
        return "arn:aws:iam::" + ACCOUNT + ":role/BenchRole" + (i % 100);
    }

    static String principalArn(int i) {
        return "arn:aws:iam::" + ACCOUNT + ":user/bench-user-" + (i % 1000);
    }

    /** The access key id of one event of this run, for the lookup phase to ask for. */
    private volatile String someAccessKeyId;

    /** Event i's access key id, as token-service makes them (time-ordered, docs/adr/029). */
    String accessKeyId(int i) {
        String id = Ids.temporaryAccessKeyId();
        if (i == 4242) {
            someAccessKeyId = id;
        }
        return id;
    }

    /** An access key id that is stored: event 4242's of this run, or the newest record's. */
    String someAccessKeyId() {
        if (someAccessKeyId == null) {
            someAccessKeyId = audit.lookupEvents(LookupEventsRequest.newBuilder().setPageSize(1).build())
                    .getEventsList().stream().map(AuditRecord::getAccessKeyId).findFirst().orElse("ASIANOTHINGSTORED");
        }
        return someAccessKeyId;
    }

    StsEvent event(int i, String principal) {
        return event(i, principal, Ids.eventId());
    }

    /** Event i of the run: SessionIssued, or (1 in 20) AssumeRoleDenied; {@code principal} overrides the actor. */
    StsEvent event(int i, String principal, String eventId) {
        Instant now = Instant.now();
        Timestamp ts = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
        EventHeader header = EventHeader.newBuilder().setEventId(eventId).setEventTime(ts)
                .setActor(UserIdentity.newBuilder().setType("IAMUser").setArn(principal != null ? principal : principalArn(i)))
                .setRequestId(UUID.randomUUID().toString()).setAccountId(ACCOUNT).setSourceIpAddress("10.0.0.1")
                .setUserAgent("sts-bench").build();
        // Shaped as token-service publishes them (SessionEvents): CloudTrail's requestParameters,
        // the deciding statements, and for a refusal its error code and message, so that every
        // column and index a real record fills is filled here too.
        String role = roleArn(i);
        String sessionName = "s" + i;
        Struct parameters = Struct.newBuilder()
                .putFields("roleArn", Value.newBuilder().setStringValue(role).build())
                .putFields("roleSessionName", Value.newBuilder().setStringValue(sessionName).build())
                .putFields("durationSeconds", Value.newBuilder().setNumberValue(3600).build()).build();
        if (i % 20 == 19) {
            return StsEvent.newBuilder().setAssumeRoleDenied(AssumeRoleDenied.newBuilder().setHeader(header)
                    .setEventName("AssumeRole").setRoleArn(role).setRoleSessionName(sessionName)
                    .setErrorCode("AccessDenied").setErrorMessage("User: " + header.getActor().getArn()
                            + " is not authorized to perform: sts:AssumeRole on resource: " + role)
                    .setReason("no statement of the trust policy allows the caller").setRequestParameters(parameters)).build();
        }
        return StsEvent.newBuilder().setSessionIssued(SessionIssued.newBuilder().setHeader(header)
                .setEventName("AssumeRole").setRoleArn(role).setRoleId("AROABENCH" + (i % 100))
                .setAssumedRoleArn("arn:aws:sts::" + ACCOUNT + ":assumed-role/BenchRole" + (i % 100) + "/" + sessionName)
                .setRoleSessionName(sessionName).setSessionId(Ids.sessionId()).setAccessKeyId(accessKeyId(i))
                .setIssuedAt(ts).setExpiration(Timestamp.newBuilder().setSeconds(now.getEpochSecond() + 3600))
                .setSigningKeyId("sts-bench-key").setRequestParameters(parameters)
                .addDecidingStatements(StatementRef.newBuilder().setSourcePolicyId("trust-policy")
                        .setSourcePolicyType("TrustPolicy").setStatementId("#0").setEffect("Allow"))).build();
    }

    // --- measurements ----------------------------------------------------------------------------

    private static final Pattern STORED = Pattern.compile("(?m)^sts_audit_records_stored_total(?:\\{[^}]*})? ([0-9.eE+]+)$");
    private static final Pattern LAG = Pattern.compile("(?m)^sts_audit_consumer_lag(?:\\{[^}]*})? ([0-9.eE+]+)$");

    long storedCounter() throws Exception {
        return (long) metric(STORED).orElseThrow(() -> new IllegalStateException(
                "audit-service has no sts_audit_records_stored_total at /q/metrics: is it a build with ADR 022?"))
                .doubleValue();
    }

    /** audit-service's consumer lag (records), as its metric reports it after each poll; 0 when it reports none. */
    long consumerLag() throws Exception {
        return metric(LAG).orElse(0.0).longValue();
    }

    /** The value of the first line of audit-service's {@code /q/metrics} that {@code metric} matches. */
    Optional<Double> metric(Pattern metric) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + auditPort + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = metric.matcher(r.body());
        return r.statusCode() == 200 && m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "n/a";
        }
    }
}
