package dev.sts.kit.grpc;

import java.nio.charset.StandardCharsets;

/**
 * The {@code grpc-message} encoding of the gRPC over HTTP/2 spec: "Percent-Encoded ... Percent-encode
 * all bytes of the UTF-8 encoded message that are not in the range 0x20-0x7E (printable ASCII), and
 * '%' itself" (grpc/grpc doc/PROTOCOL-HTTP2.md, "Responses"). Nothing else is escaped, so clients that
 * decode leniently (grpc-js uses {@code decodeURI}, which leaves {@code %3A} alone) still show
 * {@code User: arn:aws:...} instead of {@code User%3A arn%3Aaws...}.
 */
public final class StatusMessages {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private StatusMessages() {
    }

    public static String encode(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
