package de.shopmigration.links;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import de.shopmigration.core.links.LinkSigner;
import java.util.Map;

/**
 * Coverage-guided fuzzing (Jazzer) of what a link request brings from outside: the migration id
 * and token in the path, the form body, a callback's body and typed text on its way into an
 * email. Whatever arrives, the signature check answers yes or no without throwing and accepts
 * nothing it did not sign, the form decoder returns fields or a Malformed (a 400 page), never
 * another exception (which would be a 500), and the invariants of the second part hold.
 * CI runs it for a bounded time (maxDuration); findings are kept as seeds in the test resources.
 */
@Tag("full")
class LinkInputFuzzTest {

    private static final LinkSigner SIGNER = new LinkSigner("fuzz-secret-0123456789-abcdefghijklmnop");

    // Jazzer fuzzes one @FuzzTest per run (it would skip a second): both parts share this one.
    @FuzzTest(maxDuration = "40s")
    void linkTokensAndFormBodiesNeverEscapeAsServerErrors(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            acceptedInputIsCleanStorableAndCannotForgeAnEmailAction(data);
            return;
        }
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
            // What was decoded is exactly what a browser would send for these fields: encoding it
            // again and decoding gives the same fields in the same order (first value wins).
            String again = fields.entrySet().stream()
                    .map(f -> java.net.URLEncoder.encode(f.getKey(), java.nio.charset.StandardCharsets.UTF_8) + "="
                            + java.net.URLEncoder.encode(f.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                    .collect(java.util.stream.Collectors.joining("&"));
            assertThat(FormBody.parse(again)).containsExactlyEntriesOf(fields);
        } catch (FormBody.Malformed expected) {
            // answered with a 400 page
        }
    }

    private static final de.shopmigration.core.MigrationRecord RECORD = de.shopmigration.core.lambda.Collaborators.primingRecord();
    private static final de.shopmigration.core.mail.Texts TEXTS = de.shopmigration.core.mail.Texts.of(de.shopmigration.core.Language.DE);
    private static final java.util.List<de.shopmigration.core.Purpose> FORMS = java.util.List.of(de.shopmigration.core.Purpose.QUESTIONNAIRE,
            de.shopmigration.core.Purpose.PROBLEMS_FOUND, de.shopmigration.core.Purpose.COPY_DONE, de.shopmigration.core.Purpose.COPY_FAILED);

    /**
     * The invariants at the boundary, whatever is posted: nothing accepted holds a control or
     * bidi-control character (a line break only in a text area), every accepted number is one
     * DynamoDB stores (at most 38 digits, magnitude between 1E-130 and 1E+126), a callback body
     * is one JSON object or refused, and no email's plain-text part shows an action label with a
     * URL that is not one of its own links.
     */
    private static void acceptedInputIsCleanStorableAndCannotForgeAnEmailAction(FuzzedDataProvider data) {
        de.shopmigration.core.Purpose purpose = FORMS.get(data.consumeInt(0, FORMS.size() - 1));
        java.util.List<Field> spec = Forms.fields(purpose, RECORD, TEXTS, "Hosting");
        Map<String, String> posted = new java.util.HashMap<>();
        for (Field f : spec) {
            posted.put(f.name(), data.consumeString(300));
        }
        Forms.Checked checked = Forms.check(spec, posted, TEXTS);
        if (checked.ok()) {
            for (Field f : checked.fields()) {
                String v = f.value();
                assertThat(de.shopmigration.core.TypedText.firstForbidden(v, f.kind() == Field.Kind.TEXTAREA)).as(f.name()).isEqualTo(-1);
                if (f.rule() == Field.Rule.DECIMAL && !v.isEmpty()) {
                    java.math.BigDecimal n = new java.math.BigDecimal(v.replace(',', '.'));
                    assertThat(n.precision()).as(f.name()).isLessThanOrEqualTo(38);
                    assertThat(n.signum() == 0 || n.abs().compareTo(new java.math.BigDecimal("1E-130")) >= 0
                            && n.abs().compareTo(new java.math.BigDecimal("1E126")) < 0).as(f.name() + " = " + v).isTrue();
                }
                if ((f.rule() == Field.Rule.SIZE || f.rule() == Field.Rule.COUNT) && !v.isEmpty()) {
                    // Stored as a whole number that fits a long: at most 19 digits, which DynamoDB takes.
                    var read = f.rule() == Field.Rule.SIZE ? WrittenFigures.size(v) : WrittenFigures.count(v);
                    assertThat(read).as(f.name() + " = " + v).isInstanceOf(WrittenFigures.Read.class);
                    assertThat(((WrittenFigures.Read) read).value()).as(f.name() + " = " + v).isNotNegative();
                }
            }
            if (purpose == de.shopmigration.core.Purpose.QUESTIONNAIRE) {
                // Every important page the form accepted is one the site check fetches, on the migration's own host names.
                com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) de.shopmigration.core.json.Json.tree(RECORD);
                tree.set("answers", Forms.answers(checked, RECORD));
                var answered = de.shopmigration.core.json.Json.convert(tree, de.shopmigration.core.MigrationRecord.class);
                java.util.List<String> pages = de.shopmigration.core.SitePages.importantPaths(answered);
                assertThat(pages).hasSameSizeAs(de.shopmigration.core.SitePages.lines(checked.values().get("importantPages")));
                java.util.List<String> hosts = de.shopmigration.core.SitePages.hosts(RECORD.request());
                for (String page : pages) {
                    java.net.URI uri = java.net.URI.create(page.startsWith("/") ? "https://" + hosts.get(0) + page : page);
                    assertThat(hosts).as(page).contains(uri.getHost());
                }
            }
            if (purpose == de.shopmigration.core.Purpose.COPY_DONE) {
                // What the page accepted is stored without a second opinion: reading it cannot fail.
                CopyForm.result(de.shopmigration.core.Step.INITIAL_COPY, purpose, checked.values(), java.time.Instant.EPOCH);
                var access = CopyForm.access(checked.values(), java.time.Instant.EPOCH).orElseThrow();
                assertThat(access.url() != null || access.ip() != null).as("a way to the test system").isTrue();
                if (access.url() != null) {
                    assertThat(access.url()).matches("(?i)https?://[^\\s]+");
                }
            }
        }

        byte[] body = data.consumeBytes(400);
        try {
            var tree = CopyCallback.strictJson(body);
            assertThat(tree.isObject()).isTrue();
        } catch (IllegalArgumentException refused) {
            // answered 400
        }

        String typed = data.consumeRemainingAsString();
        java.util.List<de.shopmigration.core.mail.EmailContent.Action> actions = java.util.List.of(
                new de.shopmigration.core.mail.EmailContent.Action("Probleme behoben", "https://pages.example/m/M-1/a.b", true));
        String text = de.shopmigration.core.mail.EmailRenderer.text(new de.shopmigration.core.mail.EmailContent("S", "H", java.util.List.of("Hallo"),
                java.util.List.of(new de.shopmigration.core.mail.EmailContent.Fact("Feld", typed),
                        de.shopmigration.core.mail.EmailContent.Fact.quoted("Beschreibung", typed, "Erika schrieb")),
                null, actions, java.util.List.of(), "Gruß", "Footer"));
        String[] lines = text.split("\n", -1);
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].endsWith(":") && lines[i + 1].strip().matches("(?i)(https?://|www\\.)\\S*")) {
                assertThat(lines[i] + lines[i + 1].strip()).isEqualTo("Probleme behoben:https://pages.example/m/M-1/a.b");
            }
        }
    }
}
