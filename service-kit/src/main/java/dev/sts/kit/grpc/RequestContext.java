package dev.sts.kit.grpc;

import io.grpc.Context;

/**
 * What a call carries besides its message: a request id, the raw bearer credential, and where it
 * came from. Set by {@link RequestContextInterceptor}; read with {@link #current()}.
 *
 * <p>{@link #toString()} never prints the credential.
 */
public record RequestContext(String requestId, String bearer, String sourceIp, String userAgent) {
    static final Context.Key<RequestContext> KEY = Context.key("sts-request-context");

    /** The context of the call on this thread, or an anonymous one outside a call (tests, jobs). */
    public static RequestContext current() {
        RequestContext ctx = KEY.get();
        return ctx != null ? ctx : new RequestContext(java.util.UUID.randomUUID().toString(), null, "", "");
    }

    @Override
    public String toString() {
        return "RequestContext[requestId=" + requestId + ", sourceIp=" + sourceIp + ", userAgent=" + userAgent
                + ", bearer=" + (bearer == null ? "none" : "present") + "]";
    }
}
