package dev.sts.kit.aws;

import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 in its {@code Authorization} header form and its presigned
 * (query string) form, as AWS documents them in
 * "Create a signed AWS API request" (IAM User Guide,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html): the canonical
 * request, the string to sign, the signing key derived for the request's date, region and service,
 * and the signature compared in constant time. Tested against the aws-sig-v4-test-suite vectors
 * (service-kit/src/test/resources/aws-sig-v4-test-suite).
 *
 * <p>The verifier never trusts what the caller says about its own request: the payload hash is
 * always computed from the body (an {@code x-amz-content-sha256} header must equal it), the path and
 * query are canonicalized from the bytes received, and the request time is checked against this
 * service's clock. Parsing is bounded: the endpoint has already limited header and body sizes, and
 * the header's parts are checked against fixed patterns before they are used.
 */
public final class SigV4Verifier {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    public static final String TERMINATOR = "aws4_request";
    /**
     * AWS: "a request must reach AWS within 15 minutes of the time stamp in the request" (IAM User
     * Guide, "Elements of an AWS API request signature"), either way, so a captured request cannot be
     * replayed later than that.
     */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);

    static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Z0-9]{1,128}");
    private static final Pattern DATE = Pattern.compile("[0-9]{8}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]{1,128}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_SIGNED_HEADERS = 64;
    /** AWS: X-Amz-Expires "The minimum value you can set is 1, and the maximum is 604800 (seven days)." */
    public static final int MAX_PRESIGN_EXPIRES = 604_800;
    /** Every parameter of a presigned request's query is counted; the HTTP server bounds the line too. */
    static final int MAX_QUERY_PARAMETERS = 1000;
    private static final Pattern EXPIRES = Pattern.compile("[0-9]{1,6}");
    private static final List<String> PRESIGN_REQUIRED = List.of("X-Amz-Algorithm", "X-Amz-Credential",
            "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature");
    /**
     * The longest each SigV4 query parameter may be, decoded: the Credential's parts are bounded by
     * their patterns, SignedHeaders by {@link #MAX_SIGNED_HEADERS} names of at most 128 characters,
     * and a session token (a compact JWS) by 16 KiB, far above what token-service issues.
     */
    private static final Map<String, Integer> PRESIGN_MAX_LENGTH = Map.of(
            "X-Amz-Algorithm", 32,
            "X-Amz-Credential", 128 + 1 + 8 + 1 + 64 + 1 + 64 + 1 + 12,
            "X-Amz-Date", 16,
            "X-Amz-Expires", 6,
            "X-Amz-SignedHeaders", MAX_SIGNED_HEADERS * 129,
            "X-Amz-Signature", 64,
            "X-Amz-Security-Token", 16 * 1024,
            "X-Amz-Content-Sha256", 64);
    private static final HexFormat HEX = HexFormat.of();

    private final InstantSource clock;
    private final boolean normalizePath;

    /**
     * @param normalizePath whether the path is normalized (dot segments removed, repeated slashes
     *     collapsed) before it is signed, as every AWS service except S3 does
     */
    public SigV4Verifier(InstantSource clock, boolean normalizePath) {
        this.clock = clock;
        this.normalizePath = normalizePath;
    }

    /** A verifier for the non-S3 services (paths normalized). */
    public SigV4Verifier(InstantSource clock) {
        this(clock, true);
    }

    /**
     * The request's SigV4 authorization, parsed and bounded, not verified.
     *
     * @throws StsException {@code MissingAuthenticationToken} without an {@code Authorization}
     *     header, {@code IncompleteSignature} when a part is missing or malformed
     */
    public static SigV4Authorization parse(AwsHttpRequest request) {
        List<String> authorizations = request.headerValues("authorization");
        Map<String, String> presigned = presignParameters(request.rawQuery());
        if (presigned != null) {
            if (!authorizations.isEmpty()) {
                throw incomplete("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the"
                        + " Authorization header should be specified");
            }
            return parsePresigned(request, presigned);
        }
        if (authorizations.isEmpty()) {
            throw new StsException(ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token");
        }
        if (authorizations.size() > 1) {
            throw incomplete("the request has more than one Authorization header");
        }
        String header = authorizations.get(0).strip();
        if (!header.startsWith(ALGORITHM + " ")) {
            throw incomplete("Unsupported AWS 'algorithm': only " + ALGORITHM + " is accepted");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : header.substring(ALGORITHM.length() + 1).split(",", 8)) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw incomplete("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters");
            }
            String name = p.substring(0, eq);
            String value = p.substring(eq + 1);
            switch (name) {
                case "Credential" -> credential = once(credential, value, name);
                case "SignedHeaders" -> signedHeaders = once(signedHeaders, value, name);
                case "Signature" -> signature = once(signature, value, name);
                default -> throw incomplete("Authorization header has an unknown parameter '" + bounded(name) + "'");
            }
        }
        if (credential == null) {
            throw incomplete("Authorization header requires 'Credential' parameter");
        }
        if (signedHeaders == null) {
            throw incomplete("Authorization header requires 'SignedHeaders' parameter");
        }
        if (signature == null) {
            throw incomplete("Authorization header requires 'Signature' parameter");
        }
        List<String> dates = request.headerValues("x-amz-date");
        if (dates.size() != 1) {
            throw incomplete("Authorization header requires existence of one 'X-Amz-Date' header");
        }
        List<String> tokens = request.headerValues("x-amz-security-token");
        if (tokens.size() > 1) {
            throw incomplete("the request has more than one X-Amz-Security-Token header");
        }
        return authorization(credential, signedHeaders, signature, dates.get(0).strip(),
                tokens.isEmpty() ? null : tokens.get(0).strip(), null);
    }

    /**
     * A presigned request's SigV4 parameters ("Authenticating Requests: Using Query Parameters",
     * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html): all of
     * {@code X-Amz-Algorithm}, {@code X-Amz-Credential}, {@code X-Amz-Date}, {@code X-Amz-Expires},
     * {@code X-Amz-SignedHeaders} and {@code X-Amz-Signature}, each once, and optionally
     * {@code X-Amz-Security-Token}.
     */
    private static SigV4Authorization parsePresigned(AwsHttpRequest request, Map<String, String> p) {
        for (String name : PRESIGN_REQUIRED) {
            if (!p.containsKey(name)) {
                throw incomplete("Query-string authentication version 4 requires the X-Amz-Algorithm,"
                        + " X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires"
                        + " parameters.");
            }
        }
        if (!p.get("X-Amz-Algorithm").equals(ALGORITHM)) {
            throw incomplete("X-Amz-Algorithm only supports \"" + ALGORITHM + "\"");
        }
        String expires = p.get("X-Amz-Expires");
        // AWS: "The minimum value you can set is 1, and the maximum is 604800 (seven days)."
        if (!EXPIRES.matcher(expires).matches() || Integer.parseInt(expires) < 1
                || Integer.parseInt(expires) > MAX_PRESIGN_EXPIRES) {
            throw incomplete("X-Amz-Expires must be a number of seconds from 1 to " + MAX_PRESIGN_EXPIRES
                    + " (a week)");
        }
        if (!request.headerValues("x-amz-security-token").isEmpty()) {
            throw incomplete("a presigned request carries its security token in the query (X-Amz-Security-Token),"
                    + " not in a header");
        }
        return authorization(p.get("X-Amz-Credential"), p.get("X-Amz-SignedHeaders"), p.get("X-Amz-Signature"),
                p.get("X-Amz-Date"), p.get("X-Amz-Security-Token"), Duration.ofSeconds(Integer.parseInt(expires)));
    }

    /**
     * The query's SigV4 parameters when the request is presigned (it names {@code X-Amz-Algorithm},
     * {@code X-Amz-Credential} or {@code X-Amz-Signature}), else {@code null}. Every parameter of the
     * query is counted and each SigV4 parameter's length bounded before it is decoded; a SigV4
     * parameter given twice is refused.
     */
    static Map<String, String> presignParameters(String rawQuery) {
        if (rawQuery.isEmpty() || !rawQuery.contains("X-Amz-")) {
            return null;
        }
        Map<String, String> found = new HashMap<>();
        int count = 0;
        for (String piece : rawQuery.split("&", MAX_QUERY_PARAMETERS + 2)) {
            if (++count > MAX_QUERY_PARAMETERS) {
                throw incomplete("the query has more than " + MAX_QUERY_PARAMETERS + " parameters");
            }
            int eq = piece.indexOf('=');
            String name = eq < 0 ? piece : piece.substring(0, eq);
            Integer max = PRESIGN_MAX_LENGTH.get(name);
            if (max == null) {
                continue;
            }
            String raw = eq < 0 ? "" : piece.substring(eq + 1);
            // An escape is three characters for one byte: bound the raw text before decoding it.
            if (raw.length() > 3 * max) {
                throw incomplete(name + " is longer than " + max + " characters");
            }
            String value = percentDecode(raw, false, "query");
            if (value.length() > max) {
                throw incomplete(name + " is longer than " + max + " characters");
            }
            if (found.put(name, value) != null) {
                throw incomplete("the query has more than one " + name + " parameter");
            }
        }
        boolean presigned = found.containsKey("X-Amz-Algorithm") || found.containsKey("X-Amz-Credential")
                || found.containsKey("X-Amz-Signature");
        return presigned ? found : null;
    }

    private static SigV4Authorization authorization(String credential, String signedHeaders, String signature,
            String amzDate, String securityToken, Duration expires) {
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || !ACCESS_KEY_ID.matcher(scope[0]).matches() || !DATE.matcher(scope[1]).matches()
                || !REGION.matcher(scope[2]).matches() || !SERVICE.matcher(scope[3]).matches()) {
            throw incomplete("Credential must have the form <access key id>/<yyyyMMdd>/<region>/<service>/aws4_request");
        }
        if (!scope[4].equals(TERMINATOR)) {
            throw new StsException(ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                    "Credential should be scoped with a valid terminator: 'aws4_request'");
        }
        String[] names = signedHeaders.split(";", -1);
        if (names.length > MAX_SIGNED_HEADERS) {
            throw incomplete("SignedHeaders lists more than " + MAX_SIGNED_HEADERS + " headers");
        }
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!HEADER_NAME.matcher(n).matches() || !seen.add(n)) {
                throw incomplete("SignedHeaders must be distinct lower-case header names separated by ';'");
            }
        }
        // AWS: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization": the
        // signature must bind the request to the endpoint it was sent to.
        if (!seen.contains("host")) {
            throw incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization");
        }
        if (!SIGNATURE.matcher(signature).matches()) {
            throw incomplete("Signature must be 64 lower-case hexadecimal digits");
        }
        Instant time;
        try {
            time = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw incomplete("X-Amz-Date must have the form yyyyMMdd'T'HHmmss'Z'");
        }
        return new SigV4Authorization(scope[0], scope[1], scope[2], scope[3], List.of(names), signature, amzDate, time,
                securityToken, expires);
    }

    /**
     * Checks the request's time and scope, then its signature with {@code secretAccessKey}.
     *
     * @param service the service this endpoint is (AWS's signing name: "sts", "iam", "cloudtrail")
     * @throws StsException {@code RequestExpired} for a request time more than 15 minutes off,
     *     {@code SignatureDoesNotMatch} for a scope of another service or date, a body whose hash is
     *     not the declared one, or a signature that differs
     */
    public void verify(AwsHttpRequest request, SigV4Authorization auth, String secretAccessKey, String service) {
        Instant now = clock.instant();
        if (auth.presigned()) {
            verifyPresignedTime(auth, now);
        } else if (auth.requestTime().isBefore(now.minus(MAX_SKEW))) {
            throw new StsException(ErrorCode.REQUEST_EXPIRED, "Signature expired: " + auth.amzDate()
                    + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now)
                    + " - 15 min.)");
        }
        if (!auth.presigned() && auth.requestTime().isAfter(now.plus(MAX_SKEW))) {
            throw new StsException(ErrorCode.REQUEST_EXPIRED, "Signature not yet current: " + auth.amzDate()
                    + " is still later than " + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now)
                    + " + 15 min.)");
        }
        if (!auth.amzDate().startsWith(auth.date())) {
            throw new StsException(ErrorCode.SIGNATURE_DOES_NOT_MATCH, "Date in Credential scope does not match"
                    + " YYYYMMDD from ISO-8601 version of date from HTTP: '" + auth.date() + "' != '"
                    + auth.amzDate().substring(0, 8) + "'");
        }
        if (!auth.service().equals(service)) {
            throw new StsException(ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                    "Credential should be scoped to correct service: '" + service + "'.");
        }
        // For a presigned GET the body is empty, so this is the hash of the empty string, as the
        // query-signed aws-sig-v4-test-suite vectors sign it.
        String payloadHash = sha256Hex(request.body());
        List<String> declared = new ArrayList<>(request.headerValues("x-amz-content-sha256"));
        if (auth.presigned()) {
            Map<String, String> query = presignParameters(request.rawQuery());
            if (query != null && query.containsKey("X-Amz-Content-Sha256")) {
                declared.add(query.get("X-Amz-Content-Sha256"));
            }
        }
        if (declared.size() > 1 || (declared.size() == 1 && !declared.get(0).strip().equals(payloadHash))) {
            // Also refuses UNSIGNED-PAYLOAD: only S3 accepts it, and every body here is read whole.
            throw new StsException(ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        String canonical = canonicalRequest(request, auth.signedHeaders(), payloadHash, auth.presigned());
        String stringToSign = stringToSign(auth.amzDate(), auth.scope(), canonical);
        byte[] expected = hmac(signingKey(secretAccessKey, auth.date(), auth.region(), auth.service()),
                stringToSign);
        byte[] sent = HEX.parseHex(auth.signature());
        if (!MessageDigest.isEqual(expected, sent)) {
            throw new StsException(ErrorCode.SIGNATURE_DOES_NOT_MATCH, "The request signature we calculated does not"
                    + " match the signature you provided. Check your AWS Secret Access Key and signing method."
                    + " Consult the service documentation for details.");
        }
    }

    /**
     * A presigned request is good from its {@code X-Amz-Date} (less the clock-skew allowance) until
     * {@code X-Amz-Date + X-Amz-Expires}, and, as STS holds presigned requests to the same window as
     * signed headers (a larger X-Amz-Expires does not extend it: aws/aws-sdk-go#2167, which
     * aws-iam-authenticator and Vault's AWS auth method rely on), never longer than
     * {@link #MAX_SKEW} after its date.
     */
    private static void verifyPresignedTime(SigV4Authorization auth, Instant now) {
        if (auth.requestTime().isAfter(now.plus(MAX_SKEW))) {
            throw new StsException(ErrorCode.REQUEST_EXPIRED, "Request is not yet valid: " + auth.amzDate()
                    + " is still later than " + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now)
                    + " + 15 min.)");
        }
        Duration valid = auth.expires().compareTo(MAX_SKEW) < 0 ? auth.expires() : MAX_SKEW;
        Instant expiry = auth.requestTime().plus(valid);
        if (now.isAfter(expiry)) {
            throw new StsException(ErrorCode.REQUEST_EXPIRED, "Request has expired: it was valid until "
                    + AMZ_DATE.format(expiry) + " (X-Amz-Date " + auth.amzDate() + " + " + valid.toSeconds()
                    + " s) and it is now " + AMZ_DATE.format(now));
        }
    }

    /** The canonical request: method, URI, query, signed headers with their values, their names, payload hash. */
    String canonicalRequest(AwsHttpRequest request, List<String> signedHeaders, String payloadHash) {
        return canonicalRequest(request, signedHeaders, payloadHash, false);
    }

    /**
     * @param presigned whether the signature is in the query: then {@code X-Amz-Signature} is left out
     *     of the canonical query (it cannot sign itself); every other parameter is signed
     */
    String canonicalRequest(AwsHttpRequest request, List<String> signedHeaders, String payloadHash,
            boolean presigned) {
        StringBuilder b = new StringBuilder(256);
        b.append(request.method()).append('\n');
        b.append(canonicalUri(request.rawPath())).append('\n');
        b.append(canonicalQuery(request.rawQuery(), presigned)).append('\n');
        for (String name : signedHeaders) {
            b.append(name).append(':');
            List<String> values = request.headerValues(name);
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(trimAll(values.get(i)));
            }
            b.append('\n');
        }
        b.append('\n').append(String.join(";", signedHeaders)).append('\n').append(payloadHash);
        return b.toString();
    }

    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
    static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, region);
        k = hmac(k, service);
        return hmac(k, TERMINATOR);
    }

    /**
     * The signature of {@code stringToSign}; for clients in tests and tools that sign (the services
     * never sign requests).
     */
    public static String sign(String secret, String date, String region, String service, String stringToSign) {
        return HEX.formatHex(hmac(signingKey(secret, date, region, service), stringToSign));
    }

    private String canonicalUri(String rawPath) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : percentDecode(rawPath, false, "path");
        if (normalizePath) {
            path = normalize(path);
        }
        return uriEncode(path, false);
    }

    /** RFC 3986 section 5.2.4 dot-segment removal, with empty segments collapsed; a trailing slash stays. */
    static String normalize(String path) {
        boolean trailingSlash = path.endsWith("/") || path.endsWith("/.") || path.endsWith("/..");
        Deque<String> out = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                out.pollLast();
            } else {
                out.addLast(segment);
            }
        }
        if (out.isEmpty()) {
            return "/";
        }
        return "/" + String.join("/", out) + (trailingSlash ? "/" : "");
    }

    private static String canonicalQuery(String rawQuery, boolean presigned) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String piece : rawQuery.split("&")) {
            if (piece.isEmpty()) {
                continue;
            }
            int eq = piece.indexOf('=');
            String name = eq < 0 ? piece : piece.substring(0, eq);
            String value = eq < 0 ? "" : piece.substring(eq + 1);
            if (presigned && name.equals("X-Amz-Signature")) {
                continue;
            }
            pairs.add(new String[] {uriEncode(percentDecode(name, false, "query"), true),
                    uriEncode(percentDecode(value, false, "query"), true)});
        }
        pairs.sort((a, b) -> {
            int c = a[0].compareTo(b[0]);
            return c != 0 ? c : a[1].compareTo(b[1]);
        });
        StringBuilder b = new StringBuilder(rawQuery.length() + 16);
        for (String[] p : pairs) {
            if (!b.isEmpty()) {
                b.append('&');
            }
            b.append(p[0]).append('=').append(p[1]);
        }
        return b.toString();
    }

    /** Leading and trailing spaces removed, runs of spaces (and folded line breaks) made one space. */
    static String trimAll(String value) {
        StringBuilder b = new StringBuilder(value.length());
        boolean space = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                space = true;
            } else {
                if (space && !b.isEmpty()) {
                    b.append(' ');
                }
                space = false;
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * AWS's URI encoding: every byte of the UTF-8 form except the unreserved characters
     * {@code A-Z a-z 0-9 - . _ ~} as {@code %XY} with upper-case hex; {@code /} kept in paths.
     */
    public static String uriEncode(String value, boolean encodeSlash) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(bytes.length + 16);
        for (byte x : bytes) {
            int c = x & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || (c == '/' && !encodeSlash)) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }

    /**
     * Percent-decoding as UTF-8; with {@code plusIsSpace}, {@code +} is a space (form encoding).
     *
     * @throws StsException {@code MalformedQueryString} for a truncated or non-hex escape or bytes that are not UTF-8
     */
    public static String percentDecode(String value, boolean plusIsSpace, String what) {
        if (value.indexOf('%') < 0 && (!plusIsSpace || value.indexOf('+') < 0)) {
            return value;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            byte c = raw[i];
            if (c == '%') {
                int hi = i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
                int lo = i + 2 < raw.length ? Character.digit(raw[i + 2], 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new StsException(ErrorCode.MALFORMED_QUERY_STRING,
                            "the " + what + " has a malformed percent-escape");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                out.write(c);
            }
        }
        return Utf8.decode(out.toByteArray(), what);
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String once(String previous, String value, String name) {
        if (previous != null) {
            throw incomplete("Authorization header has more than one '" + name + "' parameter");
        }
        return value;
    }

    private static String bounded(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "...";
    }

    private static StsException incomplete(String message) {
        return new StsException(ErrorCode.INCOMPLETE_SIGNATURE, message);
    }
}
