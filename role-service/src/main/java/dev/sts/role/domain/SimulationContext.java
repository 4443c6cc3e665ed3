package dev.sts.role.domain;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.policy.RequestContext;
import dev.sts.policy.condition.ConditionOperator.Family;
import dev.sts.policy.condition.ContextValues;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A simulation's {@code ContextEntries} as the policy engine's request context. Each entry's
 * {@code ContextKeyType} (AWS's ContextKeyTypeEnum, spelled exactly as AWS spells it) says whether
 * the key is single- or multi-valued and how its values must read; a value that the operators of
 * that type could not read is refused here rather than silently never matching.
 */
final class SimulationContext {

    /** AWS's ContextKeyTypeEnum. */
    enum ContextKeyType {
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

        ContextKeyType(String awsName, Family family, boolean list) {
            this.awsName = awsName;
            this.family = family;
            this.list = list;
        }

        static ContextKeyType of(String awsName) {
            for (ContextKeyType t : values()) {
                if (t.awsName.equals(awsName)) {
                    return t;
                }
            }
            return null;
        }

        static String names() {
            StringBuilder sb = new StringBuilder();
            for (ContextKeyType t : values()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(t.awsName);
            }
            return sb.toString();
        }
    }

    private SimulationContext() {
    }

    /**
     * Converts entries whose counts and lengths {@link SimulationBounds} already checked. An entry
     * without a type is a string when it has exactly one value and a string list otherwise.
     */
    static RequestContext of(List<SimulationRequest.ContextEntry> entries) {
        RequestContext.Builder b = RequestContext.builder();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            SimulationRequest.ContextEntry e = entries.get(i);
            String field = "context_entries[" + i + "]";
            ContextKeyType type;
            if (e.type().isEmpty()) {
                type = e.values().size() == 1 ? ContextKeyType.STRING : ContextKeyType.STRING_LIST;
            } else {
                type = ContextKeyType.of(e.type());
                if (type == null) {
                    throw invalid(field + ".type", field + ".type \"" + e.type() + "\" is not a context key type; use one of "
                            + ContextKeyType.names());
                }
            }
            if (!seen.add(e.key().toLowerCase(Locale.ROOT))) {
                throw invalid(field + ".key", field + ".key " + e.key()
                        + " is given more than once (context keys are case-insensitive)");
            }
            if (!type.list && e.values().size() != 1) {
                throw invalid(field + ".values", field + " (" + e.key() + ") is of type " + type.awsName
                        + " and takes exactly one value; the list types (" + type.awsName + "List) take several");
            }
            for (int j = 0; j < e.values().size(); j++) {
                if (!ContextValues.readableAs(type.family, e.values().get(j))) {
                    throw invalid(field + ".values[" + j + "]", field + ".values[" + j + "] of " + e.key()
                            + " is not a valid " + type.awsName + " value");
                }
            }
            if (type.list) {
                b.putMulti(e.key(), e.values());
            } else {
                b.put(e.key(), e.values().get(0));
            }
        }
        return b.build();
    }

    private static StsException invalid(String field, String message) {
        return new StsException(ErrorCode.INVALID_INPUT, message, field);
    }
}
