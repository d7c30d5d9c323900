package de.shopmigration.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ReminderScheduleTest {

    private static final long HOUR = 3600;

    @Test
    void remindersAndTheFirstEscalationComeAtTheUsualIntervalThenTheyDoubleFromAnHour() {
        // A go-live wait: every half hour, three reminders, then staff.
        assertThat(ReminderSchedule.nextSeconds(1800, 3, 1)).isEqualTo(1800);
        assertThat(ReminderSchedule.nextSeconds(1800, 3, 3)).isEqualTo(1800);
        assertThat(ReminderSchedule.nextSeconds(1800, 3, 4)).as("after the first escalation").isEqualTo(HOUR);
        assertThat(ReminderSchedule.nextSeconds(1800, 3, 5)).isEqualTo(2 * HOUR);
        assertThat(ReminderSchedule.nextSeconds(1800, 3, 6)).isEqualTo(4 * HOUR);
        // A staff wait of four hours doubles from its own interval.
        assertThat(ReminderSchedule.nextSeconds(4 * HOUR, 3, 4)).isEqualTo(4 * HOUR);
        assertThat(ReminderSchedule.nextSeconds(4 * HOUR, 3, 5)).isEqualTo(8 * HOUR);
        // Never beyond the year an execution lives, however many escalations.
        assertThat(ReminderSchedule.nextSeconds(30L * 24 * HOUR, 0, 400)).isEqualTo(ReminderSchedule.LONGEST_SECONDS);
    }

    @Test
    void aCopyWaitsHeartbeatSlowsDownWithItsTimeoutAndStaysBelowIt() {
        long next = ReminderSchedule.nextSeconds(8 * HOUR, 0, 2);
        assertThat(next).isEqualTo(16 * HOUR);
        assertThat(ReminderSchedule.nextHeartbeatSeconds(1800, 8 * HOUR, next)).isEqualTo(3600);
        assertThat(ReminderSchedule.nextHeartbeatSeconds(10, 2, 3600)).isEqualTo(3599);
    }

    @Test
    void aNightOfAnyLengthEndsAtTheFirstHourOutsideTheQuietHours() {
        Timing evening = new Timing(1, 1, 1, 1, 1, 2, 1, 1, 60, 0, 0, 20, 8, 0, 1, 1);
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(ReminderSchedule.untilQuietHoursEnd(Instant.parse("2026-12-03T22:30:00Z"), berlin, evening))
                .as("23:30 in Berlin, the morning at 8:00").isEqualTo(8 * HOUR + 1800);
        Timing almostAllDay = new Timing(1, 1, 1, 1, 1, 2, 1, 1, 60, 0, 0, 9, 8, 0, 1, 1);
        assertThat(ReminderSchedule.untilQuietHoursEnd(Instant.parse("2026-12-03T08:10:00Z"), berlin, almostAllDay))
                .as("quiet from 9 to 8: 23 hours, bridged in one step").isEqualTo(22 * HOUR + 50 * 60);
        // The night of the switch to summer time has an hour less: midnight to 8:00 is seven hours.
        assertThat(ReminderSchedule.untilQuietHoursEnd(Instant.parse("2026-03-28T23:00:00Z"), berlin, evening)).isEqualTo(7 * HOUR);
    }

    @Test
    void aStepMayComeRoundSixTimes() {
        Rounds.check("M-1", Step.TEST_RESULTS, Rounds.MAX);
        assertThatThrownBy(() -> Rounds.check("M-1", Step.TEST_RESULTS, Rounds.MAX + 1)).isInstanceOf(TooManyRounds.class)
                .hasMessageContaining("TEST_RESULTS would start round 7");
    }
}
