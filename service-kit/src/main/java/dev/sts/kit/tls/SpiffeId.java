package dev.sts.kit.tls;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A SPIFFE ID ({@code spiffe://<trust-domain>/<path>}), parsed strictly as the SPIFFE ID specification
 * defines it: lowercase trust domain, no port, user info, query or fragment, no empty, {@code .} or
 * {@code ..} path segments. Anything looser would let two spellings name one workload, and the
 * mapping to principals compares IDs as strings.
 */
public record SpiffeId(String trustDomain, String path) {
    private static final String SCHEME = "spiffe://";
    private static final int MAX_LENGTH = 2048;
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]+");
    private static final Pattern SEGMENT = Pattern.compile("[a-zA-Z0-9._-]+");

    /** The ID if {@code uri} is a valid SPIFFE ID, else empty. */
    public static Optional<SpiffeId> parse(String uri) {
        if (uri == null || uri.length() > MAX_LENGTH || !uri.startsWith(SCHEME)) {
            return Optional.empty();
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String domain = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        if (!TRUST_DOMAIN.matcher(domain).matches()) {
            return Optional.empty();
        }
        if (!path.isEmpty()) {
            // A leading "/" then segments; a trailing "/" would give an empty last segment.
            String[] segments = path.substring(1).split("/", -1);
            for (String segment : segments) {
                if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new SpiffeId(domain, path));
    }

    @Override
    public String toString() {
        return SCHEME + trustDomain + path;
    }
}
