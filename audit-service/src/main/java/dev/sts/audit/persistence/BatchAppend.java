package dev.sts.audit.persistence;

import dev.sts.audit.domain.AuditEntry;
import dev.sts.audit.domain.ChainHash;
import dev.sts.audit.domain.IndexedAttributes;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.AuditRecord;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Appends a batch of entries in a fixed number of round trips, whatever its size, inside the
 * caller's transaction:
 * <ol>
 * <li>if asked, which of the batch's event ids are stored already ({@code = ANY(uuid[])}, the
 * unique index);</li>
 * <li>the head (last sequence and hash) of every chain the batch extends (one lateral query over
 * the {@code (chain_id, sequence)} unique index);</li>
 * <li>every new row in one binary {@code COPY} ({@link CopyRows}), streamed while the chain is
 * computed.</li>
 * </ol>
 * The chain is computed here, across the batch, in the batch's (Kafka) order. An event id that
 * appears twice in the batch, or that is stored already, is skipped, so redelivery stores nothing
 * twice and the chain links only rows that exist.
 *
 * <p>Two writers on one chain (the short overlap of a rebalance) cannot both extend the same head:
 * the second insert fails on {@code audit_chain_position} or on the event id (SQLState 23505),
 * which {@link SqlErrors} treats as unavailability; the caller retries, and this class then reads
 * the new head and skips what the other writer stored.
 *
 * <p>A value the database refuses (too long, invalid bytes) fails the whole statement as data; the
 * caller then stores the records one by one to find it (ADR 005).
 */
final class BatchAppend {
    /** The columns of a row, in the order {@link #append} writes them. */
    private static final int COLUMNS = 20;
    private static final String COPY = "COPY audit_records (event_id, chain_id, sequence, previous_hash, record_hash, "
            + "event_time, event_name, outcome, principal_arn, role_arn, session_id, access_key_id, source_identity, "
            + "account_id, source_offset, record, session_name, error_code, resource_arn, caller_session_id) "
            + "FROM STDIN (FORMAT binary)";
    private static final String HEADS = "SELECT c.chain_id, h.sequence, h.record_hash FROM unnest(?::varchar[]) AS c(chain_id) "
            + "JOIN LATERAL (SELECT sequence, record_hash FROM audit_records r WHERE r.chain_id = c.chain_id "
            + "ORDER BY sequence DESC LIMIT 1) h ON true";

    private record Head(long sequence, String hash) {
    }

    private BatchAppend() {
    }

    /**
     * Appends what is new in the batch on {@code c} (auto-commit off; the caller commits); returns
     * how many rows. With {@code checkStored} false, the event ids are not looked up first: an id
     * stored already then fails the COPY on the unique index (SQLState 23505), and the caller rolls
     * back and appends again with the check ({@link JdbcAuditLog#append}).
     */
    static int append(Connection c, List<AuditEntry> batch, boolean checkStored) throws SQLException {
        Map<UUID, AuditEntry> byId = new LinkedHashMap<>();
        for (AuditEntry e : batch) {
            byId.putIfAbsent(UUID.fromString(e.record().getEventId()), e);
        }
        if (checkStored) {
            byId.keySet().removeAll(stored(c, byId.keySet()));
        }
        if (byId.isEmpty()) {
            return 0;
        }
        Map<String, Head> heads = heads(c, byId.values());
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
        try {
            CopyRows rows = new CopyRows(copy);
            for (Map.Entry<UUID, AuditEntry> e : byId.entrySet()) {
                AuditEntry in = e.getValue();
                AuditRecord r = in.record();
                String chain = in.chainId(); // built per call: once per entry here
                Head head = heads.getOrDefault(chain, new Head(0, ChainHash.GENESIS));
                byte[] bytes = r.toByteArray();
                String hash = ChainHash.next(head.hash(), bytes);
                heads.put(chain, new Head(head.sequence() + 1, hash));
                // the columns LookupEvents filters and GetSessionLineage follow, from one place (ADR 020)
                IndexedAttributes indexed = IndexedAttributes.of(r);
                rows.row(COLUMNS);
                rows.uuid(e.getKey());
                rows.text(chain);
                rows.int8(head.sequence() + 1);
                rows.text(head.hash());
                rows.text(hash);
                rows.timestamptz(Timestamps.toInstant(r.getEventTime()));
                rows.text(r.getEventName());
                rows.text(r.getOutcome());
                rows.text(r.getUserIdentity().getArn());
                rows.text(indexed.roleArn());
                rows.text(emptyToNull(r.getSessionId()));
                rows.text(emptyToNull(r.getAccessKeyId()));
                rows.text(emptyToNull(r.getSourceIdentity()));
                rows.text(emptyToNull(r.getRecipientAccountId()));
                rows.int8(in.offset());
                rows.bytes(bytes);
                rows.text(indexed.sessionName());
                rows.text(indexed.errorCode());
                rows.text(indexed.resourceArn());
                rows.text(indexed.callerSessionId());
            }
            rows.finish();
            return Math.toIntExact(copy.endCopy());
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static Set<UUID> stored(Connection c, Set<UUID> ids) throws SQLException {
        Set<UUID> stored = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT event_id FROM audit_records WHERE event_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return stored;
    }

    private static Map<String, Head> heads(Connection c, Iterable<AuditEntry> entries) throws SQLException {
        Set<String> chains = new HashSet<>();
        entries.forEach(e -> chains.add(e.chainId()));
        Map<String, Head> heads = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(HEADS)) {
            ps.setArray(1, text(c, chains.toArray(String[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    heads.put(rs.getString(1), new Head(rs.getLong(2), rs.getString(3)));
                }
            }
        }
        return heads;
    }

    private static Array text(Connection c, String[] values) throws SQLException {
        return c.createArrayOf("varchar", values);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

}
