package dev.sts.policy;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * Policy size accounting as IAM does it: "policy size calculations do not include white space
 * characters". Callers enforce the quotas with these constants (IAM and AWS STS quotas).
 */
public final class PolicySize {

    /** A customer managed policy (also a permissions boundary). */
    public static final int MANAGED_POLICY_MAX = 6_144;
    /** All inline policies of one role, together. */
    public static final int ROLE_INLINE_POLICIES_TOTAL_MAX = 10_240;
    /** All inline policies of one user, together. */
    public static final int USER_INLINE_POLICIES_TOTAL_MAX = 2_048;
    /** All inline policies of one group, together. */
    public static final int GROUP_INLINE_POLICIES_TOTAL_MAX = 5_120;
    /** A role trust policy (the default quota; AWS lets it be raised to 4,096). */
    public static final int TRUST_POLICY_MAX = 2_048;
    /** The plaintext of the inline session policy plus managed session policy ARNs of one call. */
    public static final int SESSION_POLICY_MAX = 2_048;
    /** At most this many managed session policy ARNs per AssumeRole* call. */
    public static final int MANAGED_SESSION_POLICIES_MAX = 10;
    /**
     * The budget of the packed (compressed) form of session policies and session tags that
     * {@link #packedPolicySizePercent} measures against. AWS does not publish its packed format;
     * this engine's is DEFLATE over the whitespace-free policy, the ARNs and the tags.
     */
    public static final int PACKED_POLICY_BUDGET_BYTES = 2_048;

    private PolicySize() {
    }

    /** Characters excluding whitespace (counted in Unicode code points). */
    public static int of(String document) {
        int n = 0;
        for (int i = 0; i < document.length(); ) {
            int cp = document.codePointAt(i);
            if (!Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) {
                n++;
            }
            i += Character.charCount(cp);
        }
        return n;
    }

    /** The summed size of several documents (e.g. all inline policies of a role). */
    public static int total(Collection<String> documents) {
        int n = 0;
        for (String d : documents) {
            n += of(d);
        }
        return n;
    }

    /**
     * Throws {@link MalformedPolicyException} with code {@code LimitExceeded} when {@code size}
     * exceeds {@code max}; {@code what} names the quota ("inline policies of role Dev").
     */
    public static void requireWithin(int size, int max, String what) {
        if (size > max) {
            throw new MalformedPolicyException(MalformedPolicyException.LIMIT_EXCEEDED, "Policy",
                    "size " + size + " exceeds the " + max + "-character quota for " + what
                            + " (whitespace not counted)");
        }
    }

    /**
     * Checks the AssumeRole* session-policy plaintext quota: the inline session policy (whitespace
     * excluded) plus the managed policy ARNs must stay within {@link #SESSION_POLICY_MAX}.
     */
    public static void requireSessionPoliciesWithin(String inlineSessionPolicy, List<String> managedPolicyArns) {
        if (managedPolicyArns.size() > MANAGED_SESSION_POLICIES_MAX) {
            throw new MalformedPolicyException(MalformedPolicyException.LIMIT_EXCEEDED, "PolicyArns",
                    "at most " + MANAGED_SESSION_POLICIES_MAX + " managed session policies may be passed");
        }
        int size = (inlineSessionPolicy == null ? 0 : of(inlineSessionPolicy));
        for (String arn : managedPolicyArns) {
            size += of(arn);
        }
        requireWithin(size, SESSION_POLICY_MAX, "session policies");
    }

    /**
     * The PackedPolicySize AssumeRole* reports: how full, in percent (rounded up), the packed form
     * of the session policy, managed policy ARNs and session tags is. Above 100 the call must fail
     * with {@code PackedPolicyTooLarge}.
     */
    public static int packedPolicySizePercent(String inlineSessionPolicy, List<String> managedPolicyArns,
                                              Map<String, String> sessionTags) {
        StringBuilder sb = new StringBuilder();
        if (inlineSessionPolicy != null) {
            inlineSessionPolicy.codePoints().filter(cp -> !Character.isWhitespace(cp)).forEach(sb::appendCodePoint);
        }
        for (String arn : managedPolicyArns) {
            sb.append('\n').append(arn);
        }
        sessionTags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append('\n').append(e.getKey()).append('=').append(e.getValue()));
        if (sb.length() == 0) {
            return 0;
        }
        byte[] input = sb.toString().getBytes(StandardCharsets.UTF_8);
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            d.setInput(input);
            d.finish();
            byte[] buf = new byte[input.length + 64];
            int packed = 0;
            while (!d.finished()) {
                packed += d.deflate(buf);
            }
            return (int) Math.ceil(packed * 100.0 / PACKED_POLICY_BUDGET_BYTES);
        } finally {
            d.end();
        }
    }
}
