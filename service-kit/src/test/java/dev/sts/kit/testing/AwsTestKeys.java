package dev.sts.kit.testing;

import dev.sts.kit.aws.AwsKeyRing;
import java.util.List;

/**
 * The AWS key ring and long-term access keys of the services' tests (docs/adr/023), shared through
 * service-kit's test-jar. A service's tests configure the same two files, copied into its
 * {@code src/test/resources/aws/}:
 *
 * <pre>
 * %test.sts.aws.key-ring-file=src/test/resources/aws/key-ring
 * %test.sts.aws.access-keys-file=src/test/resources/aws/access-keys
 * </pre>
 *
 * and signs with {@link #ADMIN_ACCESS_KEY_ID} / {@link #adminSecret()} (the bootstrap root) or
 * {@link #USER_ACCESS_KEY_ID} / {@link #userSecret()} (an IAM user without administrator rights),
 * e.g. through the AWS SDK's {@code StaticCredentialsProvider}.
 */
public final class AwsTestKeys {
    /** The lines of {@code aws/key-ring}: "test-2" is current, "test-1" still verifies. */
    public static final List<String> RING_LINES = List.of(
            "test-2 Rp19mRTk2IMZ+zUcpaUlNQ4fphhMlcJACcWy4RTUywg=",
            "test-1 KenhWyigTm03GV+r+o9MJoeDccG5oGQLFv0+oXutVDQ=");
    public static final AwsKeyRing RING = AwsKeyRing.parse(RING_LINES, "AwsTestKeys");

    /** arn:aws:iam::000000000000:root, derived from ring key "test-2". */
    public static final String ADMIN_ACCESS_KEY_ID = "AKIA5VFXKQS4YR7EGYMK";
    public static final String ADMIN_PRINCIPAL = "arn:aws:iam::000000000000:root";
    /** arn:aws:iam::000000000000:user/developer (not a bootstrap principal), derived from ring key "test-1". */
    public static final String USER_ACCESS_KEY_ID = "AKIAOV64QDR5FRXF63YU";
    public static final String USER_PRINCIPAL = "arn:aws:iam::000000000000:user/developer";

    private AwsTestKeys() {
    }

    public static String adminSecret() {
        return RING.accessKeySecret("test-2", ADMIN_ACCESS_KEY_ID).orElseThrow();
    }

    public static String userSecret() {
        return RING.accessKeySecret("test-1", USER_ACCESS_KEY_ID).orElseThrow();
    }

    /** Claims whose secret is derived from the current test ring key (mint them, then sign with {@link #sessionSecret}). */
    public static dev.sts.kit.auth.SessionClaims withRingKey(dev.sts.kit.auth.SessionClaims claims) {
        return claims.withSecretKeyId("test-2");
    }

    /** The secret access key of a session whose claims name a test ring key. */
    public static String sessionSecret(dev.sts.kit.auth.SessionClaims claims) {
        return RING.sessionSecret(claims.secretKeyId(), claims.accessKeyId(), claims.sessionId()).orElseThrow();
    }
}
