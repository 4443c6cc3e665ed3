package dev.sts.kit.iam;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import dev.sts.proto.v1.ManagedPolicyState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS-managed policies every service ships as data ({@code arn:aws:iam::aws:policy/...}),
 * with AWS's documents: listed and attachable in role-service, never editable or deletable, and
 * resolved by the permission view without the topic.
 *
 * <p>The catalogue is {@code dev/sts/kit/iam/aws-managed/catalogue.json} (name, path, AWS's policy
 * id, the default version and where it was copied from) and one file per document, the default
 * version as AWS publishes it in the AWS Managed Policy Reference Guide. A newer AWS version is
 * taken by replacing the document and its {@code defaultVersionId}; the state's revision is the
 * version number, so a service that ships the newer document sees a higher revision.
 *
 * <p>Some AWS documents exceed the quotas IAM sets for customers' documents (ReadOnlyAccess v188
 * has 91,266 characters without whitespace; a customer-managed policy may have 6,144): AWS does
 * not hold its own policies to them, so neither does this catalogue. Parse them with
 * {@link dev.sts.policy.Policy#parseAwsManaged}, never truncated.
 */
public final class AwsManagedPolicies {
    /** The account part of every AWS-managed policy ARN. */
    public static final String AWS_ACCOUNT = "aws";
    static final String DIRECTORY = "/dev/sts/kit/iam/aws-managed/";
    private static final Pattern ARN = Pattern.compile("arn:([a-z-]+):iam::aws:(policy/.*)");

    /**
     * One policy of the catalogue.
     *
     * @param state the policy as the permission view holds it (ARN in the {@code aws} partition)
     * @param description AWS's description of the policy
     * @param createDate when AWS created the policy
     * @param source the AWS page its document was copied from
     */
    public record AwsManagedPolicy(ManagedPolicyState state, String description, Instant createDate, String source) {
    }

    /** One entry of catalogue.json. */
    record Entry(String policyName, String path, String policyId, String defaultVersionId, String versionCreateDate,
            String createDate, String description, String document, String source) {
    }

    record Catalogue(String about, List<Entry> policies) {
    }

    private AwsManagedPolicies() {
    }

    /** Loaded on first use: the documents are large (ReadOnlyAccess alone is over 100 KiB). */
    private static final class Loaded {
        static final List<AwsManagedPolicy> ENTRIES = load();
        /** By the ARN's resource part, "policy/<path><name>", so that any partition finds it. */
        static final Map<String, AwsManagedPolicy> BY_RESOURCE = index(ENTRIES);
    }

    /** Every AWS-managed policy of the catalogue, in ARN order, with ARNs in the {@code aws} partition. */
    public static List<ManagedPolicyState> all() {
        return Loaded.ENTRIES.stream().map(AwsManagedPolicy::state).toList();
    }

    /** Every policy of the catalogue with AWS's description, in ARN order. */
    public static List<AwsManagedPolicy> entries() {
        return Loaded.ENTRIES;
    }

    /**
     * The AWS-managed policy with this ARN, if the catalogue has it. The partition is the caller's
     * ({@code arn:aws-cn:iam::aws:policy/ReadOnlyAccess} finds ReadOnlyAccess with that ARN).
     */
    public static Optional<ManagedPolicyState> find(String policyArn) {
        Matcher m = policyArn == null ? null : ARN.matcher(policyArn);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        AwsManagedPolicy p = Loaded.BY_RESOURCE.get(m.group(2));
        if (p == null) {
            return Optional.empty();
        }
        ManagedPolicyState state = p.state();
        return Optional.of(state.getArn().equals(policyArn) ? state : state.toBuilder().setArn(policyArn).build());
    }

    /** Whether the ARN names an AWS-managed policy (of any partition), whether or not it is in the catalogue. */
    public static boolean isAwsManaged(String policyArn) {
        return policyArn != null && ARN.matcher(policyArn).matches();
    }

    private static List<AwsManagedPolicy> load() {
        ObjectMapper json = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        Catalogue catalogue;
        try (InputStream in = resource("catalogue.json")) {
            catalogue = json.readValue(in, Catalogue.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the AWS-managed policy catalogue is unreadable", e);
        }
        return catalogue.policies().stream().map(AwsManagedPolicies::toPolicy)
                .sorted(Comparator.comparing(p -> p.state().getArn())).toList();
    }

    private static AwsManagedPolicy toPolicy(Entry e) {
        String document;
        try (InputStream in = resource(e.document())) {
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException("the AWS-managed policy document " + e.document() + " is unreadable", ex);
        }
        ManagedPolicyState state = ManagedPolicyState.newBuilder()
                .setArn("arn:aws:iam::" + AWS_ACCOUNT + ":policy" + e.path() + e.policyName())
                .setPolicyId(e.policyId())
                .setPolicyName(e.policyName())
                .setPath(e.path())
                .setAccountId(AWS_ACCOUNT)
                .setRevision(versionNumber(e.defaultVersionId()))
                .setDefaultVersionId(e.defaultVersionId())
                .setDefaultDocument(document)
                .setUpdatedAt(timestamp(Instant.parse(e.versionCreateDate())))
                .build();
        return new AwsManagedPolicy(state, e.description(), Instant.parse(e.createDate()), e.source());
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = AwsManagedPolicies.class.getResourceAsStream(DIRECTORY + name);
        if (in == null) {
            throw new IOException("missing resource " + DIRECTORY + name);
        }
        return in;
    }

    /** "v188" -> 188. */
    static long versionNumber(String versionId) {
        if (versionId == null || !versionId.matches("v[1-9][0-9]{0,8}")) {
            throw new IllegalStateException("not a policy version id: " + versionId);
        }
        return Long.parseLong(versionId.substring(1));
    }

    private static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    private static Map<String, AwsManagedPolicy> index(List<AwsManagedPolicy> entries) {
        Map<String, AwsManagedPolicy> m = new LinkedHashMap<>();
        for (AwsManagedPolicy p : entries) {
            String arn = p.state().getArn();
            if (m.put(arn.substring(arn.indexOf(":policy/") + 1), p) != null) {
                throw new IllegalStateException("the AWS-managed policy catalogue lists " + arn + " twice");
            }
        }
        return Map.copyOf(m);
    }
}
