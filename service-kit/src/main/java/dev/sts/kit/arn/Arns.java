package dev.sts.kit.arn;

import dev.sts.kit.error.StsException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** AWS-shaped ARNs of roles, managed policies and role sessions. */
public final class Arns {
    private static final Pattern ROLE = Pattern.compile("arn:([a-z-]+):iam::(\\d{12}):role(/(?:[\\x21-\\x7E]*/)?)([\\w+=,.@-]{1,64})");
    private static final Pattern ACCOUNT = Pattern.compile("arn:[a-z-]+:(?:iam|sts)::(\\d{12}):.*");

    private Arns() {
    }

    /** A parsed role ARN. {@code path} begins and ends with "/". */
    public record RoleArn(String partition, String account, String path, String name) {
        public String arn() {
            return "arn:" + partition + ":iam::" + account + ":role" + path + name;
        }
    }

    public static String role(String partition, String account, String path, String name) {
        return new RoleArn(partition, account, path, name).arn();
    }

    public static String policy(String partition, String account, String path, String name) {
        return "arn:" + partition + ":iam::" + account + ":policy" + path + name;
    }

    public static String assumedRole(String partition, String account, String roleName, String sessionName) {
        return "arn:" + partition + ":sts::" + account + ":assumed-role/" + roleName + "/" + sessionName;
    }

    /** Parses a role ARN or fails with {@code ValidationError} on {@code field}. */
    public static RoleArn parseRole(String arn, String field) {
        Matcher m = arn == null ? null : ROLE.matcher(arn);
        if (m == null || !m.matches()) {
            throw StsException.invalid(field, field + " is not a role ARN (arn:<partition>:iam::<12-digit account>:role/<path><name>)");
        }
        String path = m.group(3);
        return new RoleArn(m.group(1), m.group(2), path == null || path.isEmpty() ? "/" : path, m.group(4));
    }

    /** The account of an IAM or STS ARN, or {@code null} when the value is not one (e.g. a service principal). */
    public static String accountOf(String arn) {
        Matcher m = arn == null ? null : ACCOUNT.matcher(arn);
        return m != null && m.matches() ? m.group(1) : null;
    }
}
