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
    /**
     * Hard cap on the raw length of one policy document, whitespace included, checked before
     * anything reads the document: IAM's policy-document parameters (PutRolePolicy,
     * CreatePolicy, CreateRole's AssumeRolePolicyDocument) have "Maximum length of 131072". The
     * engine applies the same cap to a session policy, whose quota (2,048 characters without
     * whitespace) can only be checked by reading it.
     */
    public static final int RAW_POLICY_DOCUMENT_MAX = 131_072;
    /** A managed session policy ARN (STS PolicyDescriptorType: "Maximum length of 2048"). */
    public static final int POLICY_ARN_MAX = 2_048;

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
     * A guard to run before a document is read at all: throws {@link MalformedPolicyException}
     * with code {@code LimitExceeded} when {@code document} has more than {@code maxChars} UTF-16
     * characters, whitespace included (a null document passes). It costs O(1), unlike
     * {@link #of(String)}, so a caller can reject a megabyte of whitespace before counting it.
     * Use {@link #RAW_POLICY_DOCUMENT_MAX} unless a tighter cap applies.
     */
    public static void requireRawLengthWithin(String document, int maxChars, String what) {
        if (document != null && document.length() > maxChars) {
            throw new MalformedPolicyException(MalformedPolicyException.LIMIT_EXCEEDED, "Policy",
                    "length " + document.length() + " exceeds the " + maxChars + "-character hard cap for " + what
                            + " (whitespace included)");
        }
    }

    /**
     * Checks the AssumeRole* session-policy plaintext quota: the inline session policy (whitespace
     * excluded) plus the managed policy ARNs must stay within {@link #SESSION_POLICY_MAX}. Before
     * counting, it applies the cheap guards: at most {@link #MANAGED_SESSION_POLICIES_MAX} ARNs,
     * each at most {@link #POLICY_ARN_MAX} characters, and an inline policy of at most
     * {@link #RAW_POLICY_DOCUMENT_MAX} raw characters. All failures carry {@code LimitExceeded}.
     */
    public static void requireSessionPoliciesWithin(String inlineSessionPolicy, List<String> managedPolicyArns) {
        // Cheap checks first: counts and raw lengths are O(1) and bound the work that follows.
        if (managedPolicyArns.size() > MANAGED_SESSION_POLICIES_MAX) {
            throw new MalformedPolicyException(MalformedPolicyException.LIMIT_EXCEEDED, "PolicyArns",
                    "at most " + MANAGED_SESSION_POLICIES_MAX + " managed session policies may be passed");
        }
        requireRawLengthWithin(inlineSessionPolicy, RAW_POLICY_DOCUMENT_MAX, "a session policy");
        for (String arn : managedPolicyArns) {
            if (arn.length() > POLICY_ARN_MAX) {
                throw new MalformedPolicyException(MalformedPolicyException.LIMIT_EXCEEDED, "PolicyArns",
                        "a managed session policy ARN may have at most " + POLICY_ARN_MAX + " characters");
            }
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
            byte[] buf = new byte[4096];
            int packed = 0;
            while (!d.finished()) {
                packed += d.deflate(buf);
            }
            return (int) Math.ceil(packed * 100.0 / PACKED_POLICY_BUDGET_BYTES);
        } finally {
            d.end();
        }
    }

    /**
     * The AssumeRole* packed-size check: returns {@link #packedPolicySizePercent} when it is at most
     * 100, and otherwise throws {@link MalformedPolicyException} with code
     * {@code PackedPolicyTooLarge}. The STS API reference for AssumeRole: the inline session
     * policy, managed policy ARNs and session tags are compressed "into a packed binary format
     * that has a separate limit. Your request can fail for this limit even if your plaintext meets
     * the other requirements." Run {@link #requireSessionPoliciesWithin} first: it bounds the input
     * this compresses.
     */
    public static int requirePackedPolicyWithin(String inlineSessionPolicy, List<String> managedPolicyArns,
                                                Map<String, String> sessionTags) {
        int percent = packedPolicySizePercent(inlineSessionPolicy, managedPolicyArns, sessionTags);
        if (percent > 100) {
            throw new MalformedPolicyException(MalformedPolicyException.PACKED_POLICY_TOO_LARGE, "PackedPolicySize",
                    "the packed session policies and session tags use " + percent
                            + "% of the allowed size (at most 100%)");
        }
        return percent;
    }
}
