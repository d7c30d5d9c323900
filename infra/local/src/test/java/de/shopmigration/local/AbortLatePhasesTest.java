package de.shopmigration.local;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Aborts in phases 5 to 7 (go-live preparation, going live, close-out), after the booking. */
class AbortLatePhasesTest extends AbortCloudTest {

    @Test
    void abortInPhase5GoLivePreparationReleasesTheBooking() {
        String id = "M-ABORT-P5";
        // A long countdown: the abort comes while the migration waits for its slot.
        String arn = cloud.startMigration(id, input("abort-5", FAST.replace("\"slotWaitCapSeconds\": 2", "\"slotWaitCapSeconds\": 600"), null));
        throughTheTestRun(id);
        Mailbox mail = cloud.mailbox();
        Mailbox.Mail booking = mail.await(id, "SLOT_BOOKING", WAIT);
        Instant slot = Instant.parse(bookFreeSlot(booking.link("Termin wählen")));
        Mailbox.Mail countdown = mail.await(id, "GO_LIVE_WAIT", WAIT);
        abortByStaffLink(countdown);
        assertCleanedUp(id, arn, "abort-5", true, countdown.link("Termin umbuchen"), slot);
    }

    @Test
    void abortInPhase6GoingLiveBeforeTheSwitch() {
        String id = "M-ABORT-P6";
        String arn = cloud.startMigration(id, input("abort-6", FAST, null));
        throughTheTestRun(id);
        Mailbox.Mail check = upToTheGoLiveCheck(id);
        Instant slot = record(id).booking().start();
        Mailbox.Mail off = cloud.mailbox().await(id, "MAINTENANCE_OFF", WAIT);
        abortByStaffLink(off);
        assertCleanedUp(id, arn, "abort-6", true, check.link("Alles funktioniert"), slot);
    }

    @Test
    void abortInPhase7CloseOutSwitchesBack() {
        String id = "M-ABORT-P7";
        String arn = cloud.startMigration(id, input("abort-7", FAST.replace("\"errorWindowSeconds\": 3", "\"errorWindowSeconds\": 600"), null));
        throughTheTestRun(id);
        Mailbox.Mail check = upToTheGoLiveCheck(id);
        Instant slot = record(id).booking().start();
        confirm(check, "Alles funktioniert", Map.of());
        Mailbox.Mail done = cloud.mailbox().await(id, "GO_LIVE_DONE", WAIT);
        org.assertj.core.api.Assertions.assertThat(record(id).dns().switchedAt()).isNotNull();
        abortByStaffLink(cloud.mailbox().await(id, "MAINTENANCE_OFF", WAIT));
        assertCleanedUp(id, arn, "abort-7", true, done.link("Fehler melden"), slot);
    }
}
