package dev.sts.role.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sts.role.domain.Role;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** How roles and managed policies store the values they share: tags as a JSON column, times in UTC. */
final class Columns {
    private static final TypeReference<List<Role.Tag>> TAGS = new TypeReference<>() {
    };

    private Columns() {
    }

    static String tags(ObjectMapper json, List<Role.Tag> tags) {
        try {
            return json.writeValueAsString(tags);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The tags stored in a column; {@code owner} names the row in the error of a corrupt column. */
    static List<Role.Tag> tags(ObjectMapper json, String column, String owner) {
        try {
            return json.readValue(column, TAGS);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("corrupt tags of " + owner, ex);
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
