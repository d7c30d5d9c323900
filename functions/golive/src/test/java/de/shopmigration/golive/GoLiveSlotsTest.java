package de.shopmigration.golive;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.MigrationRecord.GoLiveSlot;
import de.shopmigration.core.Times;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoLiveSlotsTest {

    final GoLiveSlots slots = new GoLiveSlots(day -> false);

    static Instant berlin(String local) {
        return LocalDateTime.parse(local).atZone(Times.BERLIN).toInstant();
    }

    @Test
    void startsAreMondayToThursdayInsideOfficeHours() {
        assertThat(slots.allowed(berlin("2026-11-30T09:00"))).isTrue();   // Monday
        assertThat(slots.allowed(berlin("2026-12-03T17:59"))).isTrue();   // Thursday
        assertThat(slots.allowed(berlin("2026-12-03T18:00"))).isFalse();
        assertThat(slots.allowed(berlin("2026-11-30T08:59"))).isFalse();
        assertThat(slots.allowed(berlin("2026-12-04T10:00"))).isFalse();  // Friday
        assertThat(slots.allowed(berlin("2026-12-05T10:00"))).isFalse();  // Saturday
    }

    @Test
    void startsBeforeNoonAreRecommended() {
        assertThat(GoLiveSlots.recommended(berlin("2026-11-30T11:59"))).isTrue();
        assertThat(GoLiveSlots.recommended(berlin("2026-11-30T12:00"))).isFalse();
    }

    @Test
    void offeredSlotsKeepBerlinWallClockTimeAcrossTheDaylightSavingSwitch() {
        List<GoLiveSlot> offer = slots.offer(berlin("2026-03-26T00:00"), 7, 100, s -> true);
        assertThat(offer).extracting(s -> s.start().atZone(Times.BERLIN).getHour()).contains(9, 17).doesNotContain(8, 18);
        assertThat(offer).allSatisfy(s -> assertThat(s.start().atZone(Times.BERLIN).getDayOfWeek().getValue())
                .isLessThanOrEqualTo(DayOfWeek.THURSDAY.getValue()));
        // Thursday 26 March is CET (UTC+1), Monday 30 March CEST (UTC+2): 9:00 local both days.
        assertThat(offer).extracting(GoLiveSlot::start).contains(Instant.parse("2026-03-26T08:00:00Z"), Instant.parse("2026-03-30T07:00:00Z"));
    }

    @Test
    void fullSlotsAndSlotsBeforeTheGateAreNotOffered() {
        Instant gate = berlin("2026-11-30T13:30");
        List<GoLiveSlot> offer = slots.offer(gate, 1, 100, s -> !s.equals(berlin("2026-11-30T15:00")));
        assertThat(offer).extracting(s -> s.start().atZone(Times.BERLIN).getHour()).containsExactly(14, 16, 17);
    }
}
