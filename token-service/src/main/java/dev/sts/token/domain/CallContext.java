package dev.sts.token.domain;

/**
 * What the domain needs of the call being served, besides its message: the request id returned to
 * the caller, and where the call came from. The api layer fills it from gRPC; the user agent is the
 * caller's free text, so it is cut to {@link #USER_AGENT_MAX} before it can reach an event.
 */
public record CallContext(String requestId, String sourceIp, String userAgent) {
    /** Our bound for the user agent recorded in events (it is informational, so cut, not refused). */
    public static final int USER_AGENT_MAX = 256;
    /** An IPv6 address with a zone id fits easily; anything longer is not an address. */
    public static final int SOURCE_IP_MAX = 64;

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
