package dev.sts.kit.grpc;

import io.grpc.Context;
import java.util.Optional;

/**
 * What a call carries besides its message: a request id, the raw bearer credential, where it came
 * from, and whether it came over TLS. Set by {@link RequestContextInterceptor}; read with
 * {@link #current()}.
 *
 * <p>{@link #toString()} never prints the credential.
 *
 * @param secureTransport whether the call arrived over TLS ({@code aws:SecureTransport}); empty
 *     when not known (outside a call)
 */
public record RequestContext(String requestId, String bearer, String sourceIp, String userAgent,
        Optional<Boolean> secureTransport) {
    static final Context.Key<RequestContext> KEY = Context.key("sts-request-context");

    /** A context whose transport is not known. */
    public RequestContext(String requestId, String bearer, String sourceIp, String userAgent) {
        this(requestId, bearer, sourceIp, userAgent, Optional.empty());
    }

    public RequestContext {
        secureTransport = secureTransport == null ? Optional.empty() : secureTransport;
    }

    /** The context of the call on this thread, or an anonymous one outside a call (tests, jobs). */
    public static RequestContext current() {
        RequestContext ctx = KEY.get();
        return ctx != null ? ctx : new RequestContext(java.util.UUID.randomUUID().toString(), null, "", "");
    }

    @Override
    public String toString() {
        return "RequestContext[requestId=" + requestId + ", sourceIp=" + sourceIp + ", userAgent=" + userAgent
                + ", bearer=" + (bearer == null ? "none" : "present") + ", tls=" + secureTransport.map(String::valueOf)
                .orElse("unknown") + "]";
    }
}
