package de.shopmigration.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import de.shopmigration.core.LinkSigner;
import java.util.Map;

/**
 * Coverage-guided fuzzing (Jazzer) of what a link request brings from outside: the migration id
 * and token in the path, and the form body. Whatever arrives, the signature check answers yes
 * or no without throwing and accepts nothing it did not sign, and the form decoder returns
 * fields or a Malformed (a 400 page), never another exception (which would be a 500).
 * CI runs it for a bounded time (maxDuration); findings are kept as seeds in the test resources.
 */
class LinkInputFuzzTest {

    private static final LinkSigner SIGNER = new LinkSigner("fuzz-secret-0123456789-abcdefghijklmnop");

    @FuzzTest(maxDuration = "30s")
    void linkTokensAndFormBodiesNeverEscapeAsServerErrors(FuzzedDataProvider data) {
        String migrationId = data.consumeString(100);
        String token = data.consumeString(200);
        String body = data.consumeRemainingAsString();

        var verified = SIGNER.verify(migrationId, token);
        verified.ifPresent(id -> assertThat(SIGNER.token(migrationId, id)).as("only what was signed is accepted").isEqualTo(token));

        // A real link for this migration, with one character changed, is refused.
        if (!migrationId.isEmpty() && !token.isEmpty()) {
            byte[] idBytes = java.nio.ByteBuffer.allocate(16).putLong(token.hashCode()).putLong(body.hashCode()).array();
            String genuine = SIGNER.token(migrationId, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes));
            int at = Math.floorMod(token.hashCode(), genuine.length());
            char c = genuine.charAt(at);
            String tampered = genuine.substring(0, at) + (char) (c == 'A' ? 'B' : 'A') + genuine.substring(at + 1);
            assertThat(SIGNER.verify(migrationId, genuine)).isPresent();
            assertThat(SIGNER.verify(migrationId, tampered)).isEmpty();
        }

        try {
            Map<String, String> fields = FormBody.parse(body);
            fields.forEach((name, value) -> assertThat(name).isNotNull());
        } catch (FormBody.Malformed expected) {
            // answered with a 400 page
        }
    }
}
