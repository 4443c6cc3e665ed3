package dev.sts.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

    private static final VariableSource VARS = Map.of("aws:username", "alice", "aws:principaltag/team", "blue")::get;

    private static String resolve(String raw) {
        Template.Resolved r = Template.parse(raw, true).resolve(VARS);
        return r == null ? null : r.text();
    }

    @Test
    void substitutesKeysCaseInsensitively() {
        assertThat(resolve("home/${aws:username}/")).isEqualTo("home/alice/");
        assertThat(resolve("home/${AWS:UserName}/")).isEqualTo("home/alice/");
        assertThat(resolve("${aws:PrincipalTag/team}-${aws:username}")).isEqualTo("blue-alice");
    }

    @Test
    void missingWithoutDefaultIsUnresolved() {
        assertThat(resolve("x/${aws:userid}")).isNull();
    }

    @Test
    void defaults() {
        assertThat(resolve("x/${aws:userid, 'anonymous'}")).isEqualTo("x/anonymous");
        assertThat(resolve("x/${aws:userid,'anon'}")).isEqualTo("x/anon");
        assertThat(resolve("x/${ aws:userid , 'a b' }")).isEqualTo("x/a b");
        assertThat(resolve("x/${aws:userid, 'it''s'}")).isEqualTo("x/it's");
        assertThat(resolve("x/${aws:username, 'unused'}")).isEqualTo("x/alice");
        assertThat(resolve("x/${aws:userid, ''}")).isEqualTo("x/");
        assertThat(resolve("${aws:userid, '${aws:username}'}")).isEqualTo("${aws:username}"); // one pass only
    }

    @Test
    void escapesAreLiteral() {
        Template.Resolved r = Template.parse("a${*}b${?}c${$}d*", true).resolve(VARS);
        assertThat(r.text()).isEqualTo("a*b?c$d*");
        assertThat(r.literal()).containsExactly(false, true, false, true, false, true, false, false);
        Wildcard w = r.toBuilder().build(false);
        assertThat(w.matches("a*b?c$dxyz")).isTrue();
        assertThat(w.matches("aXb?c$d")).isFalse();
        assertThat(Template.parse("a${*}", true).hasVariables()).isFalse();
    }

    @Test
    void malformedVariablesStayText() {
        assertThat(resolve("${aws:username")).isEqualTo("${aws:username");
        assertThat(resolve("${}")).isEqualTo("${}");
        assertThat(resolve("${a b}")).isEqualTo("${a b}");
        assertThat(resolve("${aws:userid, anonymous}")).isEqualTo("${aws:userid, anonymous}");
        assertThat(resolve("${aws:userid, 'x}")).isEqualTo("${aws:userid, 'x}");
        assertThat(resolve("$${aws:username}")).isEqualTo("$alice");
    }

    @Test
    void disabledMeansPlainText() {
        Template t = Template.parse("home/${aws:username}/${*}", false);
        assertThat(t.hasVariables()).isFalse();
        assertThat(t.staticResolved().text()).isEqualTo("home/${aws:username}/${*}");
        assertThat(t.staticResolved().toBuilder().build(false).matches("home/${aws:username}/${anything}")).isTrue();
    }

    @Test
    void theTextAsWritten() {
        Template t = Template.parse("home/${aws:username}/${*}", true);
        assertThat(t.raw()).isEqualTo("home/${aws:username}/${*}");
        assertThat(t).hasToString("home/${aws:username}/${*}");
        assertThat(t.hasVariables()).isTrue();
        assertThat(t.staticResolved()).isNull();
    }

    @Test
    void variableKeys() {
        assertThat(Template.parse("${aws:username}/${aws:PrincipalTag/Team, 'x'}", true).variableKeys())
                .containsExactly("aws:username", "aws:principaltag/team");
    }

    /** Variable syntax cut short at any point is not a variable: the characters stay text. */
    @Test
    void truncatedVariablesStayText() {
        for (String raw : new String[] {"x/${aws:userid,", "x/${aws:userid, ", "x/${aws:userid, 'd", "x/${aws:userid, 'd'",
                "x/${aws:userid, 'd' ", "x/${aws:userid, 'd''", "x/${aws:userid, 'd'x}"}) {
            assertThat(resolve(raw)).as(raw).isEqualTo(raw);
        }
        assertThat(resolve("${aws:username}$")).isEqualTo("alice$");
        assertThat(resolve("${aws:username}${")).isEqualTo("alice${");
    }

    /** Substituted text of any length is matched literally, character for character. */
    @Test
    void longSubstitutionsAreLiteralThroughout() {
        String value = "a*".repeat(200);
        Template.Resolved r = Template.parse("p/${aws:username}/*", true).resolve(Map.of("aws:username", value)::get);
        assertThat(r.text()).isEqualTo("p/" + value + "/*");
        boolean[] literal = r.literal();
        assertThat(literal).hasSize(r.text().length());
        for (int i = 0; i < literal.length; i++) {
            assertThat(literal[i]).as("position %d", i).isEqualTo(i >= 2 && i < 2 + value.length());
        }
        Wildcard w = r.toBuilder().build(false);
        assertThat(w.matches("p/" + value + "/anything")).isTrue();
        assertThat(w.matches("p/" + value.replace('*', 'x') + "/anything")).isFalse();
    }
}
