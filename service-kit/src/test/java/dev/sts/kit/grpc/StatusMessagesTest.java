package dev.sts.kit.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class StatusMessagesTest {

    @Test
    void printableAsciiTravelsAsItIs() {
        String message = "User: arn:aws:iam::000000000000:user/intruder is not authorized to perform: iam:CreateRole"
                + " on resource: arn:aws:iam::000000000000:role/a,b+c=d@e_f-g (\"quoted\") <x> [y] {z} ~ \\";
        assertThat(StatusMessages.encode(message)).isEqualTo(message);
    }

    @Test
    void percentControlAndNonAsciiBytesArePercentEncoded() {
        assertThat(StatusMessages.encode("100% done")).isEqualTo("100%25 done");
        assertThat(StatusMessages.encode("line\nbreak\ttab")).isEqualTo("line%0Abreak%09tab");
        assertThat(StatusMessages.encode("Rolé ✓")).isEqualTo("Rol%C3%A9 %E2%9C%93");
        assertThat(StatusMessages.encode("\u007f")).isEqualTo("%7F");
    }

    @Test
    void grpcJavaDecodesItBackToTheOriginal() throws Exception {
        String message = "User: arn:aws:iam::0:user/ü 100% \n done";
        Metadata trailers = new Metadata();
        trailers.put(Metadata.Key.of("grpc-message", Metadata.ASCII_STRING_MARSHALLER), StatusMessages.encode(message));
        // Status.MESSAGE_KEY (package-private) is the key grpc-java's client reads the description with.
        var field = Status.class.getDeclaredField("MESSAGE_KEY");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        Metadata.Key<String> messageKey = (Metadata.Key<String>) field.get(null);
        assertThat(trailers.get(messageKey)).isEqualTo(message);
    }
}
