package dev.sts.audit.domain;

import dev.sts.kit.error.StsException;
import dev.sts.proto.v1.AuditRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * LookupEvents' paging, for every front end (gRPC, and CloudTrail's JSON protocol): newest first,
 * with a keyset cursor, the (event time, row id) of a page's last record. A page starts strictly
 * after that position, so records inserted while a caller pages never shift the pages still to
 * come: a record stored before the first page is returned exactly once, and one stored meanwhile
 * at most once (in a later page when it is older than the cursor, else not at all, as it is newer
 * than where paging started).
 */
@ApplicationScoped
public class AuditSearch {
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 1000;
    /** Tokens this service writes are under 60 characters; a longer one is refused before decoding. */
    static final int MAX_TOKEN = 200;

    private final AuditLog log;

    public AuditSearch(AuditLog log) {
        this.log = log;
    }

    /** One page and the token of the next, {@code null} on the last page. */
    public record Page(List<AuditRecord> records, String nextPageToken) {
    }

    /**
     * @param pageToken a previous page's {@link Page#nextPageToken()}, or null / empty for the first page
     * @param pageSize 1-{@value #MAX_PAGE_SIZE}; 0 for {@value #DEFAULT_PAGE_SIZE}
     */
    public Page lookup(AuditQuery query, String pageToken, int pageSize) {
        int size = pageSize == 0 ? DEFAULT_PAGE_SIZE : pageSize;
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw StsException.invalid("page_size", "page_size must be between 1 and " + MAX_PAGE_SIZE);
        }
        Cursor after = cursor(pageToken);
        List<StoredRecord> rows = log.lookup(query, after, size + 1);
        List<AuditRecord> records = rows.stream().limit(size).map(StoredRecord::record).toList();
        String next = null;
        if (rows.size() > size) {
            next = Cursor.of(rows.get(size - 1)).encode();
        }
        return new Page(records, next);
    }

    /** The position a token names, or null for none; a token this service did not write is the caller's error. */
    public static Cursor cursor(String pageToken) {
        if (pageToken == null || pageToken.isEmpty()) {
            return null;
        }
        if (pageToken.length() > MAX_TOKEN) {
            throw StsException.invalid("page_token", "page_token is not a token this service returned");
        }
        return Cursor.decode(pageToken);
    }
}
