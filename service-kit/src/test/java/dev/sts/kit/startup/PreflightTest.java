package dev.sts.kit.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {
    static final String DEV_KEK = "ZGV2LW9ubHkta2VrLWRvLW5vdC11c2UtaW4tcHJvZCE=";

    static Config config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 500)).build();
    }

    @Test
    void thePublicDevKeyEncryptionKeyIsRefusedNamingTheSettingNotTheValue() {
        List<String> problems = Preflight.problems(config(Map.of("sts.token.key-encryption-key", DEV_KEK)));
        assertThat(problems).singleElement().satisfies(p -> assertThat(p)
                .startsWith("sts.token.key-encryption-key is a public default (the dev key-encryption key")
                .contains("sts.dev-mode=true").doesNotContain(DEV_KEK));
    }

    @Test
    void aPublishedValueIsRecognisedUnderAnyName() {
        assertThat(Preflight.problems(config(Map.of("some.other.secret", "dev-only-tokens-password"))))
                .singleElement().asString().startsWith("some.other.secret is a public default (the dev password of the tokens database");
    }

    @Test
    void devDatabasePasswordsAndTheTokenServiceCredentialAreRefused() {
        assertThat(Preflight.problems(config(Map.of(
                "quarkus.datasource.password", "dev-only-roles-password",
                "sts.token.role-service-credential", "dev-only-token-service-credential"))))
                .hasSize(2).allSatisfy(p -> assertThat(p).doesNotContain("dev-only"));
    }

    @Test
    void devModeAcceptsThem() {
        assertThat(Preflight.problems(config(Map.of("sts.dev-mode", "true", "sts.token.key-encryption-key", DEV_KEK,
                "quarkus.datasource.password", "postgres")))).isEmpty();
    }

    @Test
    void anotherProfilesValueIsNotInEffect() {
        assertThat(Preflight.problems(config(Map.of("%test.sts.token.key-encryption-key", DEV_KEK)))).isEmpty();
    }

    @Test
    void aStaticCredentialsFileWithTheDevAdminCredentialIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("static-credentials");
        Files.writeString(file, "# dev\n12f65bb06e86f4d282477250c8cdb96ecd23a6e93c14e979bb12ad13692fc86a arn:aws:iam::000000000000:root\n"
                + "0000000000000000000000000000000000000000000000000000000000000000 ops\n");
        assertThat(Preflight.problems(config(Map.of("sts.auth.static-credentials-file", file.toString()))))
                .singleElement().asString().contains("public default credential for arn:aws:iam::000000000000:root");
    }

    @Test
    void aJwksUrlWithoutAnIssuerIsRefused() {
        assertThat(Preflight.problems(config(Map.of("sts.auth.jwks-url", "http://token-service:8082/.well-known/jwks.json"))))
                .singleElement().asString().contains("sts.auth.issuer");
    }

    @Test
    void theServicesOwnDatabaseIsCheckedWithItsOwnSettingsAndNoSecretIsPrinted() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, String> values = new HashMap<>();
        values.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + closed + "/roles?password=s3cret");
        values.put("quarkus.datasource.username", "role_service");
        values.put("quarkus.datasource.password", "hunter2");
        assertThat(Preflight.problems(config(values))).singleElement().asString()
                .startsWith("cannot connect to PostgreSQL database 127.0.0.1:" + closed + "/roles as role_service")
                .doesNotContain("s3cret").doesNotContain("hunter2");
    }
}
