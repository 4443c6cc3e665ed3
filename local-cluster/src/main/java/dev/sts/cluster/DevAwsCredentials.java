package dev.sts.cluster;

import dev.sts.kit.aws.AwsKeyRing;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AWS credentials of the local cluster (docs/adr/023): the key ring secret access keys are derived
 * from ({@code <state>/aws/key-ring}, generated once, so sessions outlive a restart), long-term
 * access keys of the dev principals ({@code aws/access-keys}: key id, ring key, principal; new keys on
 * every start, like the bearer tokens), and an AWS CLI config and credentials file pointing each
 * service's API at its local endpoint ({@code aws/config}, {@code aws/credentials}).
 */
public final class DevAwsCredentials {
    public static final String DIR = "aws";
    public static final String RING_KEY_ID = "dev-1";
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A long-term access key of a dev principal, and the CLI profile that uses it. */
    public record AccessKey(String profile, String accessKeyId, String principal) {
    }

    private DevAwsCredentials() {
    }

    /**
     * The principals with access keys, by CLI profile: the admin (root: administers IAM, and, as on
     * AWS, cannot assume roles), a developer (an IAM user that roles may trust by name), and ec2
     * (the EC2 service principal, standing in for the service that assumes an instance profile's
     * role, as the bearer credential {@code ec2} does).
     */
    public static Map<String, String> principals(String accountId) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sts-admin", DevCredentials.rootArn(accountId));
        m.put("sts-developer", "arn:aws:iam::" + accountId + ":user/developer");
        m.put("sts-ec2", "ec2.amazonaws.com");
        return m;
    }

    /** "AKIA" + 16 base32 characters, as AWS long-term access key ids. */
    static String newAccessKeyId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        StringBuilder b = new StringBuilder("AKIA");
        for (byte x : bytes) {
            b.append(BASE32[x & 31]);
        }
        return b.toString();
    }

    /** Writes the ring (if absent), fresh access keys, and the AWS CLI files; returns the keys. */
    public static List<AccessKey> write(StateLayout layout, String accountId, Endpoints endpoints) throws IOException {
        Files2.createPrivateDirectories(layout.awsDir());
        if (!Files.exists(layout.awsKeyRingFile())) {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            Files2.writePrivate(layout.awsKeyRingFile(), "# sts local cluster: the AWS key ring (docs/adr/023)."
                    + " Secret: whoever holds it can sign as any session.\n"
                    + RING_KEY_ID + " " + Base64.getEncoder().encodeToString(key) + "\n");
        }
        AwsKeyRing ring = AwsKeyRing.load(layout.awsKeyRingFile());
        String kid = ring.currentKeyId().orElseThrow(() -> new IOException(layout.awsKeyRingFile() + " holds no key"));
        List<AccessKey> keys = new ArrayList<>();
        principals(accountId).forEach((profile, principal) -> keys.add(new AccessKey(profile, newAccessKeyId(), principal)));

        StringBuilder accessKeys = new StringBuilder("# sts local cluster: long-term access keys, rewritten by every"
                + " `./sts up`. <access key id> <key ring id> <principal>; no secrets.\n");
        StringBuilder credentials = new StringBuilder("# sts local cluster: AWS CLI credentials, rewritten by every"
                + " `./sts up`.\n");
        StringBuilder config = new StringBuilder("# sts local cluster: AWS CLI profiles, rewritten by every `./sts up`."
                + " Each API goes to its service.\n");
        for (AccessKey k : keys) {
            accessKeys.append(k.accessKeyId()).append(' ').append(kid).append(' ').append(k.principal()).append('\n');
            String secret = ring.accessKeySecret(kid, k.accessKeyId()).orElseThrow();
            credentials.append('[').append(k.profile()).append("]\n")
                    .append("aws_access_key_id = ").append(k.accessKeyId()).append('\n')
                    .append("aws_secret_access_key = ").append(secret).append("\n\n");
            config.append("[profile ").append(k.profile()).append("]\n")
                    .append("region = us-east-1\n")
                    .append("services = sts-local\n\n");
        }
        config.append("[services sts-local]\n")
                .append("sts =\n  endpoint_url = ").append(endpoints.baseUri(Component.TOKEN_SERVICE)).append('\n')
                .append("iam =\n  endpoint_url = ").append(endpoints.baseUri(Component.ROLE_SERVICE)).append('\n')
                .append("cloudtrail =\n  endpoint_url = ").append(endpoints.baseUri(Component.AUDIT_SERVICE)).append('\n');
        Files2.writePrivate(layout.awsAccessKeysFile(), accessKeys.toString());
        Files2.writePrivate(layout.awsCredentialsFile(), credentials.toString());
        Files2.writePrivate(layout.awsConfigFile(), config.toString());
        return keys;
    }

    /** The two lines that use the CLI files: the environment, then a first command. */
    public static List<String> usage(StateLayout layout) {
        return List.of("export AWS_CONFIG_FILE=" + layout.awsConfigFile().toAbsolutePath()
                        + " AWS_SHARED_CREDENTIALS_FILE=" + layout.awsCredentialsFile().toAbsolutePath(),
                "aws --profile sts-admin sts get-caller-identity   # also --profile sts-developer, sts-ec2");
    }
}
