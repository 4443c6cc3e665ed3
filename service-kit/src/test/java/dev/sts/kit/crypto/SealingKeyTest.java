package dev.sts.kit.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SealingKeyTest {
    static final String KEK = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final String OTHER = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";
    static final byte[] LABEL = "test/v1".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aSealOpensOnlyWithTheSameKeyAndAssociatedData() throws Exception {
        SealingKey key = SealingKey.fromBase64(KEK, "test.kek");
        byte[] aad = SealingKey.associatedData(LABEL, "kid-1", "ES256");
        byte[] sealed = key.seal(aad, "secret".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("secret");
        assertThat(key.open(aad, sealed)).asString(StandardCharsets.UTF_8).isEqualTo("secret");
        assertThat(key.seal(aad, "secret".getBytes(StandardCharsets.UTF_8))).as("a fresh nonce per seal").isNotEqualTo(sealed);

        assertThatThrownBy(() -> SealingKey.fromBase64(OTHER, "test.kek").open(aad, sealed)).isInstanceOf(SealingKey.Unopenable.class);
        assertThatThrownBy(() -> key.open(SealingKey.associatedData(LABEL, "kid-2", "ES256"), sealed))
                .isInstanceOf(SealingKey.Unopenable.class);
        byte[] flipped = sealed.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThatThrownBy(() -> key.open(aad, flipped)).isInstanceOf(SealingKey.Unopenable.class);
        assertThatThrownBy(() -> key.open(aad, Arrays.copyOf(sealed, 12))).hasMessageContaining("truncated");
    }

    @Test
    void fieldsAreLengthPrefixedSoNoTwoListsEncodeAlike() {
        assertThat(SealingKey.associatedData(LABEL, "ab", "c")).isNotEqualTo(SealingKey.associatedData(LABEL, "a", "bc"));
        assertThat(SealingKey.associatedData(LABEL, "a")).isNotEqualTo(SealingKey.associatedData("other".getBytes(), "a"));
    }

    @Test
    void aKeyThatIsNotBase64Of32BytesIsRefusedByNameNeverByValue() {
        assertThatThrownBy(() -> SealingKey.fromBase64("not base64!", "sts.x.kek")).hasMessage("sts.x.kek is not base64");
        assertThatThrownBy(() -> SealingKey.fromBase64("c2hvcnQ=", "sts.x.kek"))
                .hasMessage("sts.x.kek must be 32 bytes (base64), got 5").hasMessageNotContaining("c2hvcnQ=");
    }
}
