package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.core.OfficeHours;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The wait for the booked slot: the customer is reminded beforehand, phase 6 starts at the slot
 * and not before, and staff can rebook (new confirmation, updated invite, old slot freed) or
 * cancel (slot freed, the customer books again) while the workflow waits.
 */
class GoLiveCountdownTest extends CloudTest {

    @Test
    void staffRebookAndCancelWhileWaitingAndPhaseSixStartsAtTheSlot() throws Exception {
        String id = "M-SLOT-1";
        String timing = FAST.replace("\"slotWaitCapSeconds\": 2", "\"slotWaitCapSeconds\": 60");
        cloud.startMigration(id, input("slotwait", timing, null));
        Mailbox mail = cloud.mailbox();
        answerQuestionnaire(mail.await(id, "QUESTIONNAIRE", WAIT), Map.of());
        confirm(mail.await(id, "CLUSTER_PREPARATION", WAIT), "Cluster ist vorbereitet", Map.of());
        confirm(mail.await(id, "INITIAL_COPY", WAIT), "Kopie abgeschlossen", Map.of());
        confirm(mail.await(id, "TEST_RESULTS", WAIT), "Alle Tests bestanden", Map.of());

        String first = bookFreeSlot(mail.await(id, "SLOT_BOOKING", WAIT).link("Termin wählen"));
        mail.await(id, "GO_LIVE_CONFIRMED", WAIT);
        Mailbox.Mail staff = mail.await(id, "GO_LIVE_WAIT", WAIT);
        assertThat(staff.attachments()).extracting(Mailbox.Attachment::filename).containsExactly("Going-Live-M-SLOT-1.ics");

        // Staff move the date: the customer gets a new confirmation, the invite updates the same event.
        assertThat(browser.get(staff.link("Termin umbuchen")).document().select("input[name=slot]").eachAttr("value"))
                .as("staff are offered the other free slots").doesNotContain(first).isNotEmpty();
        String second = bookFreeSlot(staff.link("Termin umbuchen"));
        Mailbox.Mail moved = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("GO_LIVE_CONFIRMED")
                && m.index() > staff.index(), WAIT, "new confirmation after the rebooking");
        String ics = new String(moved.attachments().get(0).content(), StandardCharsets.UTF_8);
        assertThat(ics).contains("SEQUENCE:1", "UID:go-live-M-SLOT-1@hosting.example");
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            // Exactly the hours held change hands: those only the first slot covered are free, the second's are held.
            List<Instant> secondHours = OfficeHours.DEFAULT.cells(Instant.parse(second));
            for (Instant hour : OfficeHours.DEFAULT.cells(Instant.parse(first))) {
                assertThat(store.bookings().holders(hour).contains(id)).as("hour " + hour).isEqualTo(secondHours.contains(hour));
            }
            secondHours.forEach(hour -> assertThat(store.bookings().holders(hour)).containsExactly(id));
            assertThat(store.records().get(id).booking().start()).isEqualTo(Instant.parse(second));
        }

        // Staff cancel: the slot is free again and the customer is asked to book anew.
        Mailbox.Mail staff2 = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("GO_LIVE_WAIT") && m.index() > moved.index(),
                WAIT, "staff email of the second countdown");
        assertThat(browser.submit(browser.get(staff2.link("Termin absagen")), Map.of("reason", "Kunde im Urlaub")).status())
                .isEqualTo(200);
        Mailbox.Mail again = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("SLOT_BOOKING") && m.index() > staff2.index(),
                WAIT, "a new booking request");
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            OfficeHours.DEFAULT.cells(Instant.parse(second)).forEach(hour -> assertThat(store.bookings().holders(hour)).doesNotContain(id));
            assertThat(store.records().get(id).booking()).isNull();
        }

        // The customer books again; phase 6 starts at the (compressed) slot, after the reminder, not before.
        bookFreeSlot(again.link("Termin wählen"));
        mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("GO_LIVE_CONFIRMED") && m.index() > again.index(), WAIT, "third confirmation");
        MigrationRecord.Booking booking;
        try (var dynamo = cloud.dynamoDb()) {
            booking = new MigrationStore(dynamo, cloud.tableName()).records().get(id).booking();
        }
        Mailbox.Mail reminder = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("GO_LIVE_REMINDER") && m.index() > again.index(),
                WAIT, "the reminder before the go-live");
        assertThat(mail.forMigration(id)).extracting(Mailbox.Mail::kind).doesNotContain("MAINTENANCE_ON");
        long early = booking.startGoLiveAt().toEpochMilli() - System.currentTimeMillis() - 1500;
        if (early > 0) {
            Thread.sleep(early);
        }
        assertThat(mail.forMigration(id)).as("nothing of phase 6 before the slot").extracting(Mailbox.Mail::kind).doesNotContain("MAINTENANCE_ON");
        Mailbox.Mail maintenance = mail.await(id, "MAINTENANCE_ON", WAIT);
        assertThat(Instant.now()).isAfterOrEqualTo(booking.startGoLiveAt());
        assertThat(maintenance.index()).isGreaterThan(reminder.index());

        assertThat(browser.post(maintenance.link("Stand des Umzugs ansehen"), Map.of()).status()).as("the status page only shows").isEqualTo(405);
        Mailbox.Mail lastStaff = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("GO_LIVE_WAIT") && m.index() > again.index(),
                WAIT, "staff email of the third countdown");
        abortToEnd(lastStaff);
    }
}
