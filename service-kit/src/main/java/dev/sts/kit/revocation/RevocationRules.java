package dev.sts.kit.revocation;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.events.CompactedTopicReader;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.SessionsRevoked;
import dev.sts.proto.v1.StsEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The revocations in force, as {@code sts.revocations.v1} carries them (key: revocation id; value:
 * a {@code SessionsRevoked}; a tombstone when it expired), indexed so that checking a session costs
 * a few hash lookups whatever the number of rules:
 * <ul>
 * <li>by session id: the session is revoked;</li>
 * <li>by role ARN: sessions of the role issued before the revocation's {@code revoked_at};</li>
 * <li>by source identity: sessions carrying it issued before {@code revoked_at};</li>
 * <li>by time: sessions issued before {@code issued_before} (only the latest cut-off matters).</li>
 * </ul>
 * A session's issue time is its token's {@code iat}, whole seconds (RFC 7519 NumericDate), so
 * "issued before" is {@code iat < cut-off}: a session issued in the same second as a cut-off that
 * is not itself a whole second is covered, never spared. token-service makes {@code revoked_at} a
 * whole second for that reason (ADR 013).
 *
 * <p>Role ARNs are compared ignoring case: IAM role names are unique regardless of case in an
 * account, so two ARNs that differ only in case name the same role. Written by one thread (the
 * reader), read by any.
 */
public final class RevocationRules {
    /** What a rule covers. */
    public enum Kind {
        SESSION_ID, ROLE_ARN, SOURCE_IDENTITY, ISSUED_BEFORE
    }

    /**
     * One revocation.
     *
     * @param value the session id, role ARN or source identity; {@code null} for {@link Kind#ISSUED_BEFORE}
     * @param cutOff sessions issued before it are covered: {@code revoked_at}, or {@code issued_before}
     */
    public record Rule(String id, Kind kind, String value, Instant cutOff, Instant expiresAt) {
        /** Whether this rule covers the session. */
        public boolean covers(SessionClaims s) {
            return switch (kind) {
                case SESSION_ID -> value.equals(s.sessionId());
                case ROLE_ARN -> s.roleArn() != null && value.equals(roleKey(s.roleArn())) && s.issuedAt().isBefore(cutOff);
                case SOURCE_IDENTITY -> value.equals(s.sourceIdentity()) && s.issuedAt().isBefore(cutOff);
                case ISSUED_BEFORE -> s.issuedAt().isBefore(cutOff);
            };
        }

        /** The rule a {@code SessionsRevoked} states, or empty when it states none. */
        public static Optional<Rule> of(SessionsRevoked e) {
            if (e.getRevocationId().isEmpty() || !e.hasRevokedAt() || !e.hasExpiresAt()) {
                return Optional.empty();
            }
            Instant revokedAt = Timestamps.toInstant(e.getRevokedAt());
            Instant expiresAt = Timestamps.toInstant(e.getExpiresAt());
            String id = e.getRevocationId();
            return switch (e.getSelectorCase()) {
                case SESSION_ID -> e.getSessionId().isEmpty() ? Optional.empty()
                        : Optional.of(new Rule(id, Kind.SESSION_ID, e.getSessionId(), revokedAt, expiresAt));
                case ROLE_ARN -> e.getRoleArn().isEmpty() ? Optional.empty()
                        : Optional.of(new Rule(id, Kind.ROLE_ARN, roleKey(e.getRoleArn()), revokedAt, expiresAt));
                case SOURCE_IDENTITY -> e.getSourceIdentity().isEmpty() ? Optional.empty()
                        : Optional.of(new Rule(id, Kind.SOURCE_IDENTITY, e.getSourceIdentity(), revokedAt, expiresAt));
                case ISSUED_BEFORE -> Optional.of(new Rule(id, Kind.ISSUED_BEFORE, null,
                        Timestamps.toInstant(e.getIssuedBefore()), expiresAt));
                case SELECTOR_NOT_SET -> Optional.empty();
            };
        }
    }

    /** Rules by id: what a tombstone removes. */
    private final Map<String, Rule> byId = new ConcurrentHashMap<>();
    private final Map<String, Rule> bySession = new ConcurrentHashMap<>();
    /** Per role (lower case) or source identity: the latest cut-off of its rules, and the rules. */
    private final Map<String, Map<String, Rule>> byRole = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Rule>> bySourceIdentity = new ConcurrentHashMap<>();
    private final Map<String, Instant> roleCutOff = new ConcurrentHashMap<>();
    private final Map<String, Instant> sourceIdentityCutOff = new ConcurrentHashMap<>();
    private final Map<String, Rule> timeRules = new ConcurrentHashMap<>();
    private volatile Instant latestIssuedBefore;

    static String roleKey(String roleArn) {
        return roleArn.toLowerCase(Locale.ROOT);
    }

