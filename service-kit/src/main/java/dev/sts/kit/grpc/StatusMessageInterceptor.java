package dev.sts.kit.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends the status message of a failed call encoded as the gRPC spec says ({@link StatusMessages}).
 *
 * <p>With gRPC served on the HTTP port ({@code quarkus.grpc.server.use-separate-server=false}, as
 * every service here does) Vert.x writes {@code grpc-message} with {@code URLEncoder}, which also
 * escapes ':', '/', ',' and more; grpc-java clients decode that, but grpc-js shows
 * {@code User%3A arn%3Aaws...}. So this interceptor puts the spec-encoded message into the trailers
 * itself and closes the call with a description-less status, which Vert.x then leaves alone. On
 * grpc-java's own server the description is already encoded per spec (and a {@code grpc-message}
 * trailer would be dropped), so there it does nothing.
 *
 * <p>It runs outside Quarkus' exception interceptor, so statuses made by the error catalogue
 * ({@code StsExceptionHandlerProvider}) pass through it too.
 */
@ApplicationScoped
@GlobalInterceptor
public class StatusMessageInterceptor implements ServerInterceptor, Prioritized {
    static final Metadata.Key<String> GRPC_MESSAGE = Metadata.Key.of("grpc-message", Metadata.ASCII_STRING_MARSHALLER);
    /** Above Quarkus' exception handler (Interceptors.EXCEPTION_HANDLER = MAX_VALUE - 70): called first. */
    static final int PRIORITY = Integer.MAX_VALUE - 65;

    private final boolean vertxServer;

    // Quarkus' own key, not an sts.* one: read as Quarkus declares it.
    public StatusMessageInterceptor(
            @ConfigProperty(name = "quarkus.grpc.server.use-separate-server", defaultValue = "true") boolean separateServer) {
        this.vertxServer = !separateServer;
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        if (!vertxServer) {
            return next.startCall(call, headers);
        }
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                String description = status.getDescription();
                if (status.isOk() || description == null) {
                    super.close(status, trailers);
                    return;
                }
                trailers.discardAll(GRPC_MESSAGE);
                trailers.put(GRPC_MESSAGE, StatusMessages.encode(description));
                super.close(Status.fromCode(status.getCode()).withCause(status.getCause()), trailers);
            }
        }, headers);
    }
}
