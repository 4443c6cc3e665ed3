package dev.sts.kit.error;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.StatusException;
import io.quarkus.grpc.ExceptionHandler;
import io.quarkus.grpc.ExceptionHandlerProvider;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Installs {@link GrpcErrors} as the single exception boundary of every gRPC service. */
@ApplicationScoped
public class StsExceptionHandlerProvider implements ExceptionHandlerProvider {
    private static final Logger LOG = Logger.getLogger(StsExceptionHandlerProvider.class);

    @Override
    public <ReqT, RespT> ExceptionHandler<ReqT, RespT> createHandler(ServerCall.Listener<ReqT> listener,
            ServerCall<ReqT, RespT> serverCall, Metadata metadata) {
        return new ExceptionHandler<>(listener, serverCall, metadata) {
            @Override
            protected void handleException(Throwable t, ServerCall<ReqT, RespT> call, Metadata md) {
                if (alreadyClosedByTransport(t)) {
                    // The transport refused the call (an oversize message, for example) and sent
                    // its status already; the stub's late close is not an internal error, and
                    // logging one per refused request would let any caller flood the log.
                    LOG.debugf("call already closed by the transport: %s", t.getMessage());
                    return;
                }
                StatusException se = GrpcErrors.toStatusException(t);
                Metadata trailers = se.getTrailers() != null ? se.getTrailers() : new Metadata();
                call.close(se.getStatus(), trailers);
            }
        };
    }

    static boolean alreadyClosedByTransport(Throwable t) {
        return t instanceof IllegalStateException && t.getMessage() != null
                && (t.getMessage().contains("already sent") || t.getMessage().contains("call already closed"));
    }

    @Override
    public Throwable transform(Throwable t) {
        return GrpcErrors.toStatusException(t);
    }
}
