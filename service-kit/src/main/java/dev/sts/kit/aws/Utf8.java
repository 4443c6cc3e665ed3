package dev.sts.kit.aws;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding: malformed input is refused, never replaced with U+FFFD. */
final class Utf8 {
    private Utf8() {
    }

    static String decode(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new StsException(ErrorCode.MALFORMED_QUERY_STRING, "the " + what + " is not valid UTF-8");
        }
    }
}
