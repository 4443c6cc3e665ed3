package dev.sts.role.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A write that lost a race is tried again on a fresh read, a bounded number of times. */
class RetriesTest {

    @Test
    void aConflictIsRetriedUntilTheWriteLands() {
        AtomicInteger attempts = new AtomicInteger();
        String result = Retries.onConflict("role R", () -> attempts.incrementAndGet() < 4
                ? Uni.createFrom().failure(new Retries.Conflict())
                : Uni.createFrom().item("written")).await().atMost(Duration.ofSeconds(10));
        assertThat(result).isEqualTo("written");
        assertThat(attempts).hasValue(4);
    }

    @Test
    void afterTheLastAttemptTheCallerGetsConcurrentModificationAndNothingMore() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> Retries.onConflict("role R", () -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(new Retries.Conflict());
        }).await().atMost(Duration.ofSeconds(30))).isInstanceOfSatisfying(StsException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONCURRENT_MODIFICATION);
            assertThat(e.code().grpcCode()).isEqualTo(io.grpc.Status.Code.ABORTED);
            assertThat(e.getMessage()).contains("role R").contains("send the request again");
        });
        assertThat(attempts).hasValue(Retries.MAX_ATTEMPTS);
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> Retries.onConflict("role R", () -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(new StsException(ErrorCode.NO_SUCH_ENTITY, "gone"));
        }).await().atMost(Duration.ofSeconds(5))).isInstanceOfSatisfying(StsException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_ENTITY));
        assertThat(attempts).hasValue(1);
    }
}
