package de.shopmigration.bounce;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One email sending event as SES publishes it to SNS ("Contents of event data that Amazon SES
 * publishes to Amazon SNS"): what happened, to which recipients, and the email it concerns,
 * with the tags the Mailer gave the email ({@code mail.tags}).
 *
 * @param type          BOUNCE, COMPLAINT, or OTHER for every other event type (not subscribed; ignored)
 * @param eventType     SES's own word for it ({@code eventType}, or {@code notificationType} without event publishing)
 * @param messageId     the SES message id of the email ({@code mail.messageId})
 * @param migrationId   the tag {@code migration-id}: empty for an email this workflow did not send
 * @param kind          the tag {@code message-kind} (the X-Migration-Kind), if any
 * @param audience      the tag {@code audience} (CUSTOMER or STAFF), if any
 * @param subject       the email's subject ({@code mail.commonHeaders.subject}), if SES passed it on
 * @param at            when the bounce or complaint happened (its {@code timestamp}; else the email's)
 * @param feedbackId    SES's id of this bounce or complaint notification (unique per notification)
 * @param bounceType    Permanent, Transient or Undetermined; null for a complaint
 * @param bounceSubType General, NoEmail, Suppressed, OnAccountSuppressionList, MailboxFull, ...; null for a complaint
 * @param feedbackType  a complaint's {@code complaintFeedbackType} (abuse, not-spam, ...), if the provider sent one
 * @param recipients    the addresses that bounced or complained
 */
public record DeliveryEvent(Type type, String eventType, String messageId, Optional<String> migrationId, Optional<String> kind,
                            Optional<String> audience, Optional<String> subject, Instant at, String feedbackId,
                            String bounceType, String bounceSubType, String feedbackType, List<Recipient> recipients) {

    public enum Type {
        BOUNCE, COMPLAINT, OTHER
    }

    /**
     * One recipient of the event.
     *
     * @param diagnostic the receiving server's words ({@code diagnosticCode}) for a bounce, if any
     * @param status     the SMTP enhanced status code ({@code status}, e.g. 5.1.1), if any
     */
    public record Recipient(String address, String status, String diagnostic) {
    }

    /** A hard fact about the address: it bounced for good, or its owner said "spam". Transient bounces are not. */
    public boolean permanent() {
        return type == Type.COMPLAINT || type == Type.BOUNCE && "Permanent".equals(bounceType);
    }
}
