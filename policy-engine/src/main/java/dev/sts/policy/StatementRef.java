package dev.sts.policy;

/**
 * Identifies a statement for decisions and audit: the policy's name (as given by the caller, or
 * a label such as {@code identity[0]}), the statement's 0-based index and its Sid (or null).
 */
public record StatementRef(String policy, int index, String sid) {

    @Override
    public String toString() {
        return policy + "/" + (sid != null && !sid.isEmpty() ? sid : "Statement[" + index + "]");
    }
}
