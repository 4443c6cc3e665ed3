package dev.sts.audit;

import static dev.sts.audit.TrailEvents.roleArn;
import static dev.sts.audit.TrailEvents.roleChanged;
import static dev.sts.audit.TrailEvents.unique;
import static dev.sts.audit.TrailEvents.user;
import static dev.sts.audit.TrailEvents.userArn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sts.audit.api.ExportStats;
import dev.sts.kit.grpc.BearerCredentials;
import dev.sts.kit.testing.TestChannels;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.ExportEventsRequest;
import dev.sts.proto.v1.ExportEventsResponse;
import dev.sts.proto.v1.LookupAttributes;
import dev.sts.proto.v1.LookupEventsRequest;
import dev.sts.proto.v1.LookupEventsResponse;
import dev.sts.proto.v1.StsEvent;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ExportEvents against the real broker and database: every record of the range exactly once, oldest
 * first, and a slow reader does not make the server read ahead: the records the server has read
 * from the database but the client has not received stay within one page plus what the HTTP/2
 * flow-control window holds, however long the range.
 */
@QuarkusTest
@QuarkusTestResource(AuditDatabaseResource.class)
@QuarkusTestResource(SessionTokensResource.class)
class ExportEventsTest {
    private static final Logger LOG = Logger.getLogger(ExportEventsTest.class);
    /** The client's HTTP/2 flow-control window: what the transport may hold beyond the server's page. */
    static final int WINDOW = 16 * 1024;
    static final int RECORDS = 2000;
    /**
     * What the HTTP/2 path between the two may hold besides the server's page, in bytes: the
     * client's stream and connection windows (16 KiB each, received but not yet asked for), Netty's
     * write-buffer high-water mark on the server (64 KiB; above it the stream is not ready) and the
     * server flow controller's queue for the stream. Their sum is under 128 KiB; twice that leaves
     * room for framing, and is still a small fraction of the range.
     */
    static final int TRANSPORT_BYTES = 256 * 1024;

    static ManagedChannel channel;
    static ManagedChannel smallWindow;
    static TrailEvents trail;
    static ScheduledExecutorService reader;

    @Inject
    ExportStats stats;