    /**
     * Applies one record of the topic: a {@code SessionsRevoked} keyed by its revocation id adds a
     * rule, a tombstone removes the rule of its key.
     *
     * @return {@link CompactedTopicReader#APPLIED}, {@link CompactedTopicReader#REMOVED} or why it was skipped
     */
    public String apply(String key, byte[] value, Instant now) {
        if (key == null) {
            return "no-key";
        }
        if (value == null) {
            remove(key);
            return CompactedTopicReader.REMOVED;
        }
        StsEvent event;
        try {
            event = StsEvent.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            return "undecodable";
        }
        if (!event.hasSessionsRevoked()) {
            return "other-event";
        }
        Optional<Rule> rule = Rule.of(event.getSessionsRevoked());
        if (rule.isEmpty()) {
            return "incomplete";
        }
        if (!rule.get().id().equals(key)) {
            return "key-mismatch";
        }
        if (!rule.get().expiresAt().isAfter(now)) {
            // Expired before it was read (its tombstone may follow): no session it covers is valid.
            remove(key);
            return CompactedTopicReader.APPLIED;
        }
        add(rule.get());
        return CompactedTopicReader.APPLIED;
    }

    public void add(Rule r) {
        remove(r.id());
        byId.put(r.id(), r);
        switch (r.kind()) {
            case SESSION_ID -> bySession.put(r.value(), r);
            case ROLE_ARN -> index(byRole, roleCutOff, r);
            case SOURCE_IDENTITY -> index(bySourceIdentity, sourceIdentityCutOff, r);
            case ISSUED_BEFORE -> {
                timeRules.put(r.id(), r);
                latestIssuedBefore = latest(timeRules);
            }
        }
    }

    public void remove(String id) {
        Rule r = byId.remove(id);
        if (r == null) {
            return;
        }
        switch (r.kind()) {
            case SESSION_ID -> bySession.remove(r.value(), r);
            case ROLE_ARN -> unindex(byRole, roleCutOff, r);
            case SOURCE_IDENTITY -> unindex(bySourceIdentity, sourceIdentityCutOff, r);
            case ISSUED_BEFORE -> {
                timeRules.remove(r.id());
                latestIssuedBefore = latest(timeRules);
            }
        }
    }

    /** Drops every rule that expired at {@code now}: no session it covers can still be valid. */
    public int expire(Instant now) {
        int n = 0;
        for (Rule r : byId.values()) {
            if (!r.expiresAt().isAfter(now)) {
                remove(r.id());
                n++;
            }
        }
        return n;
    }

    /** The id of a revocation that covers the session, if any: a few hash lookups. */
    public Optional<String> revocationOf(SessionClaims s) {
        Rule r = bySession.get(s.sessionId());
        if (r != null) {
            return Optional.of(r.id());
        }
        Instant issued = s.issuedAt();
        Instant latest = latestIssuedBefore;
        if (latest != null && issued.isBefore(latest)) {
            return Optional.of(coveringId(timeRules, s));
        }
        if (s.roleArn() != null) {
            String role = roleKey(s.roleArn());
            Instant cut = roleCutOff.get(role);
            if (cut != null && issued.isBefore(cut)) {
                return Optional.of(coveringId(byRole.getOrDefault(role, Map.of()), s));
            }
        }
        if (s.sourceIdentity() != null) {
            Instant cut = sourceIdentityCutOff.get(s.sourceIdentity());
            if (cut != null && issued.isBefore(cut)) {
                return Optional.of(coveringId(bySourceIdentity.getOrDefault(s.sourceIdentity(), Map.of()), s));
            }
        }
        return Optional.empty();
    }

    /** How many rules are in force. */
    public int size() {
        return byId.size();
    }

    private static String coveringId(Map<String, Rule> rules, SessionClaims s) {
        // The cut-off said a rule covers it; a concurrent removal may have taken it since: still revoked.
        return rules.values().stream().filter(r -> r.covers(s)).map(Rule::id).findFirst().orElse("(removed)");
    }

    private static void index(Map<String, Map<String, Rule>> index, Map<String, Instant> cutOffs, Rule r) {
        Map<String, Rule> rules = new HashMap<>(index.getOrDefault(r.value(), Map.of()));
        rules.put(r.id(), r);
        index.put(r.value(), Map.copyOf(rules));
        cutOffs.put(r.value(), latest(rules));
    }

    private static void unindex(Map<String, Map<String, Rule>> index, Map<String, Instant> cutOffs, Rule r) {
        Map<String, Rule> rules = new HashMap<>(index.getOrDefault(r.value(), Map.of()));
        rules.remove(r.id());
        if (rules.isEmpty()) {
            cutOffs.remove(r.value());
            index.remove(r.value());
        } else {
            // Publish the new cut-off after the rules: a reader between the two sees a later cut-off
            // than the rules hold, which covers more, never less.
            index.put(r.value(), Map.copyOf(rules));
            cutOffs.put(r.value(), latest(rules));
        }
    }

    private static Instant latest(Map<String, Rule> rules) {
        return rules.values().stream().map(Rule::cutOff).max(Instant::compareTo).orElse(null);
    }
}
