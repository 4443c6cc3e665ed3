package dev.sts.audit.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.audit.domain.AuditStoreException;
import dev.sts.audit.domain.AuditStoreUnavailableException;
import dev.sts.audit.domain.RecordRejectedException;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** Which failures dead-letter a record and which make ingestion wait. */
class SqlErrorsTest {
    @ParameterizedTest
    @CsvSource({
            "22001, rejected",    // value too long for type character varying(n)
            "22021, rejected",    // invalid byte sequence (U+0000 sent by the server path)
            "22023, rejected",    // pgjdbc: zero bytes may not occur in string parameters
            "23502, rejected",    // not-null violation
            "23514, rejected",    // check violation
            "54000, rejected",    // index row too large
            "23505, unavailable", // unique violation: a concurrent writer; the retry skips or relinks
            "08001, unavailable", // connection refused
            "08006, unavailable", // connection failure
            "57P01, unavailable", // administrator shutdown
            "53300, unavailable", // too many connections
            "40001, unavailable", // serialization failure
            "42501, unavailable", // insufficient privilege: configuration, never the record's fault
            "'', unavailable"})
    void classifies(String state, String expected) {
        AuditStoreException e = SqlErrors.translate(new SQLException("boom", state.isEmpty() ? null : state));
        assertThat(e).isInstanceOf(expected.equals("rejected") ? RecordRejectedException.class : AuditStoreUnavailableException.class);
        assertThat(e.getMessage()).startsWith("SQLState " + (state.isEmpty() ? "none" : state));
    }

    @ParameterizedTest
    @CsvSource({"Zero bytes may not occur in string parameters."})
    void theReasonNamesTheCauseOnly(String message) {
        AuditStoreException e = SqlErrors.translate(new PSQLException(message, PSQLState.INVALID_PARAMETER_VALUE));
        assertThat(e).isInstanceOf(RecordRejectedException.class);
        assertThat(e.getMessage()).isEqualTo("SQLState 22023: " + message);
    }
}
