package dev.sts.kit.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxyForwardingTest {
    @Test
    void forwardingRequiresNamedTrustedProxies() {
        assertThat(ProxyForwarding.problem(true, Optional.empty())).get().asString().contains("trusted-proxies");
        assertThat(ProxyForwarding.problem(true, Optional.of(List.of(" ")))).isPresent();
        assertThat(ProxyForwarding.problem(true, Optional.of(List.of("10.0.0.0/8")))).isEmpty();
    }

    @Test
    void withoutForwardingNothingIsRequired() {
        assertThat(ProxyForwarding.problem(false, Optional.empty())).isEmpty();
    }
}
