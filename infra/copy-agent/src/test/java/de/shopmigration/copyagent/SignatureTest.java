package de.shopmigration.copyagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SignatureTest {

    @Test
    void headerIsBase64UrlWithoutPaddingOfTheHmacSha256OfTheBody() {
        // RFC 4231-style known value: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog")
        byte[] mac = HexFormat.of().parseHex("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
        String expected = "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
        byte[] body = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);
        assertThat(new Signature("key").header(body)).isEqualTo(expected);
        assertThat(expected.substring(7)).doesNotContain("=", "+", "/");
    }

    @Test
    void onlyTheExactHeaderForTheExactBodyMatches() {
        Signature s = new Signature("a-shared-secret-with-at-least-32-characters");
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String header = s.header(body);
        assertThat(s.matches(header, body)).isTrue();
        assertThat(s.matches(" " + header + " ", body)).isTrue();
        assertThat(s.matches(null, body)).isFalse();
        assertThat(s.matches("", body)).isFalse();
        assertThat(s.matches(header.substring(7), body)).isFalse();
        assertThat(s.matches(header, "{\"a\":2}".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(s.matches(new Signature("another-shared-secret-with-32-characters").header(body), body)).isFalse();
    }
}
