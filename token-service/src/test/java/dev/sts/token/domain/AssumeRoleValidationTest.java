package dev.sts.token.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssumeRoleValidationTest {

    static void assertInvalid(Runnable r, String field) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(StsException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.field()).isEqualTo(field);
        });
    }

    @Test
    void durationDefaultsAndLimits() {
        assertThat(AssumeRoleValidation.duration(0, 3600, false)).isEqualTo(3600);
        assertThat(AssumeRoleValidation.duration(900, 3600, false)).isEqualTo(900);
        assertThat(AssumeRoleValidation.duration(43200, 43200, false)).isEqualTo(43200);
        assertInvalid(() -> AssumeRoleValidation.duration(899, 3600, false), "duration_seconds");
        assertInvalid(() -> AssumeRoleValidation.duration(7200, 3600, false), "duration_seconds");
        // Role chaining caps sessions at one hour whatever the role allows.
        assertInvalid(() -> AssumeRoleValidation.duration(7200, 43200, true), "duration_seconds");
        assertThat(AssumeRoleValidation.duration(3600, 43200, true)).isEqualTo(3600);
    }

    @Test
    void namesAndIdentifiers() {
        AssumeRoleValidation.sessionName("i-0abc123");
        assertInvalid(() -> AssumeRoleValidation.sessionName("x"), "role_session_name");
        assertInvalid(() -> AssumeRoleValidation.sessionName("has space"), "role_session_name");
        assertInvalid(() -> AssumeRoleValidation.sessionName("a".repeat(65)), "role_session_name");
        AssumeRoleValidation.externalId("Unique-ID-0000");
        assertInvalid(() -> AssumeRoleValidation.externalId("x"), "external_id");
        AssumeRoleValidation.sourceIdentity("alice@example.com");
        assertInvalid(() -> AssumeRoleValidation.sourceIdentity("aws:alice"), "source_identity");
    }

    @Test
    void transitiveKeysMustBeSessionTags() {
        AssumeRoleValidation.tags(Map.of("team", "blue"), List.of("Team"));
        assertInvalid(() -> AssumeRoleValidation.tags(Map.of("team", "blue"), List.of("project")), "transitive_tag_keys");
        assertInvalid(() -> AssumeRoleValidation.tags(Map.of("k", "v".repeat(257)), List.of()), "tags");
    }
}
