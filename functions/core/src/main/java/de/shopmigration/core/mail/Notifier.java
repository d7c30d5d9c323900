package de.shopmigration.core.mail;

import de.shopmigration.core.Audience;
import de.shopmigration.core.Language;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationRequest;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.lambda.Collaborators;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends one message of a migration to the customer or to staff: picks the address and the
 * language, fills the shared placeholders, and adds the standing link every message of that
 * audience carries (the status page for customers, the abort link for staff).
 */
public final class Notifier {

    private final Collaborators services;

    public Notifier(Collaborators services) {
        this.services = services;
    }

    public record Recipient(String name, String email, Language language) {
    }

    public Recipient recipient(MigrationRecord record, Audience audience) {
        MigrationRequest request = record.request();
        if (audience == Audience.CUSTOMER) {
            return new Recipient(request.customer().name(), request.customer().email(), request.language());
        }
        MailSettings settings = services.mailer().settings();
        MigrationRequest.Staff staff = request.staff();
        boolean named = staff != null && staff.email() != null;
        // The migration's own staff member's address bounced for good: the deployment's staff address takes over.
        if (named && record.staffUnreachable() != null && record.staffUnreachable().concerns(staff.email())
                && !EmailAddress.sameMailbox(staff.email(), settings.staffEmail())) {
            return new Recipient(null, settings.staffEmail(), settings.staffLanguage());
        }
        return new Recipient(staff != null && staff.name() != null ? staff.name() : null,
                named ? staff.email() : settings.staffEmail(), settings.staffLanguage());
    }

    public Texts texts(MigrationRecord record, Audience audience) {
        return Texts.of(recipient(record, audience).language(), audience);
    }

    public Map<String, String> values(MigrationRecord record) {
        return new HashMap<>(Messages.values(record.request(), services.mailer().settings().providerName()));
    }

    /**
     * Text someone else typed, for an email: quoted after the actions in the plain-text part.
     *
     * @param fromKey who typed it: quote.customer, quote.tooling, quote.staff or quote.recorded
     */
    public static EmailContent.Fact quoted(Texts texts, Map<String, String> values, String labelKey, String text, String fromKey) {
        return EmailContent.Fact.quoted(texts.get(labelKey, values), text, texts.get(fromKey, values));
    }

    /** The label of a link button: message-specific when the texts have one. */
    public static String actionLabel(Texts texts, String textKey, Purpose purpose) {
        return texts.find(textKey + ".action." + purpose.name(), Map.of())
                .orElseGet(() -> texts.get("action." + purpose.name()));
    }

    /**
     * Composes and sends; returns false when this email had been sent before (a retry).
     *
     * @param dedupKey unique per migration for this very email (kind, round, recipient group)
     */
    public boolean send(MigrationRecord record, Audience audience, String kind, String dedupKey, String textKey,
                        Map<String, String> extraValues, List<EmailContent.Fact> facts,
                        List<EmailContent.Action> actions, List<Attachment> attachments) {
        return send(record, audience, kind, dedupKey, textKey, extraValues, facts, actions, attachments, texts -> null);
    }

    /** @param guide step-by-step instructions in the recipient's texts, or null for none */
    public boolean send(MigrationRecord record, Audience audience, String kind, String dedupKey, String textKey,
                        Map<String, String> extraValues, List<EmailContent.Fact> facts,
                        List<EmailContent.Action> actions, List<Attachment> attachments,
                        java.util.function.Function<Texts, Guide> guide) {
        Recipient to = recipient(record, audience);
        Texts texts = Texts.of(to.language(), audience);
        Map<String, String> values = values(record);
        values.putAll(extraValues);
        List<EmailContent.Action> all = new ArrayList<>(actions);
        standingAction(record, audience, texts, textKey).ifPresent(all::add);
        EmailContent content = Messages.compose(texts, textKey, audience, values, facts, all, guide.apply(texts));
        boolean sent = services.mailer().send(new Mailer.Outgoing(record.migrationId(), kind, dedupKey, audience, to.name(), to.email(),
                to.language(), content, attachments));
        if (sent) {
            services.store().audit().add(record.migrationId(), new de.shopmigration.core.store.AuditEntry(services.clock().instant(),
                    "system", "email sent: " + kind, audience.name().toLowerCase(java.util.Locale.ROOT) + ", " + dedupKey, null));
        }
        return sent;
    }

    /**
     * The status page for customers, the abort for staff while it still applies. After the
     * migration has ended an email can come (a report answered after the close-out): it offers
     * the status page only while that link still opens.
     */
    private java.util.Optional<EmailContent.Action> standingAction(MigrationRecord record, Audience audience, Texts texts, String textKey) {
        Purpose purpose = audience == Audience.CUSTOMER ? Purpose.STATUS : Purpose.ABORT;
        String id = record.standingLinks().get(purpose.name());
        boolean running = MigrationRecord.RUNNING.equals(record.status());
        if (id == null || !running && purpose == Purpose.ABORT) {
            return java.util.Optional.empty();
        }
        if (!running && !services.links().acts(record.migrationId(), id, services.clock().instant())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new EmailContent.Action(actionLabel(texts, textKey, purpose),
                services.links().url(record.migrationId(), id), false));
    }
}
