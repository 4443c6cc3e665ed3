package dev.sts.policy.json;

/** A JSON syntax error with its position (1-based line and column) and a short reason. */
public final class JsonSyntaxException extends RuntimeException {

    private final int line;
    private final int column;
    private final String reason;

    public JsonSyntaxException(int line, int column, String reason) {
        super("line " + line + ", column " + column + ": " + reason, null, false, false);
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String reason() {
        return reason;
    }
}
