package dev.sts.kit.error;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.StatusException;
import io.quarkus.grpc.ExceptionHandler;
import io.quarkus.grpc.ExceptionHandlerProvider;
import jakarta.enterprise.context.ApplicationScoped;

/** Installs {@link GrpcErrors} as the single exception boundary of every gRPC service. */
@ApplicationScoped
public class StsExceptionHandlerProvider implements ExceptionHandlerProvider {

    @Override
    public <ReqT, RespT> ExceptionHandler<ReqT, RespT> createHandler(ServerCall.Listener<ReqT> listener,
            ServerCall<ReqT, RespT> serverCall, Metadata metadata) {
        return new ExceptionHandler<>(listener, serverCall, metadata) {
            @Override
            protected void handleException(Throwable t, ServerCall<ReqT, RespT> call, Metadata md) {
                StatusException se = GrpcErrors.toStatusException(t);
                Metadata trailers = se.getTrailers() != null ? se.getTrailers() : new Metadata();
                call.close(se.getStatus(), trailers);
            }
        };
    }

    @Override
    public Throwable transform(Throwable t) {
        return GrpcErrors.toStatusException(t);
    }
}
