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
}
