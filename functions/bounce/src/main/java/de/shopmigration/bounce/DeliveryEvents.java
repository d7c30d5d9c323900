package de.shopmigration.bounce;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.mail.Mailer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads what Lambda receives from the SNS topic SES publishes to: the SNS event
 * ({@code Records[].Sns.Message}), each message the JSON of one SES sending event. The shapes
 * follow AWS's "Contents of event data that Amazon SES publishes to Amazon SNS" and its
 * examples. Anything else is refused with {@link MalformedDeliveryEvent}; an event type this
 * workflow does not handle (Delivery, Open, ...) is {@link DeliveryEvent.Type#OTHER}.
 */
public final class DeliveryEvents {

    /** The migration ids the intake accepts (input schema), the only tag values taken as ours. */
    private static final Pattern MIGRATION_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{2,79}$");
    private static final Pattern TAG_VALUE = Pattern.compile("^[A-Za-z0-9_-]{1,256}$");

    private DeliveryEvents() {
    }

    /** Every SES event of one SNS invocation (Lambda hands SNS messages over one at a time, but the shape is a list). */
    public static List<DeliveryEvent> fromSns(JsonNode invocation) {
        JsonNode records = invocation == null ? null : invocation.get("Records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            throw new MalformedDeliveryEvent("Not an SNS event: no Records");
        }
        List<DeliveryEvent> events = new ArrayList<>();
        for (JsonNode record : records) {
            if (!"aws:sns".equals(record.path("EventSource").asText())) {
                throw new MalformedDeliveryEvent("Not an SNS event: EventSource is not aws:sns");
            }
            JsonNode message = record.path("Sns").path("Message");
            if (!message.isTextual()) {
                throw new MalformedDeliveryEvent("The SNS record carries no Message text");
            }
            events.add(fromSes(message.asText()));
        }
        return events;
    }

    /** One SES event, the text SNS carries as its Message. */
    public static DeliveryEvent fromSes(String text) {
        JsonNode event;
        try {
            event = Json.read(text);
        } catch (IllegalArgumentException e) {
            // Not chained: the parser's message quotes the text, and the text holds addresses.
            throw new MalformedDeliveryEvent("The SNS Message is not JSON");
        }
        if (!event.isObject()) {
            throw new MalformedDeliveryEvent("The SNS Message is not a JSON object");
        }
        String eventType = text(event, "eventType").or(() -> text(event, "notificationType"))
                .orElseThrow(() -> new MalformedDeliveryEvent("The SES event has no eventType"));
        JsonNode mail = event.path("mail");
        if (!mail.isObject()) {
            throw new MalformedDeliveryEvent("The SES event has no mail object");
        }
        String messageId = text(mail, "messageId").orElseThrow(() -> new MalformedDeliveryEvent("The SES event's mail has no messageId"));
        Optional<String> migrationId = tag(mail, Mailer.TAG_MIGRATION).filter(id -> MIGRATION_ID.matcher(id).matches());
        Optional<String> kind = tag(mail, Mailer.TAG_KIND);
        Optional<String> audience = tag(mail, Mailer.TAG_AUDIENCE).map(a -> a.toUpperCase(Locale.ROOT));
        Optional<String> subject = text(mail.path("commonHeaders"), "subject");
        Instant mailTime = instant(mail, "timestamp").orElse(null);
        return switch (eventType) {
            case "Bounce" -> {
                JsonNode bounce = object(event, "bounce");
                String bounceType = text(bounce, "bounceType").orElseThrow(() -> new MalformedDeliveryEvent("The bounce has no bounceType"));
                List<DeliveryEvent.Recipient> recipients = new ArrayList<>();
                for (JsonNode r : array(bounce, "bouncedRecipients")) {
                    recipients.add(new DeliveryEvent.Recipient(address(r), text(r, "status").orElse(null), text(r, "diagnosticCode").orElse(null)));
                }
                yield new DeliveryEvent(DeliveryEvent.Type.BOUNCE, eventType, messageId, migrationId, kind, audience, subject,
                        instant(bounce, "timestamp").orElse(when(mailTime)), feedbackId(bounce, messageId), bounceType,
                        text(bounce, "bounceSubType").orElse(null), null, List.copyOf(recipients));
            }
            case "Complaint" -> {
                JsonNode complaint = object(event, "complaint");
                List<DeliveryEvent.Recipient> recipients = new ArrayList<>();
                for (JsonNode r : array(complaint, "complainedRecipients")) {
                    recipients.add(new DeliveryEvent.Recipient(address(r), null, null));
                }
                yield new DeliveryEvent(DeliveryEvent.Type.COMPLAINT, eventType, messageId, migrationId, kind, audience, subject,
                        instant(complaint, "timestamp").orElse(when(mailTime)), feedbackId(complaint, messageId), null,
                        text(complaint, "complaintSubType").orElse(null), text(complaint, "complaintFeedbackType").orElse(null),
                        List.copyOf(recipients));
            }
            default -> new DeliveryEvent(DeliveryEvent.Type.OTHER, eventType, messageId, migrationId, kind, audience, subject,
                    when(mailTime), messageId, null, null, null, List.of());
        };
    }

    private static Instant when(Instant mailTime) {
        if (mailTime == null) {
            throw new MalformedDeliveryEvent("The SES event has no valid timestamp");
        }
        return mailTime;
    }

    /** SES's feedback id; the ids it documents are made of letters, digits and dashes (they become part of keys). */
    private static String feedbackId(JsonNode notification, String messageId) {
        String id = text(notification, "feedbackId").orElse(messageId);
        String safe = id.replaceAll("[^A-Za-z0-9-]", "-");
        return safe.length() > 200 ? safe.substring(0, 200) : safe;
    }

    private static JsonNode object(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        if (!node.isObject()) {
            throw new MalformedDeliveryEvent("The SES event has no " + field + " object");
        }
        return node;
    }

    private static JsonNode array(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        if (!node.isArray() || node.isEmpty()) {
            throw new MalformedDeliveryEvent("The SES event names no " + field);
        }
        return node;
    }

    private static String address(JsonNode recipient) {
        String address = text(recipient, "emailAddress").orElseThrow(() -> new MalformedDeliveryEvent("A recipient has no emailAddress"));
        if (address.length() > 320 || address.indexOf('@') <= 0) {
            throw new MalformedDeliveryEvent("A recipient's emailAddress is not an address");
        }
        return address.strip().toLowerCase(Locale.ROOT);
    }

    /** A tag of the email as SES hands it back: {@code "tags": {"name": ["value"]}}. */
    private static Optional<String> tag(JsonNode mail, String name) {
        JsonNode values = mail.path("tags").path(name);
        JsonNode value = values.isArray() ? values.path(0) : values;
        return value.isTextual() && TAG_VALUE.matcher(value.asText()).matches() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static Optional<Instant> instant(JsonNode node, String field) {
        try {
            return text(node, field).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
