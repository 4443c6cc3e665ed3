package dev.sts.kit.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.UUID;

/**
 * Captures the caller's credential, address and user agent into the gRPC {@link Context}, assigns
 * a request id and returns it to the caller as {@code x-request-id} (headers and trailers), so a
 * caller can quote it and find the audit record.
 */
@ApplicationScoped
@GlobalInterceptor
public class RequestContextInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> USER_AGENT = Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);
    public static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        String requestId = UUID.randomUUID().toString();
        RequestContext ctx = new RequestContext(requestId, bearer(headers.get(AUTHORIZATION)),
                address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)),
                headers.get(USER_AGENT) == null ? "" : headers.get(USER_AGENT),
                // Over TLS the server hands grpc-java the connection's SSL session (see PeerIdentityInterceptor).
                java.util.Optional.of(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION) != null));
        ServerCall<ReqT, RespT> withRequestId = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                responseHeaders.put(REQUEST_ID, requestId);
                super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(io.grpc.Status status, Metadata trailers) {
                if (!status.isOk()) {
                    trailers.put(REQUEST_ID, requestId);
                }
                super.close(status, trailers);
            }
        };
        return Contexts.interceptCall(Context.current().withValue(RequestContext.KEY, ctx), withRequestId, headers, next);
    }

    static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = value.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    private static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return address == null ? "" : address.toString();
    }
}
