package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** No silent waits: an unanswered request is repeated, then escalated, and the first link still works. */
class RemindersTest extends CloudTest {

    @Test
    void unansweredQuestionnaireIsRemindedThenEscalatedAndTheOriginalLinkStillAnswersIt() {
        String id = "M-REMIND-1";
        String timing = """
                {"customerReminderSeconds": 2, "maxReminders": 1, "staffReminderSeconds": 600, "dnsPollSeconds": 1,
                 "quietFromHour": 0, "quietToHour": 0}""";
        String arn = cloud.startMigration(id, input("remind", timing, null));
        Mailbox mail = cloud.mailbox();
        Mailbox.Mail first = mail.await(id, "QUESTIONNAIRE", WAIT);
        Mailbox.Mail reminder = mail.await(id, "QUESTIONNAIRE_REMINDER", WAIT);
        assertThat(reminder.to()).containsExactly(CUSTOMER);
        assertThat(reminder.subject()).contains("Erinnerung");
        assertThat(reminder.link("Fragebogen ausfüllen")).isEqualTo(first.link("Fragebogen ausfüllen"));
        Mailbox.Mail escalation = mail.await(id, "QUESTIONNAIRE_ESCALATION", WAIT);
        assertThat(escalation.to()).containsExactly(STAFF);
        assertThat(escalation.text()).contains("Eskalation").doesNotContain(first.link("Fragebogen ausfüllen"));

        answerQuestionnaire(first, Map.of());
        Mailbox.Mail next = mail.await(id, "CLUSTER_PREPARATION", WAIT);
        long remindersBefore = mail.forMigration(id).stream().filter(m -> m.kind().startsWith("QUESTIONNAIRE_")).count();
        sleep(4000);
        long remindersAfter = mail.forMigration(id).stream().filter(m -> m.kind().startsWith("QUESTIONNAIRE_")).count();
        assertThat(remindersAfter).as("reminders stop once the customer has answered").isEqualTo(remindersBefore);

        confirmAbort(next);
        assertThat(cloud.awaitEnd(arn, WAIT).status()).isEqualTo(ExecutionStatus.ABORTED);
    }

    private void confirmAbort(Mailbox.Mail staffMail) {
        abortToEnd(staffMail);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
