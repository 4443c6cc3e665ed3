package dev.sts.token.domain;

/**
 * What the domain needs of the call being served, besides its message: the request id returned to
 * the caller, where the call came from, and whether it came over TLS. The api layer fills it from
 * gRPC or the STS Query API; the user agent is the caller's free text, so it is cut to
 * {@link #USER_AGENT_MAX} before it can reach an event.
 *
 * @param secureTransport whether the call reached token-service over TLS: the request context key
 *     {@code aws:SecureTransport} ("whether the request was sent using TLS", IAM User Guide, AWS
 *     global condition context keys)
 */
public record CallContext(String requestId, String sourceIp, String userAgent, boolean secureTransport) {
    /** Our bound for the user agent recorded in events (it is informational, so cut, not refused). */
    public static final int USER_AGENT_MAX = 256;
    /** An IPv6 address with a zone id fits easily; anything longer is not an address. */
    public static final int SOURCE_IP_MAX = 64;

    /** A call not known to have come over TLS ({@code aws:SecureTransport} false). */
    public CallContext(String requestId, String sourceIp, String userAgent) {
        this(requestId, sourceIp, userAgent, false);
    }

    public CallContext {
        requestId = requestId == null ? "" : requestId;
        sourceIp = cut(sourceIp, SOURCE_IP_MAX);
        userAgent = cut(userAgent, USER_AGENT_MAX);
    }

    private static String cut(String s, int max) {
        if (s == null) {
            return "";
        }
        if (s.length() <= max) {
            return s;
        }
        // Never split a surrogate pair: a lone surrogate is not valid UTF-8 in the event.
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }
}
