package dev.sts.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.kit.aws.AwsAccessKeys;
import dev.sts.kit.aws.AwsKeyRing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevAwsCredentialsTest {
    @TempDir
    Path root;

    @Test
    void writesTheRingOnceAndFreshKeysWithTheirCliFiles() throws Exception {
        StateLayout layout = new StateLayout(root, root.resolve(".sts"));
        Endpoints endpoints = new Endpoints(1, 2, 8081, 8082, 8083);
        List<DevAwsCredentials.AccessKey> keys = DevAwsCredentials.write(layout, "123456789012", endpoints);
        String ring = Files.readString(layout.awsKeyRingFile());

        assertThat(keys).extracting(DevAwsCredentials.AccessKey::profile).containsExactly("sts-admin", "sts-developer", "sts-ec2");
        assertThat(keys.get(0).accessKeyId()).matches("AKIA[A-Z2-7]{16}");
        assertThat(keys.get(0).principal()).isEqualTo("arn:aws:iam::123456789012:root");
        AwsAccessKeys parsed = AwsAccessKeys.load(layout.awsAccessKeysFile());
        assertThat(parsed.find(keys.get(1).accessKeyId())).get()
                .extracting(AwsAccessKeys.AccessKey::principal).isEqualTo("arn:aws:iam::123456789012:user/developer");

        // The credentials file holds the secret derived from the ring; the access-keys file holds none.
        String secret = AwsKeyRing.load(layout.awsKeyRingFile())
                .accessKeySecret(DevAwsCredentials.RING_KEY_ID, keys.get(0).accessKeyId()).orElseThrow();
        assertThat(Files.readString(layout.awsCredentialsFile()))
                .contains("[sts-admin]\naws_access_key_id = " + keys.get(0).accessKeyId()
                        + "\naws_secret_access_key = " + secret + "\n");
        assertThat(Files.readString(layout.awsAccessKeysFile())).doesNotContain(secret);
        assertThat(Files.readString(layout.awsConfigFile())).contains("[profile sts-admin]\nregion = us-east-1\n"
                + "services = sts-local\n", "sts =\n  endpoint_url = http://127.0.0.1:8082\n",
                "iam =\n  endpoint_url = http://127.0.0.1:8081\n", "cloudtrail =\n  endpoint_url = http://127.0.0.1:8083\n");
        for (Path p : List.of(layout.awsKeyRingFile(), layout.awsCredentialsFile(), layout.awsAccessKeysFile())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
        }

        // A second start keeps the ring (sessions survive it) and issues new access keys.
        List<DevAwsCredentials.AccessKey> again = DevAwsCredentials.write(layout, "123456789012", endpoints);
        assertThat(Files.readString(layout.awsKeyRingFile())).isEqualTo(ring);
        assertThat(again.get(0).accessKeyId()).isNotEqualTo(keys.get(0).accessKeyId());
        assertThat(DevAwsCredentials.usage(layout).get(0)).startsWith("export AWS_CONFIG_FILE=" + layout.awsConfigFile())
                .contains(" AWS_SHARED_CREDENTIALS_FILE=" + layout.awsCredentialsFile());
    }
}
