package dev.sts.token.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.util.List;
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

    static AssumeRoleService.Command command(List<SessionTag> tags, List<String> transitive) {
        return new AssumeRoleService.Command("arn:aws:iam::000000000000:role/R", "session", null, List.of(), 0, tags,
                transitive, null, null);
    }

    @Test
    void transitiveKeysMustBeSessionTagsIgnoringCase() {
        assertThat(AssumeRoleValidation.validate(command(List.of(new SessionTag("Team", "blue")), List.of("team", "TEAM")))
                .transitiveTagKeys()).containsExactly("Team");
        assertInvalid(() -> AssumeRoleValidation.validate(command(List.of(new SessionTag("team", "blue")), List.of("project"))),
                "transitive_tag_keys");
        assertInvalid(() -> AssumeRoleValidation.validate(command(List.of(new SessionTag("k", "v".repeat(257))), List.of())),
                "tags");
        assertInvalid(() -> AssumeRoleValidation.validate(command(
                List.of(new SessionTag("Team", "blue"), new SessionTag("team", "red")), List.of())), "tags");
    }

    @Test
    void countsAreCheckedBeforeAnythingLooksInsideTheValues() {
        // 51 tags whose keys would each fail the pattern: the count is what is reported.
        List<SessionTag> many = java.util.stream.IntStream.range(0, 51).mapToObj(i -> new SessionTag("#" + i, "v")).toList();
        assertThatThrownBy(() -> AssumeRoleValidation.validate(command(many, List.of())))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.getMessage()).contains("at most 50"));
    }

    @Test
    void minifiedSessionPolicyKeepsStringsIntact() {
        String policy = "{ \"Version\" : \"2012-10-17\",\n \"Statement\": [ { \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\","
                + " \"Resource\": \"arn:aws:s3:::a b/*\" } ] }";
        assertThat(AssumeRoleValidation.sessionPolicy(policy, List.of())).isEqualTo(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                        + "\"Resource\":\"arn:aws:s3:::a b/*\"}]}");
        assertThat(PolicyText.minify("{ \"a\" : \"x \\\" y\" }")).isEqualTo("{\"a\":\"x \\\" y\"}");
    }
}
