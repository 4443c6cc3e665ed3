package dev.sts.token.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every fact of the row is bound: change any one and the sealed key no longer opens. */
class SealedKeysBindingTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00.123Z");
    static final SealedKeys.Binding ROW = new SealedKeys.Binding("kid-1", "ES256", "{\"x\":\"1\"}", T, T.plusSeconds(60),
            T.plusSeconds(120));

    @Test
    void opensOnlyWithTheRowItWasSealedFor() {
        SealedKeys keys = new SealedKeys(SealedKeysTest.KEK);
        byte[] sealed = keys.seal(ROW, "{\"d\":\"private\"}");
        assertThat(keys.open(ROW, sealed)).isEqualTo("{\"d\":\"private\"}");
        for (SealedKeys.Binding altered : List.of(
                new SealedKeys.Binding("kid-2", "ES256", ROW.publicJwk(), T, ROW.signUntil(), ROW.publishUntil()),
                new SealedKeys.Binding("kid-1", "EdDSA", ROW.publicJwk(), T, ROW.signUntil(), ROW.publishUntil()),
                new SealedKeys.Binding("kid-1", "ES256", "{\"x\":\"2\"}", T, ROW.signUntil(), ROW.publishUntil()),
                new SealedKeys.Binding("kid-1", "ES256", ROW.publicJwk(), T.minusMillis(1), ROW.signUntil(), ROW.publishUntil()),
                new SealedKeys.Binding("kid-1", "ES256", ROW.publicJwk(), T, ROW.signUntil().plusMillis(1), ROW.publishUntil()),
                new SealedKeys.Binding("kid-1", "ES256", ROW.publicJwk(), T, ROW.signUntil(), ROW.publishUntil().plusSeconds(86400)))) {
            assertThatThrownBy(() -> keys.open(altered, sealed)).as(altered.toString()).hasMessageContaining("cannot be opened");
        }
        // A seal of the old format does not open as a bound one, and the other way round.
        assertThatThrownBy(() -> keys.open(ROW, keys.seal("kid-1", "{}"))).hasMessageContaining("cannot be opened");
        assertThatThrownBy(() -> keys.open("kid-1", sealed)).hasMessageContaining("cannot be opened");
    }
}
