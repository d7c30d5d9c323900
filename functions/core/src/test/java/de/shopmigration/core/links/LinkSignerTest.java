package de.shopmigration.core.links;

import de.shopmigration.core.MissingConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkSignerTest {

    final LinkSigner signer = new LinkSigner("0123456789abcdef0123456789abcdef");

    @Test
    void aTokenVerifiesForItsMigrationOnly() {
        String id = signer.newId();
        String token = signer.token("M-1", id);
        assertThat(signer.verify("M-1", token)).contains(id);
        assertThat(signer.verify("M-2", token)).isEmpty();
    }

    @Test
    void changingAnyCharacterOfTheTokenMakesItInvalid() {
        String token = signer.token("M-1", signer.newId());
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        for (int i = 0; i < token.length(); i++) {
            for (char c : alphabet.toCharArray()) {
                if (c == token.charAt(i)) {
                    continue;
                }
                String tampered = token.substring(0, i) + c + token.substring(i + 1);
                assertThat(signer.verify("M-1", tampered)).as(tampered).isEmpty();
            }
        }
    }

    @Test
    void idsAreRandom128BitValues() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(signer.newId());
        }
        assertThat(ids).hasSize(10_000).allSatisfy(id -> assertThat(java.util.Base64.getUrlDecoder().decode(id)).hasSize(16));
    }

    @Test
    void malformedTokensAreRefusedNotThrown() {
        for (String bad : new String[] {"", ".", "abc", "a.b.c", "%%%.%%%", "x".repeat(500), null}) {
            assertThat(signer.verify("M-1", bad)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void aShortSecretIsAConfigurationError() {
        assertThatThrownBy(() -> new LinkSigner("short")).isInstanceOf(MissingConfiguration.class);
    }
}
