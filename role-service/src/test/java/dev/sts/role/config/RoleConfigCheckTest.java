package dev.sts.role.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** sts.role.max-attached-policies takes IAM's range, 1-20; anything else stops the service at start. */
class RoleConfigCheckTest {

    static RoleConfig attached(int max) {
        return new RoleConfig() {
            @Override
            public Duration outboxInterval() {
                return Duration.ofMillis(500);
            }

            @Override
            public int outboxBatchSize() {
                return 100;
            }

            @Override
            public Duration outboxMaxBackoff() {
                return Duration.ofSeconds(5);
            }

            @Override
            public int maxAttachedPolicies() {
                return max;
            }
        };
    }

    @Test
    void iamsRangeIsAccepted() {
        assertThatCode(() -> RoleConfigCheck.check(attached(10))).doesNotThrowAnyException();
        assertThatCode(() -> RoleConfigCheck.check(attached(20))).doesNotThrowAnyException();
        assertThatCode(() -> RoleConfigCheck.check(attached(1))).doesNotThrowAnyException();
    }

    @Test
    void valuesOutsideItNameTheSetting() {
        for (int bad : new int[] {0, 21, -5}) {
            assertThatThrownBy(() -> RoleConfigCheck.check(attached(bad))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("sts.role.max-attached-policies");
        }
    }
}
