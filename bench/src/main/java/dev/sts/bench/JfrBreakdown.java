package dev.sts.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Where a service's time went during a recorded run, from a JFR recording ({@code settings=profile}):
 * garbage-collection pauses (count, total, longest, and how many exceeded 10 ms), safepoint
 * pauses, CPU samples by thread group (gRPC event loops, Quarkus executor threads, the Kafka
 * producer, ...) and by area of code (signing, Kafka, gRPC/Netty, JSON, logging, policy
 * evaluation), and the busiest top frames. Run it with the Java that wrote the recording.
 */
@Command(name = "jfr-breakdown", description = "Summarize GC pauses and CPU samples of a JFR recording.")
final class JfrBreakdown implements Callable<Integer> {
    @Parameters(index = "0", description = "the .jfr file")
    Path file;
    @Option(names = "--top", defaultValue = "12")
    int top;

    /** Areas of code by the first matching frame, in this order (innermost frame first). */
    private static final List<String[]> AREAS = List.of(
            new String[] {"signing (EdDSA / ECDSA)", "com.google.crypto.tink.", "sun.security.ec.", "sun.security.util.math.",
                    "com.nimbusds.jose.crypto."},
            new String[] {"hashing / random", "sun.security.provider.", "java.security.SecureRandom"},
            new String[] {"policy evaluation", "dev.sts.policy."},
            new String[] {"Kafka client", "org.apache.kafka."},
            new String[] {"JSON (Jackson / Nimbus)", "com.fasterxml.jackson.", "com.nimbusds.jose.shaded.", "com.nimbusds.jwt."},
            new String[] {"protobuf", "com.google.protobuf."},
            new String[] {"logging", "org.jboss.logmanager.", "org.jboss.logging."},
            new String[] {"gRPC / Netty / Vert.x", "io.grpc.", "io.netty.", "io.vertx.", "io.quarkus.grpc."},
            new String[] {"JDBC / PostgreSQL", "org.postgresql.", "io.agroal."},
            new String[] {"sts code", "dev.sts."});

    @Override
    public Integer call() throws Exception {
        int gcs = 0;
        int over10 = 0;
        Duration gcTotal = Duration.ZERO;
        Duration gcMax = Duration.ZERO;
        int safepoints = 0;
        Duration safepointTotal = Duration.ZERO;
        Duration safepointMax = Duration.ZERO;
        int samples = 0;
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> byArea = new HashMap<>();
        Map<String, Integer> byFrame = new HashMap<>();
        Map<String, Integer> gcNames = new HashMap<>();
        Duration span = Duration.ZERO;
        java.time.Instant first = null;
        java.time.Instant last = null;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                String type = e.getEventType().getName();
                first = first == null || e.getStartTime().isBefore(first) ? e.getStartTime() : first;
                last = last == null || e.getEndTime().isAfter(last) ? e.getEndTime() : last;
                switch (type) {
                    case "jdk.GarbageCollection" -> {
                        Duration pause = e.getDuration("sumOfPauses");
                        gcs++;
                        gcTotal = gcTotal.plus(pause);
                        gcMax = pause.compareTo(gcMax) > 0 ? pause : gcMax;
                        over10 += pause.toMillis() >= 10 ? 1 : 0;
                        gcNames.merge(e.getString("name"), 1, Integer::sum);
                    }
                    case "jdk.SafepointBegin" -> {
                        safepoints++;
                        safepointTotal = safepointTotal.plus(e.getDuration());
                        safepointMax = e.getDuration().compareTo(safepointMax) > 0 ? e.getDuration() : safepointMax;
                    }
                    case "jdk.ExecutionSample" -> {
                        samples++;
                        RecordedThread thread = e.getThread("sampledThread");
                        byThread.merge(group(thread == null ? "?" : thread.getJavaName()), 1, Integer::sum);
                        RecordedStackTrace stack = e.getStackTrace();
                        if (stack != null && !stack.getFrames().isEmpty()) {
                            byArea.merge(area(stack.getFrames()), 1, Integer::sum);
                            RecordedFrame f = stack.getFrames().get(0);
                            byFrame.merge(f.getMethod().getType().getName() + "." + f.getMethod().getName(), 1, Integer::sum);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        if (first != null) {
            span = Duration.between(first, last);
        }
        System.out.printf("JFR %s: %.1f s recorded%n", file.getFileName(), span.toMillis() / 1000.0);
        System.out.printf("  GC: %d collections %s, pauses total %d ms (%.1f%% of the time), longest %.1f ms, %d of 10 ms or more%n",
                gcs, gcNames, gcTotal.toMillis(), span.isZero() ? 0 : 100.0 * gcTotal.toNanos() / span.toNanos(),
                gcMax.toNanos() / 1e6, over10);
        System.out.printf("  safepoints: %d, total %d ms, longest %.1f ms%n", safepoints, safepointTotal.toMillis(),
                safepointMax.toNanos() / 1e6);
        System.out.printf("  CPU samples: %d%n", samples);
        print("  by thread group", byThread, samples, top);
        print("  by area of code (innermost matching frame)", byArea, samples, top);
        print("  busiest top frames", byFrame, samples, top);
        return 0;
    }

    private static void print(String title, Map<String, Integer> counts, int total, int top) {
        System.out.println(title + ":");
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        for (Map.Entry<String, Integer> e : sorted.subList(0, Math.min(top, sorted.size()))) {
            System.out.printf("    %5.1f%%  %s%n", total == 0 ? 0 : 100.0 * e.getValue() / total, e.getKey());
        }
    }

    /** A thread's name without its number: "vert.x-eventloop-thread-1" -> "vert.x-eventloop-thread-#". */
    private static String group(String name) {
        return name == null ? "?" : name.replaceAll("\\d+", "#");
    }

    private static String area(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            for (String[] area : AREAS) {
                for (int i = 1; i < area.length; i++) {
                    if (type.startsWith(area[i])) {
                        return area[0];
                    }
                }
            }
        }
        return "JDK / other";
    }
}
