package dev.sts.audit.api;

import dev.sts.audit.config.ExportConfig;
import dev.sts.audit.domain.AuditQuery;
import dev.sts.audit.domain.AuditReader;
import dev.sts.audit.domain.AuditStoreException;
import dev.sts.audit.domain.Cursor;
import dev.sts.audit.domain.StoredRecord;
import dev.sts.kit.auth.Authenticator;
import dev.sts.kit.auth.Authorizer;
import dev.sts.kit.error.GrpcErrors;
import dev.sts.kit.error.StsException;
import dev.sts.proto.v1.ExportEventsRequest;
import dev.sts.proto.v1.ExportEventsResponse;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ExportEvents with gRPC's own flow control. Quarkus's Mutiny bridge subscribes to a returned
 * {@code Multi} with unbounded demand, so a slow client would make the server read and queue the
 * whole range; this handler instead follows grpc-java's manual flow control
 * ({@link ServerCallStreamObserver#isReady()} and its on-ready handler): it hands a record to gRPC
 * only while the stream is ready, reads the next page from the database only when the previous one
 * has been handed over, and otherwise waits for the on-ready callback. A call therefore holds at
 * most one page ({@code sts.audit.export.page-size}) besides what gRPC's transport buffers within
 * its flow-control window, however slow the client and however long the range.
 *
 * <p>Pages are read oldest first by keyset ({@code (event_time, id) > cursor}), each in its own
 * short query, so no database connection or transaction is held while the client reads.
 * Database work runs on the worker pool, never on the event loop; the call's gRPC context (the
 * caller's credentials and address) goes with it.
 */
@ApplicationScoped
public class EventExport {
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final AuditReader reader;
    private final ExportStats stats;
    private final InstantSource clock;
    private final int pageSize;

    public EventExport(Authenticator authenticator, Authorizer authorizer, AuditReader reader, ExportStats stats,
            InstantSource clock, ExportConfig config) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.reader = reader;
        this.stats = stats;
        this.clock = clock;
        this.pageSize = config.pageSize();
    }

    /** The gRPC handler: the observer of a server-streaming call is always a ServerCallStreamObserver. */
    public void export(ExportEventsRequest request, StreamObserver<ExportEventsResponse> observer) {
        new Call(request, (ServerCallStreamObserver<ExportEventsResponse>) observer, Context.current(),
                Infrastructure.getDefaultWorkerPool()).start();
    }

    /** One export. Its state is touched only inside {@link #drain()}, which never runs twice at once. */
    private final class Call {
        private final ExportEventsRequest request;
        private final ServerCallStreamObserver<ExportEventsResponse> out;
        private final Context context;
        private final Executor worker;
        /** Drain requests not yet served: the first one schedules the drain, later ones make it loop. */
        private final AtomicInteger pending = new AtomicInteger();
        private final Deque<StoredRecord> page = new ArrayDeque<>();
        private volatile boolean cancelled;
        private AuditQuery query;
        private Cursor after;
        private boolean exhausted;
        private boolean finished;

        Call(ExportEventsRequest request, ServerCallStreamObserver<ExportEventsResponse> out, Context context,
                Executor worker) {
            this.request = request;
            this.out = out;
            this.context = context;
            this.worker = worker;
        }

        void start() {
            stats.started();
            out.setOnCancelHandler(() -> {
                cancelled = true;
                schedule();
            });
            out.setOnReadyHandler(this::schedule);
            schedule();
        }

        private void schedule() {
            if (pending.getAndIncrement() == 0) {
                worker.execute(context.wrap(this::drain));
            }
        }

        private void drain() {
            int missed = 1;
            do {
                if (!finished) {
                    try {
                        pump();
                    } catch (RuntimeException e) {
                        finish();
                        if (!cancelled) {
                            out.onError(GrpcErrors.toStatusException(e instanceof AuditStoreException
                                    ? StsException.unavailable("the audit store is unavailable", e) : e));
                        }
                    }
                }
                missed = pending.addAndGet(-missed);
            } while (missed != 0);
        }

        private void pump() {
            if (query == null) {
                authorizer.require(authenticator.authenticate(), "audit:ExportEvents", "*");
                Instant end = request.hasEndTime() ? LookupFilters.instant(request.getEndTime(), "end_time")
                        : clock.instant().plusSeconds(1);
                Instant start = request.hasStartTime() ? LookupFilters.instant(request.getStartTime(), "start_time")
                        : Instant.EPOCH;
                query = LookupFilters.query(start, end, request.getLookupAttributes());
            }
            while (!cancelled && out.isReady()) {
                if (page.isEmpty()) {
                    if (exhausted) {
                        finish();
                        out.onCompleted();
                        return;
                    }
                    List<StoredRecord> rows = reader.exportPage(query, after, pageSize);
                    stats.fetched(rows.size());
                    page.addAll(rows);
                    exhausted = rows.size() < pageSize;
                    if (!rows.isEmpty()) {
                        after = Cursor.of(rows.get(rows.size() - 1));
                    }
                    continue;
                }
                out.onNext(ExportEventsResponse.newBuilder().setEvent(page.poll().record()).build());
                stats.sent();
            }
            if (cancelled) {
                finish();
            }
        }

        private void finish() {
            if (!finished) {
                finished = true;
                page.clear();
                stats.ended();
            }
        }
    }
}
