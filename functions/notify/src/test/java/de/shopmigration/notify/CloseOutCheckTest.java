package de.shopmigration.notify;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.store.ErrorReports;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The close-out's loop over open error reports is bounded by its count, not only by the clock:
 * HistoryBudgetTest budgets {@link ErrorReports#CLOSE_OUT_CHECKS} checks, and this is what
 * keeps the state machine to it (the emulator's tests show the loop itself: ErrorWindowTest).
 */
class CloseOutCheckTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final long DAY = 24 * 3600;

    @Test
    void nothingOpenClosesOutAtOnce() {
        assertThat(CloseOutCheck.Verdict.of(0, 0, NOW, NOW.plusSeconds(DAY), DAY).closeOut()).isTrue();
    }

    @Test
    void anOpenReportWaitsWithADaysWaitSpreadOverTheChecks() {
        CloseOutCheck.Verdict first = CloseOutCheck.Verdict.of(0, 1, NOW, NOW.plusSeconds(DAY), DAY);
        assertThat(first.closeOut()).isFalse();
        assertThat(first.checks()).isEqualTo(1);
        assertThat(first.nextCheckSeconds()).as("every 15 minutes").isEqualTo(900);
        assertThat(CloseOutCheck.Verdict.of(5, 1, NOW.plusSeconds(DAY - 10), NOW.plusSeconds(DAY), DAY).nextCheckSeconds())
                .as("never past the end of the wait").isEqualTo(10);
    }

    @Test
    void theWaitEndsWhenItsTimeIsUpOrAtTheLastCheckWhateverTheClock() {
        assertThat(CloseOutCheck.Verdict.of(3, 2, NOW.plusSeconds(DAY), NOW.plusSeconds(DAY), DAY).closeOut()).isTrue();
        // A Wait state that wakes early (the emulator's may, by up to a second) cannot make the loop longer.
        assertThat(CloseOutCheck.Verdict.of(ErrorReports.CLOSE_OUT_CHECKS - 2, 1, NOW, NOW.plusSeconds(DAY), DAY).closeOut()).isFalse();
        CloseOutCheck.Verdict last = CloseOutCheck.Verdict.of(ErrorReports.CLOSE_OUT_CHECKS - 1, 1, NOW, NOW.plusSeconds(DAY), DAY);
        assertThat(last.checks()).isEqualTo(ErrorReports.CLOSE_OUT_CHECKS);
        assertThat(last.closeOut()).isTrue();
    }

    @Test
    void aShortWaitIsCheckedEverySecond() {
        CloseOutCheck.Verdict v = CloseOutCheck.Verdict.of(0, 1, NOW, NOW.plusSeconds(3), 3);
        assertThat(v.nextCheckSeconds()).isEqualTo(1);
        assertThat(v.closeOut()).isFalse();
    }
}
