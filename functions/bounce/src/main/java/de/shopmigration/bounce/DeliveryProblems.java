package de.shopmigration.bounce;

import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.Audience;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.mail.EmailAddress;
import de.shopmigration.core.mail.EmailContent;
import de.shopmigration.core.mail.Notifier;
import de.shopmigration.core.mail.Texts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a bounce or complaint changes. Each recipient of the event is noted as an item of the
 * migration ({@code EMAILPROBLEM#id}) and in its audit trail. When
 * the customer's current address bounced for good or its owner reported our email as spam,
 * the address is marked unreachable (automatic reminders then go to staff) and staff are told
 * at once by email. When a staff address is gone, no email goes to it about itself: the ops
 * topic tells operations, and the migration's staff emails go to the deployment's staff address.
 * Transient bounces are only noted: SES has already retried them.
 *
 * <p>SNS delivers at least once, so every step is idempotent on its own: the audit entry's and
 * the noted item's keys are the event's id, the mark is set by one event only, and the staff
 * email is claimed under the event's id.
 */
public final class DeliveryProblems {

    /** The actor of the audit entries: the news comes from SES, not from a person. */
    static final String ACTOR = "Amazon SES";

    /** What became of one recipient of an event; the function logs it (never the address). */
    public enum Outcome {
        /** An event type this workflow does not act on (only bounces and complaints are published to it). */
        IGNORED,
        /** An email this workflow did not send (no migration tag): someone else uses the configuration set. */
        NOT_OURS,
        /** The migration's record is gone (deleted after its retention). */
        UNKNOWN_MIGRATION,
        /** Noted and audited only: a transient bounce, or an address the migration no longer uses. */
        NOTED,
        /** The customer's address is marked unreachable and staff were told (once). */
        CUSTOMER_UNREACHABLE,
        /** A staff address is marked unreachable and operations were told through the ops topic. */
        STAFF_UNREACHABLE,
        /** The address was marked before, by an earlier bounce or complaint: noted, nobody told again. */
        ALREADY_KNOWN
    }

    private final Collaborators services;
    private final Notifier notifier;
    private final OpsAlerts ops;

    public DeliveryProblems(Collaborators services, OpsAlerts ops) {
        this.services = services;
        this.notifier = new Notifier(services);
        this.ops = ops;
    }

    /** SnapStart priming: the shared paths, a staff email rendered to nobody, the SNS client; nothing written. */
    public void prime() {
        services.prime(true);
        ops.prime();
    }

    /** @return one outcome per recipient (one for an event without recipients) */
    public List<Outcome> handle(DeliveryEvent event) {
        if (event.type() == DeliveryEvent.Type.OTHER) {
            return List.of(Outcome.IGNORED);
        }
        if (event.migrationId().isEmpty()) {
            return List.of(Outcome.NOT_OURS);
        }
        String migrationId = event.migrationId().get();
        Optional<MigrationRecord> found = services.store().records().find(migrationId);
        if (found.isEmpty()) {
            return List.of(Outcome.UNKNOWN_MIGRATION);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < event.recipients().size(); i++) {
            outcomes.add(handle(found.get(), event, event.recipients().get(i), event.feedbackId() + "-" + i));
        }
        return outcomes;
    }

    private Outcome handle(MigrationRecord record, DeliveryEvent event, DeliveryEvent.Recipient recipient, String problemId) {
        String migrationId = record.migrationId();
        Audience audience = audience(record, event, recipient.address());
        String diagnostic = diagnostic(event, recipient);
        MigrationRecord.EmailProblem problem = new MigrationRecord.EmailProblem(problemId, audience == null ? null : audience.name(),
                recipient.address(), event.eventType(), event.bounceType(), event.bounceSubType(), diagnostic,
                event.kind().orElse(null), event.at());
        services.store().audit().addOnce(migrationId, new AuditEntry(event.at(), ACTOR, action(event),
                (audience == null ? "unknown recipient" : audience.name().toLowerCase(java.util.Locale.ROOT) + " address")
                        + ", " + type(event) + (event.type() == DeliveryEvent.Type.BOUNCE && diagnostic != null
                                ? ": " + MigrationRecord.summary(diagnostic) : ""), null), "SES#" + problemId);
        if (services.store().emails().noteProblem(migrationId, problem)) {
            // Counted once per problem (SNS may deliver twice), under one of the catalogue's kinds.
            services.metrics().emailBounced(migrationId, metricKind(event));
        }
        if (!event.permanent() || audience == null) {
            return Outcome.NOTED;
        }
        MigrationRecord.Unreachable unreachable = new MigrationRecord.Unreachable(recipient.address(), event.eventType(), event.bounceType(),
                event.bounceSubType(), clip(diagnostic, MigrationRecord.MARK_DIAGNOSTIC_LENGTH), event.at(), problemId);
        if (audience == Audience.CUSTOMER) {
            if (!unreachable.concerns(record.request().customer().email())) {
                return Outcome.NOTED;
            }
            boolean marked = services.store().records().markCustomerUnreachable(migrationId, unreachable);
            return marked && tellStaff(record, event, unreachable, diagnostic) ? Outcome.CUSTOMER_UNREACHABLE : Outcome.ALREADY_KNOWN;
        }
        boolean marked = services.store().records().markStaffUnreachable(migrationId, unreachable);
        return marked && tellOperations(record, event, unreachable, diagnostic) ? Outcome.STAFF_UNREACHABLE : Outcome.ALREADY_KNOWN;
    }

    private static String metricKind(DeliveryEvent event) {
        if (event.type() == DeliveryEvent.Type.COMPLAINT) {
            return "Complaint";
        }
        return "Permanent".equals(event.bounceType()) || "Transient".equals(event.bounceType()) ? event.bounceType() : "Undetermined";
    }

    /**
     * Who the email was for: the tag the Mailer set, checked against the record (a tag names a
     * reader, the address must be one of that reader's); without a tag, the address decides.
     */
    private Audience audience(MigrationRecord record, DeliveryEvent event, String address) {
        boolean customer = EmailAddress.sameMailbox(address, record.request().customer().email());
        boolean staff = staffAddresses(record).stream().anyMatch(a -> EmailAddress.sameMailbox(address, a));
        Optional<String> tagged = event.audience();
        if (tagged.isPresent()) {
            // A customer address since corrected is still the customer's: the tag says whose it was.
            return tagged.get().equals(Audience.STAFF.name()) ? (staff ? Audience.STAFF : null)
                    : tagged.get().equals(Audience.CUSTOMER.name()) ? Audience.CUSTOMER : null;
        }
        return customer ? Audience.CUSTOMER : staff ? Audience.STAFF : null;
    }

    /** The migration's staff member and the deployment's staff address (the fallback). */
    private List<String> staffAddresses(MigrationRecord record) {
        List<String> out = new ArrayList<>();
        if (record.request().staff() != null && record.request().staff().email() != null) {
            out.add(record.request().staff().email());
        }
        out.add(services.mailer().settings().staffEmail());
        return out;
    }

    /** @return false when staff had been told of this event before (SNS delivered it again) */
    private boolean tellStaff(MigrationRecord record, DeliveryEvent event, MigrationRecord.Unreachable unreachable, String diagnostic) {
        boolean bounced = event.type() == DeliveryEvent.Type.BOUNCE;
        Texts texts = notifier.texts(record, Audience.STAFF);
        Map<String, String> values = notifier.values(record);
        List<EmailContent.Fact> facts = new ArrayList<>();
        facts.add(new EmailContent.Fact(texts.get("bounce.fact.address"), unreachable.address()));
        facts.add(new EmailContent.Fact(texts.get(bounced ? "bounce.fact.type" : "bounce.fact.feedback"), type(event)));
        if (bounced && diagnostic != null) {
            // The receiving server's own words: quoted, as someone else's text.
            facts.add(Notifier.quoted(texts, values, "bounce.fact.diagnostic", diagnostic, "bounce.quote"));
        }
        facts.add(new EmailContent.Fact(texts.get("bounce.fact.email"), event.subject().or(event::kind).orElse("–")));
        facts.add(new EmailContent.Fact(texts.get("bounce.fact.at"), TimeFormats.human(event.at(), texts.language())));
        return notifier.send(record, Audience.STAFF, bounced ? "CUSTOMER_UNDELIVERABLE" : "CUSTOMER_COMPLAINED", "UNREACHABLE#" + unreachable.problemId(),
                bounced ? "notice.UNDELIVERABLE" : "notice.COMPLAINED", Map.of("address", unreachable.address()), facts, List.of(), List.of());
    }

    /**
     * A staff address is gone: operations hear of it through the ops topic (SNS's own email
     * delivery, not ours), once: the notice is claimed like an email before it is published,
     * and the claim is given back if publishing fails.
     *
     * @return false when operations had been told of this event before
     */
    private boolean tellOperations(MigrationRecord record, DeliveryEvent event, MigrationRecord.Unreachable unreachable, String diagnostic) {
        Texts texts = Texts.of(services.mailer().settings().staffLanguage(), Audience.STAFF);
        Map<String, String> values = new HashMap<>(notifier.values(record));
        values.put("address", unreachable.address());
        values.put("event", event.eventType());
        values.put("type", type(event));
        values.put("time", TimeFormats.human(event.at(), texts.language()));
        values.put("diagnostic", diagnostic == null ? "–" : diagnostic);
        String team = services.mailer().settings().staffEmail();
        values.put("staffEmail", team);
        String fallback = EmailAddress.sameMailbox(unreachable.address(), team) ? "bounce.ops.fallback.none" : "bounce.ops.fallback.team";
        String key = "OPS#" + unreachable.problemId();
        String claimant = services.links().newId();
        if (!services.store().emails().claim(record.migrationId(), key, services.clock().instant(), claimant)) {
            return false;
        }
        String messageId;
        try {
            messageId = ops.publish(texts.get("bounce.ops.title", values), texts.get("bounce.ops.text", values) + "\n\n" + texts.get(fallback, values));
        } catch (RuntimeException e) {
            services.store().emails().release(record.migrationId(), key, claimant, e);
            throw e;
        }
        services.store().emails().sent(record.migrationId(), key, messageId, "STAFF_UNREACHABLE", "ops topic");
        services.store().audit().add(record.migrationId(), new AuditEntry(services.clock().instant(), "system",
                "operations told: staff address unreachable", "ops topic, " + type(event), null));
        return true;
    }

    private static String action(DeliveryEvent event) {
        String email = event.kind().orElse("email");
        return event.type() == DeliveryEvent.Type.BOUNCE ? "email bounced: " + email : "email reported as spam: " + email;
    }

    /** "Permanent/General", "Transient/MailboxFull", or a complaint's feedback type. */
    private static String type(DeliveryEvent event) {
        if (event.type() == DeliveryEvent.Type.BOUNCE) {
            return event.bounceType() + (event.bounceSubType() == null ? "" : "/" + event.bounceSubType());
        }
        return event.feedbackType() != null ? event.feedbackType() : event.bounceSubType() != null ? event.bounceSubType() : "complaint";
    }

    /** The receiving server's words, as much as the record keeps; for a complaint its feedback type. */
    private static String diagnostic(DeliveryEvent event, DeliveryEvent.Recipient recipient) {
        String words = recipient.diagnostic() != null ? recipient.diagnostic() : recipient.status();
        if (event.type() == DeliveryEvent.Type.COMPLAINT) {
            words = event.feedbackType();
        }
        return clip(words, MigrationRecord.DIAGNOSTIC_LENGTH);
    }

    private static String clip(String words, int length) {
        return words == null || words.length() <= length ? words : words.substring(0, length - 1) + "…";
    }
}
