package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * A German customer as they come: "Jürgen Weiß" at erika@müller-shop.de. SES takes 7-bit
 * addresses only, so every email goes to the domain's Punycode form, with the name RFC 2047
 * encoded, while the record keeps the address as entered; the whole migration completes.
 */
class UmlautAddressTest extends CloudTest {

    private static final String READABLE = "erika@müller-shop.de";
    private static final String ASCII = "erika@xn--mller-shop-9db.de";

    @Test
    void aCustomerWithUmlautsInNameAndDomainGoesThroughTheWholeMigration() throws Exception {
        String id = "M-UMLAUT-1";
        String input = input("umlaut", FAST, null).replace("\"Erika Mustermann\"", "\"Jürgen Weiß\"").replace(CUSTOMER, READABLE);
        String arn = cloud.startMigration(id, input);
        walk.toGoLive(id);
        DescribeExecutionResponse end = cloud.awaitEnd(arn, WAIT);
        assertThat(end.status()).as(cloud.diagnose(arn)).isEqualTo(ExecutionStatus.SUCCEEDED);

        List<Mailbox.Mail> toCustomer = cloud.mailbox().forMigration(id).stream().filter(m -> !m.to().contains(STAFF)).toList();
        assertThat(toCustomer).extracting(Mailbox.Mail::kind).contains("QUESTIONNAIRE", "TEST_RESULTS", "GO_LIVE_DONE", "CLOSE_OUT_SUMMARY");
        for (Mailbox.Mail mail : toCustomer) {
            for (byte b : mail.raw()) {
                assertThat(b & 0xff).as(mail.kind() + ": every byte SES received is 7-bit").isLessThan(0x80);
            }
            MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail.raw()));
            InternetAddress to = (InternetAddress) parsed.getRecipients(jakarta.mail.Message.RecipientType.TO)[0];
            assertThat(to.getAddress()).as(mail.kind()).isEqualTo(ASCII);
            assertThat(to.getPersonal()).as(mail.kind()).isEqualTo("Jürgen Weiß");
        }
        Mailbox.Mail confirmed = walk.await(id, "GO_LIVE_CONFIRMED");
        Mailbox.Attachment invite = confirmed.attachments().stream().filter(a -> a.filename().endsWith(".ics")).findFirst().orElseThrow();
        assertThat(new String(invite.content(), StandardCharsets.UTF_8).replace("\r\n ", "")).containsIgnoringCase("mailto:" + ASCII);

        assertThat(record(id).request().customer().email()).as("the record keeps the address as entered").isEqualTo(READABLE);
        assertThat(record(id).request().customer().name()).isEqualTo("Jürgen Weiß");
    }
}
