package dev.sts.audit.api;

import com.google.protobuf.util.Timestamps;
import dev.sts.audit.domain.AuditLog;
import dev.sts.audit.domain.AuditQuery;
import dev.sts.audit.domain.AuditStoreException;
import dev.sts.audit.domain.Cursor;
import dev.sts.audit.domain.StoredRecord;
import dev.sts.kit.auth.Authenticator;
import dev.sts.kit.auth.Authorizer;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.proto.v1.GetEventRequest;
import dev.sts.proto.v1.GetEventResponse;
import dev.sts.proto.v1.LookupAttributes;
import dev.sts.proto.v1.LookupEventsRequest;
import dev.sts.proto.v1.LookupEventsResponse;
import dev.sts.proto.v1.MutinyAuditServiceGrpc;
import dev.sts.proto.v1.VerifyChainRequest;
import dev.sts.proto.v1.VerifyChainResponse;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;

/**
 * gRPC facade of audit-service. Queries are blocking JDBC, so they run on worker threads. RPCs
 * not overridden here answer UNIMPLEMENTED until their issue lands.
 */
@GrpcService
public class AuditGrpcService extends MutinyAuditServiceGrpc.AuditServiceImplBase {
    private static final Duration DEFAULT_RANGE = Duration.ofDays(90);
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final AuditLog store;
    private final InstantSource clock;
    private final VerifyChainRpc verifyChain;

    public AuditGrpcService(Authenticator authenticator, Authorizer authorizer, AuditLog store, InstantSource clock,
            VerifyChainRpc verifyChain) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.store = store;
        this.clock = clock;
        this.verifyChain = verifyChain;
    }

    @Override
    @Blocking
    public Uni<LookupEventsResponse> lookupEvents(LookupEventsRequest request) {
        return Uni.createFrom().item(() -> {
            authorize("audit:LookupEvents");
            int pageSize = request.getPageSize() == 0 ? 50 : request.getPageSize();
            if (pageSize < 1 || pageSize > 1000) {
                throw StsException.invalid("page_size", "page_size must be between 1 and 1000");
            }
            Instant end = request.hasEndTime() ? instant(request.getEndTime()) : clock.instant().plusSeconds(1);
            Instant start = request.hasStartTime() ? instant(request.getStartTime()) : end.minus(DEFAULT_RANGE);
            if (!start.isBefore(end)) {
                throw StsException.invalid("start_time", "start_time must be before end_time");
            }
            LookupAttributes a = request.getLookupAttributes();
            AuditQuery filter = new AuditQuery(start, end, a.getPrincipalArn(), a.getRoleArn(), a.getSessionId(),
                    a.getSourceIdentity(), a.getAccessKeyId(), a.getEventName(), a.getOutcome());
            Cursor after = request.getPageToken().isEmpty() ? null : Cursor.decode(request.getPageToken());
            List<StoredRecord> rows = query(() -> store.lookup(filter, after, pageSize + 1));
            LookupEventsResponse.Builder b = LookupEventsResponse.newBuilder();
            rows.stream().limit(pageSize).forEach(r -> b.addEvents(r.record()));
            if (rows.size() > pageSize) {
                StoredRecord last = rows.get(pageSize - 1);
                b.setNextPageToken(new Cursor(instant(last.record().getEventTime()), last.id()).encode());
            }
            return b.build();
        });
    }

    @Override
    @Blocking
    public Uni<GetEventResponse> getEvent(GetEventRequest request) {
        return Uni.createFrom().item(() -> {
            authorize("audit:GetEvent");
            UUID id;
            try {
                id = UUID.fromString(request.getEventId());
            } catch (IllegalArgumentException e) {
                throw StsException.invalid("event_id", "event_id must be a UUID");
            }
            return query(() -> store.get(id)).map(r -> GetEventResponse.newBuilder().setEvent(r.record()).build())
                    .orElseThrow(() -> new StsException(ErrorCode.NO_SUCH_ENTITY, "no audit event " + id, "event_id"));
        });
    }

    @Override
    @Blocking
    public Uni<VerifyChainResponse> verifyChain(VerifyChainRequest request) {
        return Uni.createFrom().item(() -> {
            authorize("audit:VerifyChain");
            return query(() -> verifyChain.verify(request));
        });
    }

    private void authorize(String action) {
        CallerIdentity caller = authenticator.authenticate();
        authorizer.require(caller, action, "*");
    }

    private interface Query<T> {
        T run();
    }

    /** Any store failure is the caller's ServiceUnavailable: a query has no bad data to blame. */
    private static <T> T query(Query<T> q) {
        try {
            return q.run();
        } catch (AuditStoreException e) {
            throw StsException.unavailable("the audit store is unavailable", e);
        }
    }

    private static Instant instant(com.google.protobuf.Timestamp t) {
        Timestamps.checkValid(t);
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
