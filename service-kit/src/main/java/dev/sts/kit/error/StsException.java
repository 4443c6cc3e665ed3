package dev.sts.kit.error;

import java.util.Map;
import java.util.Objects;

/**
 * A failure with a catalogued code and a message that is safe to show the caller. The only
 * exception type domain code throws on purpose; everything else becomes {@code InternalFailure}.
 *
 * @param field the request field at fault, for {@code INVALID_ARGUMENT} errors (snake_case, as in
 *     the proto), or {@code null}
 */
public class StsException extends RuntimeException {
    private final ErrorCode code;
    private final String field;
    private final Map<String, String> metadata;

    public StsException(ErrorCode code, String message) {
        this(code, message, null, Map.of(), null);
    }

    public StsException(ErrorCode code, String message, String field) {
        this(code, message, field, Map.of(), null);
    }

    public StsException(ErrorCode code, String message, String field, Map<String, String> metadata, Throwable cause) {
        super(message, cause, false, false);
        this.code = Objects.requireNonNull(code);
        this.field = field;
        this.metadata = Map.copyOf(metadata);
    }

    public static StsException invalid(String field, String message) {
        return new StsException(ErrorCode.VALIDATION_ERROR, message, field);
    }

    public static StsException accessDenied(String message) {
        return new StsException(ErrorCode.ACCESS_DENIED, message);
    }

    public static StsException unavailable(String message, Throwable cause) {
        return new StsException(ErrorCode.SERVICE_UNAVAILABLE, message, null, Map.of(), cause);
    }

    public ErrorCode code() {
        return code;
    }

    public String field() {
        return field;
    }

    public Map<String, String> metadata() {
        return metadata;
    }
}
