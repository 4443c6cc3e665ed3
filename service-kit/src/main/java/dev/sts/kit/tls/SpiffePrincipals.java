package dev.sts.kit.tls;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's map from SPIFFE ID to principal ({@code sts.tls.spiffe-principals}). Entries are
 * checked at start-up: a malformed one stops the service rather than silently trusting nobody (or the
 * wrong workload).
 */
public final class SpiffePrincipals {
    private final Map<String, String> principals;

    private SpiffePrincipals(Map<String, String> principals) {
        this.principals = Map.copyOf(principals);
    }

    /** Parses {@code <spiffe-id>=<principal>} entries. */
    public static SpiffePrincipals parse(List<String> entries) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            // SPIFFE IDs cannot contain '=', so the first one separates the ID from the principal.
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("sts.tls.spiffe-principals: expected <spiffe-id>=<principal>, got '"
                        + entry + "'");
            }
            String id = entry.substring(0, eq).trim();
            String principal = entry.substring(eq + 1).trim();
            SpiffeId spiffeId = SpiffeId.parse(id).orElseThrow(() -> new IllegalArgumentException(
                    "sts.tls.spiffe-principals: '" + id + "' is not a SPIFFE ID (spiffe://<trust-domain>/<path>)"));
            if (principal.isEmpty()) {
                throw new IllegalArgumentException("sts.tls.spiffe-principals: no principal for " + id);
            }
            if (map.put(spiffeId.toString(), principal) != null) {
                throw new IllegalArgumentException("sts.tls.spiffe-principals: " + id + " is listed twice");
            }
        }
        return new SpiffePrincipals(map);
    }

    public static SpiffePrincipals empty() {
        return new SpiffePrincipals(Map.of());
    }

    /** The principal {@code id} is mapped to; IDs compare exactly, as the specification requires. */
    public Optional<String> principalFor(SpiffeId id) {
        return Optional.ofNullable(principals.get(id.toString()));
    }

    public boolean isEmpty() {
        return principals.isEmpty();
    }
}
