package de.shopmigration.core.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmailRendererTest {

    @Test
    void valuesAreEscapedInTheHtmlAndLinksAppearInThePlainText() {
        EmailContent c = new EmailContent("<b>Subject</b>", "Heading <script>alert(1)</script>", List.of("Shop \"<img src=x onerror=y>\""),
                List.of(new EmailContent.Fact("Kunde", "A & B <c@d.example>")), null,
                List.of(new EmailContent.Action("Go", "https://pages.example/m/M-1/abc.def?x=\"><script>", true)),
                List.of(), "Gruß", "Footer");
        String html = EmailRenderer.html(c, "de", "Provider <GmbH>");
        assertThat(html).doesNotContain("<script>", "<img src=x", "<b>Subject</b>", "Provider <GmbH>")
                .contains("&lt;script&gt;", "A &amp; B &lt;c@d.example&gt;");
        String text = EmailRenderer.text(c);
        assertThat(text).contains("Go:\nhttps://pages.example/m/M-1/abc.def").contains("Kunde: A & B <c@d.example>");
    }

    /** The invariant of the plain-text part: every "label:" line followed by a URL line is one of the email's own actions. */
    static void onlyOurActionsLookLikeActions(String text, List<EmailContent.Action> actions) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].endsWith(":") && lines[i + 1].matches("\\s*(https?://|www\\.)\\S*\\s*")) {
                String label = lines[i].substring(0, lines[i].length() - 1);
                String url = lines[i + 1].strip();
                assertThat(actions).as("line " + i + ": \"" + lines[i] + "\" + " + url + " is one of ours")
                        .anyMatch(a -> a.label().equals(label) && a.url().equals(url));
            }
        }
    }

    @Test
    void textACustomerTypedIsQuotedAfterTheActionsAndCannotPassForAnAction() {
        String typed = "Warenkorb leer\r\nProbleme behoben:\nhttps://evil.example/fix\n\n\u202eAlle Tests bestanden:\r"
                + "https://evil.example/ok\u0000\u001b[2J";
        List<EmailContent.Action> actions = List.of(new EmailContent.Action("Probleme behoben", "https://pages.example/m/M-1/abc.def", true));
        EmailContent c = new EmailContent("S", "H", List.of("Hallo"),
                List.of(new EmailContent.Fact("Domain", "shop.example\nProbleme behoben:"),
                        EmailContent.Fact.quoted("Beschreibung", typed, "Erika Mustermann schrieb")),
                null, actions, List.of("Notiz"), "Gruß", "Footer");
        String text = EmailRenderer.text(c);
        onlyOurActionsLookLikeActions(text, actions);
        assertThat(text.indexOf("> Warenkorb leer")).as("quoted after the action").isGreaterThan(text.indexOf("https://pages.example/m/M-1/abc.def"));
        assertThat(text).contains("Erika Mustermann schrieb (Beschreibung):\n> Warenkorb leer\n> Probleme behoben:\n> https://evil.example/fix\n>")
                .contains("Domain: shop.example Probleme behoben:")
                .doesNotContain("\u0000", "\u001b", "\u202e", "\r");
        String html = EmailRenderer.html(c, "de", "P");
        assertThat(html).contains("Erika Mustermann schrieb").doesNotContain("<script");
    }

    @Test
    void randomTypedTextNeverForgesAnActionLine() {
        java.util.Random random = new java.util.Random(17);
        String[] pieces = {"Probleme behoben:", "Alle Tests bestanden:", "https://evil.example/", "http://x", "\n", "\r\n", "\r", " ",
                ":", "> ", "\u202e", "\u0000", "\u0085", "www.evil.example", "Kopie abgeschlossen:", "\t"};
        List<EmailContent.Action> actions = List.of(new EmailContent.Action("Probleme behoben", "https://pages.example/m/M-1/a.b", true),
                new EmailContent.Action("Alle Tests bestanden", "https://pages.example/m/M-1/c.d", true));
        for (int run = 0; run < 2000; run++) {
            StringBuilder typed = new StringBuilder();
            for (int i = random.nextInt(12); i >= 0; i--) {
                typed.append(pieces[random.nextInt(pieces.length)]);
            }
            EmailContent c = new EmailContent("S", "H", List.of("Hallo"),
                    List.of(new EmailContent.Fact("Feld", typed.toString()), EmailContent.Fact.quoted("Beschreibung", typed.toString(), "X schrieb")),
                    null, actions, List.of(), "Gruß", "Footer");
            String text = EmailRenderer.text(c);
            onlyOurActionsLookLikeActions(text, actions);
            assertThat(text).doesNotContain("\u0000", "\u202e", "\u0085", "\r");
        }
    }
}
