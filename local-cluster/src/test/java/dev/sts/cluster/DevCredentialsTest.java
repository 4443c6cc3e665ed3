package dev.sts.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCredentialsTest {

    @Test
    void sha256IsLowercaseHexOfTheUtf8Token() {
        // FIPS 180-2 test vector
        assertThat(DevCredentials.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void tokensArePrefixedUrlSafeAndDistinct() {
        String a = DevCredentials.newToken();
        String b = DevCredentials.newToken();
        assertThat(a).matches("sts-dev-[A-Za-z0-9_-]{32}");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void principalsAreRootServiceAndIntruder() {
        assertThat(DevCredentials.principals("123456789012")).containsExactly(
                Map.entry("admin", "arn:aws:iam::123456789012:root"),
                Map.entry("ec2", "ec2.amazonaws.com"),
                Map.entry("intruder", "arn:aws:iam::123456789012:user/intruder"),
                Map.entry("token-service", "token-service.sts.internal"));
    }

    @Test
    void staticCredentialsFileHasOneHashLinePerCredentialAndCommentsOnly() {
        List<DevCredentials.Credential> creds = List.of(
                new DevCredentials.Credential("admin", "arn:aws:iam::000000000000:root", "sts-dev-a"),
                new DevCredentials.Credential("ec2", "ec2.amazonaws.com", "sts-dev-b"));
        String file = DevCredentials.staticCredentialsFile(creds);

        List<String> data = file.lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(data).containsExactly(
                DevCredentials.sha256Hex("sts-dev-a") + " arn:aws:iam::000000000000:root",
                DevCredentials.sha256Hex("sts-dev-b") + " ec2.amazonaws.com");
        assertThat(data).allMatch(l -> l.matches("[0-9a-f]{64} \\S+"));
        assertThat(file).doesNotContain("sts-dev-a\n").doesNotContain(" sts-dev-");
        assertThat(DevCredentials.parseStaticCredentials(file)).containsExactly(
                Map.entry(DevCredentials.sha256Hex("sts-dev-a"), "arn:aws:iam::000000000000:root"),
                Map.entry(DevCredentials.sha256Hex("sts-dev-b"), "ec2.amazonaws.com"));
    }

    @Test
    void writeCreatesOwnerOnlyTokenFilesAndTheHashFile(@TempDir Path state) throws Exception {
        List<DevCredentials.Credential> creds = DevCredentials.generate("000000000000");
        DevCredentials.write(state, creds);

        for (DevCredentials.Credential c : creds) {
            Path f = state.resolve("credentials").resolve(c.name() + ".token");
            assertThat(Files.readString(f)).isEqualTo(c.token() + "\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        }
        Path hashes = state.resolve("static-credentials");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hashes))).isEqualTo("rw-------");
        Map<String, String> parsed = DevCredentials.parseStaticCredentials(Files.readString(hashes));
        assertThat(parsed).hasSize(4);
        for (DevCredentials.Credential c : creds) {
            assertThat(parsed).containsEntry(DevCredentials.sha256Hex(c.token()), c.principal());
        }
        assertThat(Files.readString(hashes)).doesNotContain(creds.get(0).token());

        // every start rewrites the tokens
        List<DevCredentials.Credential> again = DevCredentials.generate("000000000000");
        DevCredentials.write(state, again);
        assertThat(Files.readString(state.resolve("credentials/admin.token"))).isEqualTo(again.get(0).token() + "\n");
    }
}
