package de.shopmigration.documents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.Audience;
import de.shopmigration.core.DocumentKind;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.mail.Attachment;
import de.shopmigration.core.mail.EmailAddress;
import de.shopmigration.core.mail.Messages;
import de.shopmigration.core.mail.Notifier;
import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.Map;

/**
 * Writes the documents the emails attach, into the migration's partition: the state machine
 * runs this before the email that needs them, so the email steps stay free of PDF and calendar
 * code. Writing again replaces the document (a rebooked slot, an updated questionnaire).
 */
public final class DocumentWriter {

    private final Collaborators services;
    private final Notifier notifier;

    public DocumentWriter(Collaborators services) {
        this.services = services;
        this.notifier = new Notifier(services);
    }

    public ObjectNode testScenarios(String migrationId) {
        MigrationRecord record = services.store().records().get(migrationId);
        Texts t = notifier.texts(record, Audience.CUSTOMER);
        Map<String, String> values = Messages.values(record.request(), services.mailer().settings().providerName());
        byte[] pdf = TestScenarioChecklist.pdf(record, t, values);
        Attachment doc = new Attachment(t.get("scenarios.filename", values), "application/pdf", pdf);
        services.store().documents().put(migrationId, DocumentKind.TEST_SCENARIOS.name(), doc);
        return Json.object().put("document", doc.filename()).put("bytes", pdf.length);
    }

    /** SnapStart priming: both documents of a sample migration rendered in memory; nothing stored. */
    public void prime() {
        services.prime(false);
        MigrationRecord record = Collaborators.primingRecord();
        Texts t = notifier.texts(record, Audience.CUSTOMER);
        Map<String, String> values = Messages.values(record.request(), services.mailer().settings().providerName());
        TestScenarioChecklist.pdf(record, t, values);
        Instant start = record.booking().start();
        GoLiveInvite.ics("priming@" + "localhost", start, record.booking().end(), t.get("invite.summary", values),
                t.get("invite.description", values), services.mailer().settings().providerName(),
                EmailAddress.ascii(services.mailer().settings().sender()), record.request().customer().name(),
                EmailAddress.ascii(record.request().customer().email()), services.clock().instant(), 0);
    }

    /** A rebooked go-live updates the same event: its SEQUENCE counts the bookings before this one. */
    static int rebookings(MigrationRecord record) {
        return Math.max(0, record.goLiveBookings() - 1);
    }

    /** The invite is in the customer's language; staff get the same event. */
    public ObjectNode goLiveInvite(String migrationId, Instant start, Instant end) {
        MigrationRecord record = services.store().records().get(migrationId);
        Texts t = notifier.texts(record, Audience.CUSTOMER);
        Map<String, String> values = Messages.values(record.request(), services.mailer().settings().providerName());
        String sender = services.mailer().settings().sender();
        String uid = "go-live-" + migrationId + "@" + sender.substring(sender.indexOf('@') + 1);
        byte[] ics = GoLiveInvite.ics(uid, start, end, t.get("invite.summary", values), t.get("invite.description", values),
                services.mailer().settings().providerName(), EmailAddress.ascii(sender), record.request().customer().name(),
                EmailAddress.ascii(record.request().customer().email()), services.clock().instant(), rebookings(record));
        Attachment doc = new Attachment(t.get("invite.filename", values), "text/calendar; charset=UTF-8; method=REQUEST", ics);
        services.store().documents().put(migrationId, DocumentKind.GO_LIVE_INVITE.name(), doc);
        return Json.object().put("document", doc.filename()).put("bytes", ics.length);
    }
}
