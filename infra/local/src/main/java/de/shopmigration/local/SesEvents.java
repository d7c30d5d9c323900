package de.shopmigration.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.json.Json;
import java.time.Instant;
import java.util.Map;

/**
 * The bounce and complaint events SES publishes to SNS, shaped as AWS documents them ("Examples
 * of event data that Amazon SES publishes to Amazon SNS"), for an email the emulator saw sent.
 * moto publishes no SES events, so the tests, the sandbox and the benchmarks build them here and
 * deliver them with {@link LocalCloud#deliverSnsMessage}.
 *
 * @param messageId the SES message id SendEmail answered
 * @param sender    the From address as the email gave it
 * @param to        the recipient
 * @param subject   the email's subject
 * @param tags      the email's tags as SendEmail sent them (EmailTags and the configuration set), name to value
 */
public record SesEvents(String messageId, String sender, String to, String subject, Map<String, String> tags) {

    /** A bounce: Permanent/General with "smtp; 550 5.1.1 user unknown" is the documented example. */
    public String bounce(String bounceType, String bounceSubType, String status, String diagnosticCode, String feedbackId, Instant at) {
        ObjectNode event = Json.object();
        event.put("eventType", "Bounce");
        ObjectNode bounce = event.putObject("bounce");
        bounce.put("bounceType", bounceType).put("bounceSubType", bounceSubType);
        bounce.putArray("bouncedRecipients").addObject().put("emailAddress", to).put("action", "failed").put("status", status)
                .put("diagnosticCode", diagnosticCode);
        bounce.put("timestamp", at.toString()).put("feedbackId", feedbackId).put("reportingMTA", "dsn; mta.example.com");
        mail(event, at.minusSeconds(60));
        return Json.write(event);
    }

    /** A complaint as a mailbox provider's feedback loop reports it (feedback type "abuse" in AWS's example). */
    public String complaint(String feedbackType, String feedbackId, Instant at) {
        ObjectNode event = Json.object();
        event.put("eventType", "Complaint");
        ObjectNode complaint = event.putObject("complaint");
        complaint.putArray("complainedRecipients").addObject().put("emailAddress", to);
        complaint.put("timestamp", at.toString()).put("feedbackId", feedbackId)
                .put("userAgent", "Mozilla/5.0 (X11; Linux x86_64) local").put("complaintFeedbackType", feedbackType)
                .put("arrivalDate", at.toString());
        mail(event, at.minusSeconds(60));
        return Json.write(event);
    }

    private void mail(ObjectNode event, Instant sent) {
        ObjectNode mail = event.putObject("mail");
        mail.put("timestamp", sent.toString()).put("source", sender)
                .put("sourceArn", "arn:aws:ses:" + LocalCloud.REGION + ":" + LocalCloud.ACCOUNT + ":identity/" + sender.substring(sender.indexOf('@') + 1))
                .put("sendingAccountId", LocalCloud.ACCOUNT).put("messageId", messageId);
        mail.putArray("destination").add(to);
        mail.put("headersTruncated", false);
        ArrayNode headers = mail.putArray("headers");
        headers.addObject().put("name", "From").put("value", sender);
        headers.addObject().put("name", "To").put("value", to);
        headers.addObject().put("name", "Subject").put("value", subject);
        ObjectNode common = mail.putObject("commonHeaders");
        common.putArray("from").add(sender);
        common.putArray("to").add(to);
        common.put("messageId", messageId).put("subject", subject);
        ObjectNode tagNode = mail.putObject("tags");
        tagNode.putArray("ses:source-ip").add("192.0.2.0");
        tagNode.putArray("ses:from-domain").add(sender.substring(sender.indexOf('@') + 1));
        tagNode.putArray("ses:caller-identity").add("ses_user");
        tags.forEach((name, value) -> tagNode.putArray(name).add(value));
    }
}
