package dev.sts.audit.api;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sts.audit.domain.AuditLog;
import dev.sts.audit.domain.AuditQuery;
import dev.sts.audit.domain.AuditRecords;
import dev.sts.audit.domain.AuditSearch;
import dev.sts.audit.domain.AuditStoreException;
import dev.sts.audit.domain.ChainHash;
import dev.sts.audit.domain.SessionLineage;
import dev.sts.audit.domain.Cursor;
import dev.sts.audit.domain.StoredRecord;
import dev.sts.kit.auth.Authenticator;
import dev.sts.kit.auth.Authorizer;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.AuditServiceGrpc;
import dev.sts.proto.v1.ChainVerification;
import dev.sts.proto.v1.GetSessionLineageRequest;
import dev.sts.proto.v1.GetSessionLineageResponse;
import dev.sts.proto.v1.LineageHop;
import dev.sts.proto.v1.GetEventRequest;
import dev.sts.proto.v1.GetEventResponse;
import dev.sts.proto.v1.LookupEventsRequest;
import dev.sts.proto.v1.LookupEventsResponse;
import dev.sts.proto.v1.MutinyAuditServiceGrpc;
import dev.sts.proto.v1.VerifyChainRequest;
import dev.sts.proto.v1.VerifyChainResponse;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.UUID;

/**
 * gRPC facade of audit-service. Queries are blocking JDBC, so they run on worker threads. Every
 * RPC first authenticates its caller and asks the {@link Authorizer} for its {@code audit:*}
 * action on {@code "*"} (bootstrap principals may do everything; a role session what its policies,
 * boundary and session policies allow, from the permission view).
 */
@GrpcService
public class AuditGrpcService extends MutinyAuditServiceGrpc.AuditServiceImplBase {
    private static final Duration DEFAULT_RANGE = Duration.ofDays(90);
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final AuditLog store;
    private final AuditSearch search;
    private final SessionLineage lineage;
    private final EventExport export;
    private final InstantSource clock;
    private final VerifyChainRpc verifyChain;

    public AuditGrpcService(Authenticator authenticator, Authorizer authorizer, AuditLog store, AuditSearch search,
            SessionLineage lineage, EventExport export, InstantSource clock, VerifyChainRpc verifyChain) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.store = store;
        this.search = search;
        this.lineage = lineage;
        this.export = export;
        this.clock = clock;
        this.verifyChain = verifyChain;
    }

    @Override
    @Blocking
    public Uni<LookupEventsResponse> lookupEvents(LookupEventsRequest request) {
        return Uni.createFrom().item(() -> {
            authorize("audit:LookupEvents");
            Instant end = request.hasEndTime() ? LookupFilters.instant(request.getEndTime(), "end_time")
                    : clock.instant().plusSeconds(1);
            Instant start = request.hasStartTime() ? LookupFilters.instant(request.getStartTime(), "start_time")
                    : end.minus(DEFAULT_RANGE);
            AuditQuery filter = LookupFilters.query(start, end, request.getLookupAttributes());
            AuditSearch.Page page = query(() -> search.lookup(filter, request.getPageToken(), request.getPageSize()));
            LookupEventsResponse.Builder b = LookupEventsResponse.newBuilder().addAllEvents(page.records());
            if (page.nextPageToken() != null) {
                b.setNextPageToken(page.nextPageToken());
            }
            return b.build();
        });
    }

    @Override
    @Blocking
    public Uni<GetSessionLineageResponse> getSessionLineage(GetSessionLineageRequest request) {
        return Uni.createFrom().item(() -> {
            authorize("audit:GetSessionLineage");
            SessionLineage.Lineage l = query(() -> switch (request.getSessionCase()) {
                case SESSION_ID -> lineage.ofSession(request.getSessionId(), request.getMaxDerived());
                case ACCESS_KEY_ID -> lineage.ofAccessKey(request.getAccessKeyId(), request.getMaxDerived());
                case SESSION_NOT_SET -> throw StsException.invalid("session", "session_id or access_key_id is required");
            });
            GetSessionLineageResponse.Builder b = GetSessionLineageResponse.newBuilder()
                    .setOrigin(l.origin()).setComplete(l.complete()).setDerivedTruncated(l.derivedTruncated());
            l.back().forEach(h -> b.addHops(hop(h)));
            l.derived().forEach(h -> b.addDerived(hop(h)));
            return b.build();
        });
    }

    /**
     * ExportEvents is served by {@link EventExport} with grpc-java's flow control; Quarkus's Mutiny
     * bridge would subscribe to a {@code Multi} with unbounded demand. Every other method keeps the
     * handler Quarkus generated.
     */
    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition generated = super.bindService();
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(generated.getServiceDescriptor());
        for (ServerMethodDefinition<?, ?> m : generated.getMethods()) {
            if (!m.getMethodDescriptor().getFullMethodName().equals(AuditServiceGrpc.getExportEventsMethod().getFullMethodName())) {
                b.addMethod(m);
            }
        }
        b.addMethod(AuditServiceGrpc.getExportEventsMethod(), ServerCalls.asyncServerStreamingCall(export::export));
        return b.build();
    }

    private static LineageHop hop(SessionLineage.Hop h) {
        AuditRecord r = h.record();
        Struct user = r.getResponseElements().getFieldsOrDefault("assumedRoleUser", Value.getDefaultInstance()).getStructValue();
        LineageHop.Builder b = LineageHop.newBuilder()
                .setSessionId(r.getSessionId())
                .setRoleArn(nz(AuditRecords.roleArn(r)))
                .setAssumedRoleArn(user.getFieldsOrDefault("arn", Value.getDefaultInstance()).getStringValue())
                .setIssuerPrincipalArn(r.getUserIdentity().getArn())
                .setSourceIdentity(r.getSourceIdentity())
                .setAccessKeyId(r.getAccessKeyId())
                .setIssuedAt(r.getEventTime())
                .setEventId(r.getEventId())
                .setChainDepth(h.chainDepth())
                .setSessionName(h.sessionName())
                .setEventName(r.getEventName())
                .setRecord(r);
        if (h.parentSessionId() != null) {
            b.setParentSessionId(h.parentSessionId());
        }
        return b.build();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
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

}
