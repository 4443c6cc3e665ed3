package dev.sts.cluster;

/**
 * A failure of the local cluster with a message meant for a person (one line, or a line plus a
 * log excerpt). The CLI prints the message without a stack trace.
 */
public class ClusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The innermost cause's type and message: what a one-line error should say about it. */
    static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getClass().getSimpleName() + ": " + r.getMessage();
    }
}