    @BeforeAll
    static void connect() {
        channel = TestChannels.toApplication();
        smallWindow = NettyChannelBuilder.forAddress("127.0.0.1", TestChannels.port()).usePlaintext()
                .flowControlWindow(WINDOW).build();
        trail = new TrailEvents(channel);
        reader = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void close() {
        reader.shutdownNow();
        trail.close();
        smallWindow.shutdownNow();
        channel.shutdownNow();
    }

    static int pageSize() {
        return ConfigProvider.getConfig().getValue("sts.audit.export.page-size", Integer.class);
    }

    /** A client that asks for one message at a time, pausing after each, and longer now and then. */
    final class SlowReader implements ClientResponseObserver<ExportEventsRequest, ExportEventsResponse> {
        final List<AuditRecord> received = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicLong maxAhead = new AtomicLong();
        final long fetchedBefore;
        final int stopAfter;
        ClientCallStreamObserver<ExportEventsRequest> call;

        SlowReader(long fetchedBefore, int stopAfter) {
            this.fetchedBefore = fetchedBefore;
            this.stopAfter = stopAfter;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<ExportEventsRequest> requestStream) {
            call = requestStream;
            requestStream.disableAutoRequestWithInitial(1);
        }

        @Override
        public void onNext(ExportEventsResponse value) {
            received.add(value.getEvent());
            long ahead = stats.recordsFetched() - fetchedBefore - received.size();
            maxAhead.accumulateAndGet(ahead, Math::max);
            if (received.size() == stopAfter) {
                call.cancel("enough", null);
                done.complete(null);
                return;
            }
            long pause = received.size() % 250 == 0 ? 200 : 0;
            reader.schedule(() -> call.request(1), pause, TimeUnit.MILLISECONDS);
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            done.complete(null);
        }
    }

    SlowReader export(ExportEventsRequest request, int stopAfter) {
        SlowReader r = new SlowReader(stats.recordsFetched(), stopAfter);
        AuditServiceGrpc.newStub(smallWindow).withCallCredentials(new BearerCredentials(TrailEvents.ADMIN_TOKEN))
                .exportEvents(request, r);
        return r;
    }

    /** How many records of this principal in this hour are stored, by LookupEvents pages. */
    static int stored(Instant from, String principal) {
        AuditServiceGrpc.AuditServiceBlockingStub admin = AuditServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(new BearerCredentials(TrailEvents.ADMIN_TOKEN));
        int n = 0;
        String token = "";
        do {
            LookupEventsResponse page = admin.lookupEvents(LookupEventsRequest.newBuilder().setStartTime(TrailEvents.ts(from))
                    .setEndTime(TrailEvents.ts(from.plusSeconds(3600))).setPageSize(1000).setPageToken(token)
                    .setLookupAttributes(LookupAttributes.newBuilder().setPrincipalArn(userArn(principal))).build());
            n += page.getEventsCount();
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return n;
    }

    static ExportEventsRequest range(Instant from, String principal) {
        return ExportEventsRequest.newBuilder().setStartTime(TrailEvents.ts(from))
                .setEndTime(TrailEvents.ts(from.plusSeconds(3600)))
                .setLookupAttributes(LookupAttributes.newBuilder().setPrincipalArn(userArn(principal))).build();
    }

    @Test
    void aSlowReaderGetsEveryRecordOnceInOrderWhileTheServerReadsAheadOnlyBoundedly() throws Exception {
        Instant t = LookupFiltersTest.window();
        String principal = "exporter-" + unique();
        // Produced in reverse time order: the export's order comes from the event time, not arrival.
        List<StsEvent> events = IntStream.range(0, RECORDS).map(i -> RECORDS - 1 - i)
                .mapToObj(i -> roleChanged(user(principal), "TagRole", roleArn("Export" + i), null, t.plusMillis(1000L * i)))
                .toList();
        trail.publish(events);
        await().atMost(Duration.ofMinutes(3)).until(() -> stored(t, principal) == RECORDS);
        // one record of another principal inside the range: filtered out
        trail.publishAndAwait(roleChanged(user("other-" + unique()), "TagRole", roleArn("Other"), null, t.plusSeconds(5)));

        SlowReader r = export(range(t, principal), -1);
        r.done.get(5, TimeUnit.MINUTES);

        List<String> expected = IntStream.range(0, RECORDS).mapToObj(i -> TrailEvents.eventId(events.get(RECORDS - 1 - i))).toList();
        assertThat(r.received).extracting(AuditRecord::getEventId).containsExactlyElementsOf(expected);
        // Bound: one page held by the server, plus what the transport holds, at the smallest size a
        // record of this test takes. With unbounded demand the server would read the whole range.
        int smallest = r.received.stream().mapToInt(x -> ExportEventsResponse.newBuilder().setEvent(x).build().getSerializedSize())
                .min().orElseThrow();
        long bound = pageSize() + TRANSPORT_BYTES / smallest;
        LOG.infof("export: %d records, at most %d read ahead of the client (bound %d, page %d, record >= %d bytes)",
                r.received.size(), r.maxAhead.get(), bound, pageSize(), smallest);
        assertThat(r.maxAhead.get()).isGreaterThan(0).isLessThanOrEqualTo(bound);
        assertThat(bound).isLessThan(RECORDS / 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.activeExports() == 0);
    }

    @Test
    void aClientThatStopsReadingEndsTheExport() throws Exception {
        Instant t = LookupFiltersTest.window();
        String principal = "quitter-" + unique();
        List<StsEvent> events = IntStream.range(0, 1000)
                .mapToObj(i -> roleChanged(user(principal), "TagRole", roleArn("Quit" + i), null, t.plusMillis(1000L * i)))
                .toList();
        trail.publish(events);
        await().atMost(Duration.ofMinutes(3)).until(() -> stored(t, principal) == events.size());

        long before = stats.recordsFetched();
        SlowReader r = export(range(t, principal), 10);
        r.done.get(1, TimeUnit.MINUTES);
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.activeExports() == 0);
        assertThat(r.received).extracting(AuditRecord::getEventId)
                .containsExactlyElementsOf(events.subList(0, 10).stream().map(TrailEvents::eventId).toList());
        int smallest = r.received.stream().mapToInt(x -> ExportEventsResponse.newBuilder().setEvent(x).build().getSerializedSize())
                .min().orElseThrow();
        long fetched = stats.recordsFetched() - before;
        assertThat(fetched).isLessThanOrEqualTo(r.received.size() + pageSize() + TRANSPORT_BYTES / smallest)
                .isLessThan(events.size());
    }
}
