package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A phase that runs past its plan alerts staff once. */
class OverrunTest extends CloudTest {

    @Test
    void aPhaseRunningPastItsPlanAlertsStaffOnce() throws Exception {
        String id = "M-OVERRUN-1";
        String timing = """
                {"customerReminderSeconds": 2, "maxReminders": 5, "dnsPollSeconds": 1, "halfDaySeconds": 1,
                 "quietFromHour": 0, "quietToHour": 0}""";
        cloud.startMigration(id, input("overrun", timing, null));
        Mailbox mail = cloud.mailbox();
        Mailbox.Mail questionnaire = mail.await(id, "QUESTIONNAIRE", WAIT);
        Mailbox.Mail alert = mail.await(id, "OVERRUN", WAIT);
        assertThat(alert.to()).containsExactly(STAFF);
        assertThat(alert.subject()).contains("1. Planung und Vorbereitung");
        mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("QUESTIONNAIRE_REMINDER") && m.index() > alert.index(),
                WAIT, "a later reminder");
        assertThat(mail.forMigration(id)).filteredOn(m -> m.kind().equals("OVERRUN")).hasSize(1);

        answerQuestionnaire(questionnaire, Map.of());
        Mailbox.Mail staff = mail.await(id, "CLUSTER_PREPARATION", WAIT);
        abortToEnd(staff);
    }
}
