package dev.sts.role.domain;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A managed policy's ARN, {@code arn:<partition>:iam::<account>:policy<path><name>}; the account
 * is "aws" for AWS-managed policies.
 */
public record PolicyArn(String partition, String account, String path, String name) {
    private static final Pattern ARN = Pattern.compile(
            "arn:([a-z-]{1,32}):iam::(\\d{12}|aws):policy(/(?:[\\x21-\\x7E]*/)?)([\\w+=,.@-]{1,128})");
    /** IAM's PolicyArn: "Length Constraints: Minimum length of 20. Maximum length of 2048." */
    static final int MIN_LENGTH = 20;
    static final int MAX_LENGTH = 2048;

    /** Whether it names an AWS-managed policy (account "aws"), which nobody changes here. */
    public boolean awsManaged() {
        return "aws".equals(account);
    }

    public String arn() {
        return "arn:" + partition + ":iam::" + account + ":policy" + path + name;
    }

    /**
     * Parses a policy ARN a caller sent: {@code ValidationError} outside IAM's length constraints
     * (checked before the pattern), {@code InvalidInput} "ARN ... is not valid." otherwise, as
     * IAM words it.
     */
    public static PolicyArn parse(String arn, String field) {
        if (arn == null || arn.isEmpty()) {
            throw StsException.invalid(field, field + " is required");
        }
        if (arn.length() < MIN_LENGTH || arn.length() > MAX_LENGTH) {
            throw StsException.invalid(field, field + " must be " + MIN_LENGTH + "-" + MAX_LENGTH + " characters");
        }
        Matcher m = ARN.matcher(arn);
        if (!m.matches()) {
            // Echoed as IAM does, unless it holds characters no ARN has (they stay out of messages).
            String shown = arn.chars().allMatch(c -> c > 0x20 && c < 0x7F) ? "ARN " + arn : "The ARN";
            throw new StsException(ErrorCode.INVALID_INPUT, shown + " is not valid.", field);
        }
        return new PolicyArn(m.group(1), m.group(2), m.group(3), m.group(4));
    }
}
