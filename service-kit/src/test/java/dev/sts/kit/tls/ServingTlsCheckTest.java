package dev.sts.kit.tls;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServingTlsCheckTest {
    static final Optional<Integer> PORT = Optional.of(8081);

    @Test
    void aCertificateOnTheSharedPortRequiresPlaintextDisabled() {
        assertThatThrownBy(() -> ServingTlsCheck.check(true, Optional.empty(), PORT, PORT))
                .hasMessageContaining("QUARKUS_HTTP_INSECURE_REQUESTS=disabled");
        assertThatThrownBy(() -> ServingTlsCheck.check(true, Optional.of("enabled"), PORT, PORT))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ServingTlsCheck.check(true, Optional.of("redirect"), PORT, PORT))
                .isInstanceOf(IllegalStateException.class);
        assertThatCode(() -> ServingTlsCheck.check(true, Optional.of("disabled"), PORT, PORT)).doesNotThrowAnyException();
    }

    @Test
    void plaintextAloneOrSeparatePortsPass() {
        assertThatCode(() -> ServingTlsCheck.check(false, Optional.empty(), PORT, PORT)).doesNotThrowAnyException();
        assertThatCode(() -> ServingTlsCheck.check(true, Optional.empty(), Optional.of(8443), PORT))
                .doesNotThrowAnyException();
    }
}
