package dev.sts.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.kit.aws.AwsAccessKeys;
import dev.sts.kit.aws.AwsKeyRing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml configures the services as deploy/ does: every service that verifies SigV4
 * (all three serve an AWS protocol: STS, IAM, CloudTrail) has the key ring and the access keys
 * (docs/adr/023), at the paths deploy/base mounts the Secret {@code sts-aws-key-ring} at, from files
 * that exist, equal the dev overlay's copies, and are marked as development-only.
 */
class ComposeDeployConsistencyTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final List<String> SIGV4_SERVICES = List.of("role-service", "token-service", "audit-service");
    static final List<String> AWS_SETTINGS = List.of("STS_AWS_KEY_RING_FILE", "STS_AWS_ACCESS_KEYS_FILE");

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(String name) throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        ((Map<String, Object>) service.get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    /** Container path -> host path (relative to the repository) of the service's bind mounts. */
    @SuppressWarnings("unchecked")
    static Map<String, Path> mounts(Map<String, Object> service) {
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (Object v : (List<Object>) service.getOrDefault("volumes", List.of())) {
            String[] parts = v.toString().split(":");
            if (parts[0].startsWith("./")) {
                mounts.put(parts[1], ROOT.resolve(parts[0]).normalize());
            }
        }
        return mounts;
    }

    /** deploy/base/common.env: KEY=value lines. */
    static Map<String, String> deployCommonEnv() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("deploy/base/common.env"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    @Test
    void everySigV4ServiceHasTheKeyRingAndAccessKeysAtDeploysPaths() throws IOException {
        Map<String, String> deploy = deployCommonEnv();
        assertThat(deploy).containsKeys(AWS_SETTINGS.toArray(String[]::new));
        for (String name : SIGV4_SERVICES) {
            Map<String, Object> service = service(name);
            Map<String, String> env = environment(service);
            Map<String, Path> mounts = mounts(service);
            for (String setting : AWS_SETTINGS) {
                assertThat(env).as(name + " " + setting).containsEntry(setting, deploy.get(setting));
                Path host = mounts.get(env.get(setting));
                assertThat(host).as(name + ": a file mounted at " + env.get(setting)).isNotNull();
                assertThat(host).as(name + " " + setting).isRegularFile();
            }
        }
    }

    @Test
    void theComposeFilesAreTheDevOverlaysAndMarkedDevOnly() throws IOException {
        Map<String, Path> mounts = mounts(service("token-service"));
        Path ring = mounts.get("/etc/sts-aws/key-ring");
        Path keys = mounts.get("/etc/sts-aws/access-keys");
        assertThat(ring).hasSameTextualContentAs(ROOT.resolve("deploy/overlays/dev/aws-key-ring"));
        assertThat(keys).hasSameTextualContentAs(ROOT.resolve("deploy/overlays/dev/aws-access-keys"));
        assertThat(Files.readString(ring)).startsWith("# DEV ONLY");
        assertThat(Files.readString(keys)).startsWith("# DEV ONLY");

        // The files load as the services load them, and every access key names a key of the ring.
        AwsKeyRing loaded = AwsKeyRing.load(ring);
        List<AwsAccessKeys.AccessKey> all = new java.util.ArrayList<>();
        AwsAccessKeys.load(keys).all().forEach(all::add);
        assertThat(all).isNotEmpty().allSatisfy(k -> assertThat(loaded.contains(k.ringKeyId())).isTrue());
        // The dev admin's derived secret, as docker/dev-credentials/README.md prints it.
        String secret = loaded.accessKeySecret("dev-1", "AKIADEVONLYADMINKEY2").orElseThrow();
        assertThat(Files.readString(ROOT.resolve("docker/dev-credentials/README.md")))
                .contains("| `AKIADEVONLYADMINKEY2` | `" + secret + "` |");
    }
}
