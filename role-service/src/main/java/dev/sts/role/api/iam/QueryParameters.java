package dev.sts.role.api.iam;

import dev.sts.kit.aws.AwsQueryForm;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of one IAM Query request, decoded and bounded by the kit's {@link AwsQueryForm},
 * read the way the AWS Query protocol encodes them: scalars by name, lists as {@code Name.member.1 ... Name.member.N}
 * and structures in lists as {@code Name.member.N.Field}
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonParameters.html,
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#query-key-resolution).
 *
 * <p>Lists are read here rather than with {@link AwsQueryForm#memberStructures}, because IAM nests
 * them: {@code ContextEntries.member.N.ContextKeyValues.member.M} is a list inside a structure in a
 * list. Every name read is remembered, so that {@link #requireAllRead} can refuse a parameter the
 * action does not take instead of silently ignoring it (a misspelt filter would otherwise widen an
 * answer or a change without the caller noticing).
 */
final class QueryParameters {
    /** A list index: 1-based, no leading zero, at most 4 digits (no IAM list is longer than 1,000). */
    private static final Pattern INDEX = Pattern.compile("[1-9][0-9]{0,3}");
    private final Map<String, String> values;
    private final String prefix;
    private final Set<String> read;

    QueryParameters(Map<String, String> values) {
        this(values, "", new HashSet<>());
    }

    /** The parameters of a parsed form. */
    static QueryParameters of(AwsQueryForm form) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        form.names().forEach(n -> values.put(n, form.get(n).orElseThrow()));
        return new QueryParameters(values);
    }

    private QueryParameters(Map<String, String> values, String prefix, Set<String> read) {
        this.values = values;
        this.prefix = prefix;
        this.read = read;
    }

    /** The parameter, when present (possibly empty). */
    Optional<String> optional(String name) {
        String key = prefix + name;
        read.add(key);
        return Optional.ofNullable(values.get(key));
    }

    /**
     * The parameter, or "" when absent: the operation's own validation then answers for a missing
     * required value exactly as it does over gRPC, where an unset string is "".
     */
    String string(String name) {
        return optional(name).orElse("");
    }

    /**
     * An integer parameter, or 0 (unset, as in the proto) when absent. Every integer an IAM role
     * action takes ({@code MaxItems}, {@code MaxSessionDuration}) is at least 1, and the proto reads
     * 0 as "unset": an explicit 0 is refused here so that it never stands for the default.
     */
    int integer(String name) {
        return optional(name).map(v -> {
            int n = parseInt(name, v);
            if (n == 0) {
                throw invalid(name, "Value '0' at '" + name + "' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 1");
            }
            return n;
        }).orElse(0);
    }

    /** A boolean parameter ("true" or "false", as the SDKs send it), or false when absent. */
    boolean bool(String name) {
        return optional(name).map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(name, "Value '" + v + "' at '" + name + "' failed to satisfy constraint: "
                    + "Member must be true or false");
        }).orElse(false);
    }

    /** {@code Name.member.1} .. {@code Name.member.N}: the values in index order; empty when none. */
    List<String> list(String name) {
        List<String> out = new ArrayList<>();
        for (QueryParameters member : members(name)) {
            String key = member.prefix.substring(0, member.prefix.length() - 1);
            String value = values.get(key);
            if (value == null) {
                throw invalid(name, "The list " + prefix + name + " holds values, not structures (" + key + ")");
            }
            out.add(value);
        }
        return out;
    }

    /** {@code Name.member.N.*}: one view per list element, in index order; empty when none. */
    List<QueryParameters> structures(String name) {
        return members(name);
    }

    private List<QueryParameters> members(String name) {
        String listPrefix = prefix + name + ".member.";
        Set<Integer> indices = new java.util.TreeSet<>();
        for (String key : values.keySet()) {
            if (!key.startsWith(listPrefix)) {
                continue;
            }
            String rest = key.substring(listPrefix.length());
            int dot = rest.indexOf('.');
            String index = dot < 0 ? rest : rest.substring(0, dot);
            Matcher m = INDEX.matcher(index);
            if (!m.matches()) {
                throw invalid(name, "Parameter " + key + " is not a member of the list " + prefix + name);
            }
            indices.add(Integer.parseInt(index));
            if (dot < 0) {
                read.add(key);
            }
        }
        // Query lists are numbered 1..N without gaps; a gap means a lost or forged element.
        int expected = 1;
        List<QueryParameters> out = new ArrayList<>();
        for (int i : indices) {
            if (i != expected++) {
                throw invalid(name, "The list " + prefix + name + " must be numbered from 1 without gaps");
            }
            out.add(new QueryParameters(values, listPrefix + i + ".", read));
        }
        return out;
    }

    /**
     * Refuses any parameter the action did not read, except the protocol's own ({@code Action},
     * {@code Version} and the {@code X-Amz-*} signature parameters of a presigned request).
     */
    void requireAllRead(String action) {
        for (String key : values.keySet()) {
            if (!read.contains(key) && !key.equals("Action") && !key.equals("Version")
                    && !key.regionMatches(true, 0, "X-Amz-", 0, 6)) {
                throw new StsException(ErrorCode.VALIDATION_ERROR,
                        "Parameter " + key + " is not recognized by the action " + action, key);
            }
        }
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw invalid(name, "Value '" + (value.length() > 20 ? value.substring(0, 20) + "..." : value) + "' at '"
                    + name + "' failed to satisfy constraint: Member must be an integer");
        }
    }

    private static StsException invalid(String field, String message) {
        return new StsException(ErrorCode.VALIDATION_ERROR, "1 validation error detected: " + message, field);
    }
}
