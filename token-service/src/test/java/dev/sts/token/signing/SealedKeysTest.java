package dev.sts.token.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SealedKeysTest {
    static final String KEK = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final String OTHER = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));

    @Test
    void sealsAndOpensAndNeverStoresThePlaintext() {
        SealedKeys keys = new SealedKeys(KEK);
        byte[] sealed = keys.seal("kid-1", "{\"d\":\"private\"}");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("private");
        assertThat(keys.open("kid-1", sealed)).isEqualTo("{\"d\":\"private\"}");
    }

    @Test
    void wrongKeyEncryptionKeyOrSwappedRowIsRefused() {
        byte[] sealed = new SealedKeys(KEK).seal("kid-1", "{}");
        assertThatThrownBy(() -> new SealedKeys(OTHER).open("kid-1", sealed)).hasMessageContaining("cannot be opened");
        assertThatThrownBy(() -> new SealedKeys(KEK).open("kid-2", sealed)).hasMessageContaining("cannot be opened");
    }

    @Test
    void keyEncryptionKeyMustBe32Bytes() {
        assertThatThrownBy(() -> new SealedKeys(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("must be 32 bytes");
        assertThatThrownBy(() -> new SealedKeys("not base64!")).hasMessageContaining("not base64");
    }
}
