package dev.sts.kit.aws;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Query protocol request's parameters, from an {@code application/x-www-form-urlencoded} body:
 * {@code Action}, {@code Version}, scalars, and lists in the Query encoding ({@code Name.member.N}
 * for scalars, {@code Name.member.N.Field} for structures, N from 1). Bounded before anything is
 * decoded: the endpoint limits the body, and here the number of parameters and the length of a
 * name; a malformed escape, invalid UTF-8 or a repeated name is refused rather than guessed at.
 */
public final class AwsQueryForm {
    public static final int MAX_PARAMETERS = 1000;
    public static final int MAX_NAME_LENGTH = 256;
    /** The largest N of {@code member.N}: above every list limit of STS and IAM (50 tags, 10 policy ARNs). */
    public static final int MAX_MEMBERS = 1000;
    private static final Pattern MEMBER = Pattern.compile("member\\.([1-9][0-9]{0,3})(?:\\.([A-Za-z0-9]{1,64}))?");

    private final Map<String, String> params;

    private AwsQueryForm(Map<String, String> params) {
        this.params = Collections.unmodifiableMap(params);
    }

    /**
     * The form of a request: a GET's query string, or the body of a request whose content type is
     * {@code application/x-www-form-urlencoded}.
     *
     * @throws StsException {@code MalformedQueryString} for another content type or a malformed body
     */
    public static AwsQueryForm parse(AwsHttpRequest request) {
        if (request.method().equals("GET")) {
            // A GET carries its parameters in the query string (a presigned request's SigV4
            // parameters among them; they are read by the verifier, never as operation parameters).
            return parse(request.rawQuery().getBytes(StandardCharsets.ISO_8859_1));
        }
        String contentType = request.header("content-type").orElse("").toLowerCase(Locale.ROOT).strip();
        if (!contentType.equals("application/x-www-form-urlencoded")
                && !contentType.startsWith("application/x-www-form-urlencoded;")) {
            throw new StsException(ErrorCode.MALFORMED_QUERY_STRING,
                    "the request body must be application/x-www-form-urlencoded");
        }
        return parse(request.body());
    }

    public static AwsQueryForm parse(byte[] body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body.length == 0) {
            return new AwsQueryForm(params);
        }
        // ASCII is all a well-formed form body holds; anything else is refused by the decoding below.
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int count = 0;
        int start = 0;
        while (start <= text.length()) {
            int amp = text.indexOf('&', start);
            int end = amp < 0 ? text.length() : amp;
            if (end > start) {
                if (++count > MAX_PARAMETERS) {
                    throw malformed("the request has more than " + MAX_PARAMETERS + " parameters");
                }
                String piece = text.substring(start, end);
                int eq = piece.indexOf('=');
                String rawName = eq < 0 ? piece : piece.substring(0, eq);
                if (rawName.length() > MAX_NAME_LENGTH * 3) {
                    throw malformed("a parameter name is longer than " + MAX_NAME_LENGTH + " characters");
                }
                String name = decode(rawName, "parameter name");
                if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
                    throw malformed("a parameter name is empty or longer than " + MAX_NAME_LENGTH + " characters");
                }
                String value = eq < 0 ? "" : decode(piece.substring(eq + 1), "value of " + printable(name));
                if (params.putIfAbsent(name, value) != null) {
                    throw malformed("parameter " + printable(name) + " appears more than once");
                }
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return new AwsQueryForm(params);
    }

    /** Every parameter name, in the order sent. */
    public Set<String> names() {
        return params.keySet();
    }

    /** {@code Action}, which every Query request names. */
    public String action() {
        String action = params.get("Action");
        if (action == null || action.isEmpty()) {
            throw new StsException(ErrorCode.MISSING_ACTION, "Missing Action");
        }
        return action;
    }

    /** {@code Version}, or empty. */
    public Optional<String> version() {
        return get("Version");
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** A parameter the action requires; AWS answers its absence with {@code MissingParameter}. */
    public String required(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new StsException(ErrorCode.MISSING_PARAMETER,
                    "The request must contain the parameter " + name, name);
        }
        return value;
    }

    /** An integer parameter, or empty; a value that is not a decimal int is a {@code ValidationError}. */
    public Optional<Integer> integer(String name) {
        String value = params.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.matches("-?[0-9]{1,10}")) {
            throw StsException.invalid(name, "Value for parameter " + name + " is not a valid integer");
        }
        try {
            return Optional.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw StsException.invalid(name, "Value for parameter " + name + " is out of range");
        }
    }

    /** The list {@code prefix.member.1}, {@code prefix.member.2}, ... (empty when absent). */
    public List<String> members(String prefix) {
        Map<Integer, Map<String, String>> byIndex = collect(prefix, false);
        List<String> out = new ArrayList<>(byIndex.size());
        byIndex.values().forEach(m -> out.add(m.get("")));
        return out;
    }

    /**
     * The list of structures {@code prefix.member.N.Field} (empty when absent), each a map of its
     * fields; {@code prefix.member.1.Key} and {@code prefix.member.1.Value} make one map {Key, Value}.
     */
    public List<Map<String, String>> memberStructures(String prefix) {
        return new ArrayList<>(collect(prefix, true).values());
    }

    private Map<Integer, Map<String, String>> collect(String prefix, boolean structures) {
        String head = prefix + ".";
        TreeMap<Integer, Map<String, String>> byIndex = new TreeMap<>();
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (!p.getKey().startsWith(head)) {
                continue;
            }
            Matcher m = MEMBER.matcher(p.getKey().substring(head.length()));
            if (!m.matches() || (m.group(2) != null) != structures) {
                throw StsException.invalid(prefix, "parameter " + printable(p.getKey()) + " is not "
                        + prefix + (structures ? ".member.N.<field>" : ".member.N") + " with N from 1");
            }
            int index = Integer.parseInt(m.group(1));
            if (index > MAX_MEMBERS) {
                throw StsException.invalid(prefix, prefix + " has more than " + MAX_MEMBERS + " members");
            }
            byIndex.computeIfAbsent(index, i -> new LinkedHashMap<>())
                    .put(structures ? m.group(2) : "", p.getValue());
        }
        if (!byIndex.isEmpty() && byIndex.lastKey() != byIndex.size()) {
            throw StsException.invalid(prefix, prefix + " members must be numbered 1 to N without gaps");
        }
        return byIndex;
    }

    private static String decode(String raw, String what) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) > 0x7e || raw.charAt(i) < 0x20) {
                throw malformed("the " + what + " has characters a form body cannot hold unescaped");
            }
        }
        return SigV4Verifier.percentDecode(raw, true, what);
    }

    /** A caller-supplied name in a message: bounded, and only printable ASCII. */
    static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static StsException malformed(String message) {
        return new StsException(ErrorCode.MALFORMED_QUERY_STRING, message);
    }
}
