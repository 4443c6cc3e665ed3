package dev.sts.kit.auth;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.policy.RequestContext;
import dev.sts.policy.condition.ConditionOperator.Family;
import dev.sts.policy.condition.ContextValues;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Request context supplied by a caller (the contract's {@code ContextEntry}, AWS's ContextEntry),
 * bounded and converted for the policy engine. Every count and length is checked before any value
 * is read. Each entry's type (AWS's ContextKeyTypeEnum, spelled as AWS spells it) says whether the
 * key is single- or multi-valued and how its values must read; a value its type cannot read is
 * refused rather than silently never matching.
 *
 * <p>Bounds: key 5-256 characters (AWS ContextKeyNameType, IAM API reference); the counts and the
 * value length are this system's, the same as SimulatePrincipalPolicy's in role-service: at most
 * {@value #MAX_ENTRIES} entries of at most {@value #MAX_VALUES} values (a request's aws:TagKeys
 * carries at most 50), each at most {@value #MAX_VALUE_CHARS} characters (ARNs are at most 2,048,
 * S3 keys 1,024 bytes).
 */
public final class ContextEntries {
    public static final int MAX_ENTRIES = 100;
    public static final int MAX_VALUES = 100;
    public static final int KEY_MIN_CHARS = 5;
    public static final int KEY_MAX_CHARS = 256;
    public static final int MAX_VALUE_CHARS = 4_096;

    /** One caller-supplied key; {@code type} empty when unset. */
    public record Entry(String key, List<String> values, String type) {
        public Entry {
            key = key == null ? "" : key;
            values = values == null ? List.of() : List.copyOf(values);
            type = type == null ? "" : type;
        }
    }

    /** AWS's ContextKeyTypeEnum. */
    enum Type {
        STRING("string", Family.STRING, false),
        STRING_LIST("stringList", Family.STRING, true),
        NUMERIC("numeric", Family.NUMERIC, false),
        NUMERIC_LIST("numericList", Family.NUMERIC, true),
        BOOLEAN("boolean", Family.BOOL, false),
        BOOLEAN_LIST("booleanList", Family.BOOL, true),
        IP("ip", Family.IP_ADDRESS, false),
        IP_LIST("ipList", Family.IP_ADDRESS, true),
        BINARY("binary", Family.BINARY, false),
        BINARY_LIST("binaryList", Family.BINARY, true),
        DATE("date", Family.DATE, false),
        DATE_LIST("dateList", Family.DATE, true);

        final String awsName;
        final Family family;
        final boolean list;

        Type(String awsName, Family family, boolean list) {
            this.awsName = awsName;
            this.family = family;
            this.list = list;
        }

        static Type of(String awsName) {
            for (Type t : values()) {
                if (t.awsName.equals(awsName)) {
                    return t;
                }
            }
            return null;
        }
    }

    private ContextEntries() {
    }

    /**
     * Checks the entries (counts and lengths: {@code ValidationError}; types, duplicates and values:
     * {@code InvalidInput}, each naming {@code field[i]...}) and adds them to {@code ctx}.
     */
    public static void addTo(RequestContext.Builder ctx, List<Entry> entries, String field) {
        addTo(ctx, entries, field, key -> true);
    }

    /**
     * As {@link #addTo(RequestContext.Builder, List, String)}, adding only the entries whose key
     * {@code accept} takes (every entry is still checked).
     */
    public static void addTo(RequestContext.Builder ctx, List<Entry> entries, String field,
            Predicate<String> accept) {
        if (entries.size() > MAX_ENTRIES) {
            throw StsException.invalid(field, field + " has " + entries.size() + " entries; at most " + MAX_ENTRIES
                    + " are allowed");
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            String f = field + "[" + i + "]";
            if (e.key().length() < KEY_MIN_CHARS || e.key().length() > KEY_MAX_CHARS) {
                throw StsException.invalid(f + ".key", f + ".key must be " + KEY_MIN_CHARS + "-" + KEY_MAX_CHARS
                        + " characters long");
            }
            if (e.values().size() > MAX_VALUES) {
                throw StsException.invalid(f + ".values", f + ".values has " + e.values().size()
                        + " members; at most " + MAX_VALUES + " are allowed");
            }
            for (int j = 0; j < e.values().size(); j++) {
                if (e.values().get(j).length() > MAX_VALUE_CHARS) {
                    throw StsException.invalid(f + ".values[" + j + "]", f + ".values[" + j + "] must be at most "
                            + MAX_VALUE_CHARS + " characters long");
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            String f = field + "[" + i + "]";
            Type type;
            if (e.type().isEmpty()) {
                type = e.values().size() == 1 ? Type.STRING : Type.STRING_LIST;
            } else {
                type = Type.of(e.type());
                if (type == null) {
                    throw invalidInput(f + ".type", f + ".type is not a context key type (string, stringList, numeric, "
                            + "numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList)");
                }
            }
            if (!seen.add(e.key().toLowerCase(Locale.ROOT))) {
                throw invalidInput(f + ".key", f + ".key " + e.key()
                        + " is given more than once (context keys are case-insensitive)");
            }
            if (!type.list && e.values().size() != 1) {
                throw invalidInput(f + ".values", f + " (" + e.key() + ") is of type " + type.awsName
                        + " and takes exactly one value");
            }
            for (int j = 0; j < e.values().size(); j++) {
                if (!ContextValues.readableAs(type.family, e.values().get(j))) {
                    throw invalidInput(f + ".values[" + j + "]", f + ".values[" + j + "] of " + e.key()
                            + " is not a valid " + type.awsName + " value");
                }
            }
            if (!accept.test(e.key())) {
                continue;
            }
            if (type.list) {
                ctx.putMulti(e.key(), e.values());
            } else {
                ctx.put(e.key(), e.values().get(0));
            }
        }
    }

    private static StsException invalidInput(String field, String message) {
        return new StsException(ErrorCode.INVALID_INPUT, message, field);
    }
}
