package de.shopmigration.core.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The hand-written MIME is checked by a real parser, Jakarta Mail. */
class MimeWriterTest {

    static MimeMessage parse(byte[] raw) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    }

    @Test
    void germanSubjectAndNamesSurviveAndBothAlternativesAreThere() throws Exception {
        String subject = "[M-1] Übertragung abgeschlossen: Ihr Testsystem ist eingerichtet – bitte prüfen Sie alles gründlich";
        byte[] raw = MimeWriter.write(new MimeWriter.Address("Müller Hosting", "umzug@hosting.example"),
                new MimeWriter.Address("Jürgen Weiß", "juergen@shop.example"), "team@hosting.example", subject,
                "Grüße aus Köln\n", "<p>Grüße aus Köln</p>", List.of(), Map.of("X-Migration-Kind", "COPY_DONE"), ZonedDateTime.now());
        MimeMessage m = parse(raw);
        assertThat(m.getSubject()).isEqualTo(subject);
        assertThat(((InternetAddress) m.getFrom()[0]).getPersonal()).isEqualTo("Müller Hosting");
        assertThat(((InternetAddress) m.getRecipients(jakarta.mail.Message.RecipientType.TO)[0]).getPersonal()).isEqualTo("Jürgen Weiß");
        assertThat(m.getHeader("X-Migration-Kind", null)).isEqualTo("COPY_DONE");
        Multipart alt = (Multipart) m.getContent();
        assertThat(alt.getContentType()).startsWith("multipart/alternative");
        assertThat(alt.getBodyPart(0).getContent()).isEqualTo("Grüße aus Köln\n");
        assertThat(alt.getBodyPart(1).getContent()).isEqualTo("<p>Grüße aus Köln</p>");
        for (String line : new String(raw, StandardCharsets.US_ASCII).split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(998);
        }
    }

    @Test
    void attachmentsComeAsTheirOwnParts() throws Exception {
        byte[] pdf = "%PDF-1.7 fake".getBytes(StandardCharsets.US_ASCII);
        MimeMessage m = parse(MimeWriter.write(new MimeWriter.Address(null, "a@b.example"), new MimeWriter.Address(null, "c@d.example"),
                null, "Test", "t", "<p>h</p>", List.of(new Attachment("Testszenarien.pdf", "application/pdf", pdf)), Map.of(), ZonedDateTime.now()));
        Multipart mixed = (Multipart) m.getContent();
        assertThat(mixed.getCount()).isEqualTo(2);
        assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("Testszenarien.pdf");
        assertThat(mixed.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(pdf);
    }

    @Test
    void aLineBreakInAHeaderValueCannotInjectHeaders() throws Exception {
        MimeMessage m = parse(MimeWriter.write(new MimeWriter.Address("Evil\r\nBcc: victim@x.example", "a@b.example"),
                new MimeWriter.Address(null, "c@d.example"), null, "Hi\r\nBcc: victim@x.example", "t", "h", List.of(), Map.of(),
                ZonedDateTime.now()));
        assertThat(m.getHeader("Bcc")).isNull();
        assertThat(m.getSubject()).isEqualTo("Hi  Bcc: victim@x.example");
    }

    @Test
    void umlautsInNamesAddressesAndFileNamesSurviveEncodedAndEveryLineIsSevenBit() throws Exception {
        byte[] pdf = "%PDF-1.7 fake".getBytes(StandardCharsets.US_ASCII);
        String to = EmailAddress.ascii("erika@müller-shop.de");
        byte[] raw = MimeWriter.write(new MimeWriter.Address("Hosting Größe & Söhne", "umzug@hosting.example"),
                new MimeWriter.Address("Jürgen Weiß", to), "team@hosting.example", "Prüfung für Jürgen",
                "Grüße\n", "<p>Grüße</p>", List.of(new Attachment("Prüfbericht für Müller (Entwurf).pdf", "application/pdf", pdf)),
                Map.of(), ZonedDateTime.now());
        for (byte b : raw) {
            assertThat(b & 0xff).as("every byte of the message is 7-bit").isLessThan(0x80);
        }
        MimeMessage m = parse(raw);
        InternetAddress recipient = (InternetAddress) m.getRecipients(jakarta.mail.Message.RecipientType.TO)[0];
        assertThat(recipient.getPersonal()).isEqualTo("Jürgen Weiß");
        assertThat(recipient.getAddress()).isEqualTo("erika@xn--mller-shop-9db.de");
        assertThat(((InternetAddress) m.getFrom()[0]).getPersonal()).isEqualTo("Hosting Größe & Söhne");
        assertThat(m.getSubject()).isEqualTo("Prüfung für Jürgen");
        Multipart mixed = (Multipart) m.getContent();
        assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("Prüfbericht für Müller (Entwurf).pdf");
        assertThat(mixed.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(pdf);
    }

    @Test
    void aHeaderThatSkippedItsEncodingIsAnErrorNotAQuestionMark() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MimeWriter.write(new MimeWriter.Address(null, "a@b.example"),
                        new MimeWriter.Address(null, "jürgen@müller-shop.de"), null, "Hi", "t", "h", List.of(), Map.of(), ZonedDateTime.now()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("non-ASCII");
    }
}
