package dev.sts.token.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AWS's shapes, and every character of each alphabet in use (no character favoured or lost). */
class CredentialsTest {
    @Test
    void accessKeyIdsAreAsiaAndSixteenBase32CharactersWithRandomOnesLast() {
        Set<Character> seen = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String id = Credentials.accessKeyId();
            assertThat(id).matches("ASIA[A-Z2-7]{16}");
            ids.add(id);
            id.substring(13).chars().forEach(c -> seen.add((char) c)); // the 7 random characters
        }
        assertThat(seen).hasSize(32);
        assertThat(ids).hasSize(2_000);
    }

    @Test
    void secretAccessKeysAreFortyCharactersOfTheWholeAlphabet() {
        Set<Character> seen = new HashSet<>();
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String secret = Credentials.secretAccessKey();
            assertThat(secret).matches("[A-Za-z0-9+/]{40}");
            secrets.add(secret);
            secret.chars().forEach(c -> seen.add((char) c));
        }
        assertThat(seen).hasSize(64);
        assertThat(secrets).hasSize(2_000);
    }
}
