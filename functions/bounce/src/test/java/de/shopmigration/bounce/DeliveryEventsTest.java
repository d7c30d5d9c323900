package de.shopmigration.bounce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The parser over the event records AWS documents in "Examples of event data that Amazon SES
 * publishes to Amazon SNS" (bounce, complaint, delivery), with the tags the Mailer sets added
 * to {@code mail.tags}, each wrapped in the SNS event Lambda receives.
 */
class DeliveryEventsTest {

    static String fixture(String name) throws IOException {
        try (InputStream in = DeliveryEventsTest.class.getResourceAsStream("/ses-events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The SNS event Lambda receives for one message (Lambda developer guide, "Using Lambda with Amazon SNS"). */
    static ObjectNode sns(String message) {
        ObjectNode event = Json.object();
        ObjectNode record = event.putArray("Records").addObject();
        record.put("EventVersion", "1.0").put("EventSource", "aws:sns")
                .put("EventSubscriptionArn", "arn:aws:sns:eu-central-1:123456789012:shop-migration-EmailEventsTopic:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55");
        record.putObject("Sns").put("Type", "Notification").put("MessageId", "95df01b4-ee98-5cb9-9903-4c221d41eb5e")
                .put("TopicArn", "arn:aws:sns:eu-central-1:123456789012:shop-migration-EmailEventsTopic").putNull("Subject")
                .put("Message", message).put("Timestamp", "2017-08-05T00:41:03.000Z").put("SignatureVersion", "1")
                .put("Signature", "EXAMPLE").put("SigningCertUrl", "https://sns.eu-central-1.amazonaws.com/SimpleNotificationService-EXAMPLE.pem")
                .put("UnsubscribeUrl", "https://sns.eu-central-1.amazonaws.com/?Action=Unsubscribe").putObject("MessageAttributes");
        return event;
    }

    private static DeliveryEvent only(String fixture) throws IOException {
        List<DeliveryEvent> events = DeliveryEvents.fromSns(sns(fixture(fixture)));
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    @Test
    void aPermanentBounceNamesTheMigrationTheReaderTheAddressAndTheServersWords() throws IOException {
        DeliveryEvent e = only("bounce-permanent.json");
        assertThat(e.type()).isEqualTo(DeliveryEvent.Type.BOUNCE);
        assertThat(e.permanent()).isTrue();
        assertThat(e.migrationId()).contains("M-2026-0042");
        assertThat(e.kind()).contains("QUESTIONNAIRE");
        assertThat(e.audience()).contains("CUSTOMER");
        assertThat(e.bounceType()).isEqualTo("Permanent");
        assertThat(e.bounceSubType()).isEqualTo("General");
        assertThat(e.at()).isEqualTo(Instant.parse("2017-08-05T00:41:02.669Z"));
        assertThat(e.feedbackId()).isEqualTo("01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000");
        assertThat(e.messageId()).isEqualTo("EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000");
        assertThat(e.subject()).contains("Message sent from Amazon SES");
        assertThat(e.recipients()).containsExactly(new DeliveryEvent.Recipient("recipient@example.com", "5.1.1", "smtp; 550 5.1.1 user unknown"));
    }

    @Test
    void aTransientBounceIsNotPermanent() throws IOException {
        DeliveryEvent e = only("bounce-transient.json");
        assertThat(e.type()).isEqualTo(DeliveryEvent.Type.BOUNCE);
        assertThat(e.bounceType()).isEqualTo("Transient");
        assertThat(e.bounceSubType()).isEqualTo("MailboxFull");
        assertThat(e.permanent()).isFalse();
        assertThat(e.recipients().get(0).diagnostic()).isEqualTo("smtp; 452 4.2.2 Mailbox full");
    }

    @Test
    void aComplaintIsPermanentAndCarriesItsFeedbackType() throws IOException {
        DeliveryEvent e = only("complaint.json");
        assertThat(e.type()).isEqualTo(DeliveryEvent.Type.COMPLAINT);
        assertThat(e.permanent()).isTrue();
        assertThat(e.feedbackType()).isEqualTo("abuse");
        assertThat(e.bounceType()).isNull();
        assertThat(e.recipients()).extracting(DeliveryEvent.Recipient::address).containsExactly("recipient@example.com");
        assertThat(e.feedbackId()).endsWith("-000002");
    }

    @Test
    void anEventTypeThisWorkflowDoesNotHandleIsOther() throws IOException {
        DeliveryEvent e = only("delivery.json");
        assertThat(e.type()).isEqualTo(DeliveryEvent.Type.OTHER);
        assertThat(e.eventType()).isEqualTo("Delivery");
        assertThat(e.recipients()).isEmpty();
        assertThat(e.permanent()).isFalse();
    }

    @Test
    void anEmailWithoutOurTagsHasNoMigration() throws IOException {
        ObjectNode event = (ObjectNode) Json.read(fixture("bounce-permanent.json"));
        ObjectNode tags = (ObjectNode) event.path("mail").path("tags");
        tags.remove(List.of("migration-id", "message-kind", "audience"));
        DeliveryEvent e = DeliveryEvents.fromSns(sns(Json.write(event))).get(0);
        assertThat(e.type()).isEqualTo(DeliveryEvent.Type.BOUNCE);
        assertThat(e.migrationId()).isEmpty();
        assertThat(e.audience()).isEmpty();
        assertThat(e.kind()).isEmpty();

        // A tag value that no migration id can be (the intake's pattern) is not taken as one.
        tags.putArray("migration-id").add("x");
        assertThat(DeliveryEvents.fromSns(sns(Json.write(event))).get(0).migrationId()).isEqualTo(Optional.empty());
        // Without event publishing SES names the type notificationType and publishes no tags.
        event.remove("eventType");
        event.put("notificationType", "Bounce");
        tags.removeAll();
        assertThat(DeliveryEvents.fromSns(sns(Json.write(event))).get(0).type()).isEqualTo(DeliveryEvent.Type.BOUNCE);
    }

    @Test
    void addressesAreComparedInLowerCase() throws IOException {
        String upper = fixture("bounce-permanent.json").replace("\"emailAddress\": \"recipient@example.com\"", "\"emailAddress\": \"Recipient@Example.COM\"");
        assertThat(DeliveryEvents.fromSns(sns(upper)).get(0).recipients().get(0).address()).isEqualTo("recipient@example.com");
    }

    @Test
    void malformedInvocationsAreRefusedByNameWithoutQuotingThem() throws IOException {
        assertThatThrownBy(() -> DeliveryEvents.fromSns(Json.read("{\"detail\": {}}"))).isInstanceOf(MalformedDeliveryEvent.class)
                .hasMessageContaining("no Records");
        ObjectNode notSns = sns("{}");
        ((ObjectNode) notSns.path("Records").path(0)).put("EventSource", "aws:sqs");
        assertThatThrownBy(() -> DeliveryEvents.fromSns(notSns)).isInstanceOf(MalformedDeliveryEvent.class).hasMessageContaining("aws:sns");
        assertThatThrownBy(() -> DeliveryEvents.fromSns(sns("secret@example.com is not json"))).isInstanceOf(MalformedDeliveryEvent.class)
                .hasMessage("The SNS Message is not JSON").hasNoCause();
        assertThatThrownBy(() -> DeliveryEvents.fromSns(sns("{\"mail\": {\"messageId\": \"m\"}}"))).isInstanceOf(MalformedDeliveryEvent.class)
                .hasMessageContaining("eventType");
        ObjectNode noRecipients = (ObjectNode) Json.read(fixture("bounce-permanent.json"));
        ((ObjectNode) noRecipients.path("bounce")).putArray("bouncedRecipients");
        assertThatThrownBy(() -> DeliveryEvents.fromSns(sns(Json.write(noRecipients)))).isInstanceOf(MalformedDeliveryEvent.class)
                .hasMessageContaining("bouncedRecipients").hasMessageNotContaining("recipient@example.com");
        ObjectNode notAnAddress = (ObjectNode) Json.read(fixture("complaint.json"));
        ((ObjectNode) notAnAddress.path("complaint").path("complainedRecipients").path(0)).put("emailAddress", "nobody");
        assertThatThrownBy(() -> DeliveryEvents.fromSns(sns(Json.write(notAnAddress)))).isInstanceOf(MalformedDeliveryEvent.class)
                .hasMessageNotContaining("nobody");
        ObjectNode noMail = (ObjectNode) Json.read(fixture("complaint.json"));
        noMail.remove("mail");
        assertThatThrownBy(() -> DeliveryEvents.fromSns(sns(Json.write(noMail)))).isInstanceOf(MalformedDeliveryEvent.class)
                .hasMessageContaining("mail");
    }

    @Test
    void theOpsTopicsSubjectIsAsciiUnderAHundredCharacters() {
        assertThat(OpsAlerts.asciiSubject("Staff-Adresse nicht erreichbar: Müller-Shop\n" + "x".repeat(200)))
                .matches("[\\x20-\\x7e]{99}").startsWith("Staff-Adresse nicht erreichbar: M?ller-Shop?");
    }
}
