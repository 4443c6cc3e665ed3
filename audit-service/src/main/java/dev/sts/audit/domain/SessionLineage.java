package dev.sts.audit.domain;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.proto.v1.AuditRecord;
import dev.sts.proto.v1.UserIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who really acted behind a session. Each session's issuing record (AssumeRole or
 * AssumeRoleWithWebIdentity) names its caller; when the caller acted through a role session
 * (role chaining), the caller's session id is in its {@code userIdentity.sessionContext}, and that
 * session has an issuing record of its own. Following these links back ends at an issuer that is
 * not a session (an IAM user, the root, a bootstrap principal, or a WebIdentityUser: the OIDC
 * subject that AssumeRoleWithWebIdentity verified). Following them forward finds every session
 * issued from the given one.
 *
 * <p>Both directions are bounded: back at {@value #MAX_DEPTH} hops (a loop cannot occur in a real
 * log, and a forged one ends the walk as incomplete), forward at the caller's maximum number of
 * sessions and the same depth, breadth first, each query asking only for what the budget allows.
 */
@ApplicationScoped
public class SessionLineage {
    public static final int MAX_DEPTH = 64;
    public static final int DEFAULT_DERIVED = 100;
    public static final int MAX_DERIVED = 1000;

    private final AuditReader reader;

    public SessionLineage(AuditReader reader) {
        this.reader = reader;
    }

    /** One session: its issuing record, and the session its issuer acted with (null when none). */
    public record Hop(StoredRecord issued, String parentSessionId, int chainDepth) {
        public AuditRecord record() {
            return issued.record();
        }

        public String sessionId() {
            return issued.record().getSessionId();
        }

        public String sessionName() {
            return issued.record().getRequestParameters().getFieldsOrDefault("roleSessionName",
                    com.google.protobuf.Value.getDefaultInstance()).getStringValue();
        }

        static Hop of(StoredRecord r) {
            UserIdentity issuer = r.record().getUserIdentity();
            String parent = issuer.getSessionContext().getSessionId();
            boolean chained = !parent.isEmpty();
            return new Hop(r, chained ? parent : null, chained ? issuer.getSessionContext().getChainDepth() + 1 : 1);
        }
    }

    /**
     * @param back the session first, then the session its issuer acted with, and so on
     * @param origin the issuer of the last hop
     * @param complete whether {@code origin} is not a session (the walk reached who really acted)
     * @param derived sessions issued from the first, breadth first
     * @param derivedTruncated whether more derived sessions exist than {@code derived} holds
     */
    public record Lineage(List<Hop> back, UserIdentity origin, boolean complete, List<Hop> derived,
            boolean derivedTruncated) {
    }

    public Lineage ofSession(String sessionId, int maxDerived) {
        bounded("session_id", sessionId, AuditQuery.MAX_SESSION_ID);
        int max = maxDerived(maxDerived);
        return lineage(reader.sessionIssued(sessionId), "session_id", "session " + sessionId, max);
    }

    public Lineage ofAccessKey(String accessKeyId, int maxDerived) {
        bounded("access_key_id", accessKeyId, AuditQuery.MAX_ACCESS_KEY_ID);
        int max = maxDerived(maxDerived);
        return lineage(reader.sessionIssuedForAccessKey(accessKeyId), "access_key_id", "access key " + accessKeyId, max);
    }

    private Lineage lineage(Optional<StoredRecord> start, String field, String what, int maxDerived) {
        // Uniform with GetEvent: the log has no record that issued it (or it has not been ingested yet).
        StoredRecord first = start.orElseThrow(() -> new StsException(ErrorCode.NO_SUCH_ENTITY,
                "no issued session for " + what + " in the audit log", field));
        List<Hop> back = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Hop hop = Hop.of(first);
        boolean complete;
        while (true) {
            back.add(hop);
            seen.add(hop.sessionId());
            if (hop.parentSessionId() == null) {
                complete = true;
                break;
            }
            if (back.size() >= MAX_DEPTH || seen.contains(hop.parentSessionId())) {
                complete = false;
                break;
            }
            Optional<StoredRecord> parent = reader.sessionIssued(hop.parentSessionId());
            if (parent.isEmpty()) {
                complete = false;
                break;
            }
            hop = Hop.of(parent.get());
        }
        UserIdentity origin = back.get(back.size() - 1).record().getUserIdentity();
        return forward(back, origin, complete, first.record().getSessionId(), maxDerived);
    }

    private Lineage forward(List<Hop> back, UserIdentity origin, boolean complete, String from, int maxDerived) {
        List<Hop> derived = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        seen.add(from);
        Deque<Node> queue = new ArrayDeque<>();
        queue.add(new Node(from, 0));
        boolean truncated = false;
        while (!queue.isEmpty()) {
            Node next = queue.poll();
            int budget = maxDerived - derived.size();
            // One row beyond the budget tells whether more exist.
            List<StoredRecord> children = reader.sessionsIssuedTo(next.sessionId(), budget + 1);
            if (next.depth() >= MAX_DEPTH) {
                truncated |= !children.isEmpty();
                continue;
            }
            for (StoredRecord child : children) {
                if (derived.size() == maxDerived) {
                    truncated = true;
                    break;
                }
                Hop hop = Hop.of(child);
                if (seen.add(hop.sessionId())) {
                    derived.add(hop);
                    queue.add(new Node(hop.sessionId(), next.depth() + 1));
                }
            }
            if (truncated) {
                break;
            }
        }
        return new Lineage(List.copyOf(back), origin, complete, List.copyOf(derived), truncated);
    }

    /** A derived session still to expand, and how many hops below the given session it is. */
    private record Node(String sessionId, int depth) {
    }

    private static int maxDerived(int requested) {
        if (requested == 0) {
            return DEFAULT_DERIVED;
        }
        if (requested < 1 || requested > MAX_DERIVED) {
            throw StsException.invalid("max_derived", "max_derived must be between 1 and " + MAX_DERIVED);
        }
        return requested;
    }

    private static void bounded(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            throw StsException.invalid(field, field + " is required");
        }
        if (value.length() > max) {
            throw StsException.invalid(field, field + " must be at most " + max + " characters");
        }
    }
}
