package de.shopmigration.golive;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.MigrationRecord.GoLiveSlot;
import de.shopmigration.core.TimeFormats;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seed's go-live rules over a table of Berlin dates and times (default region Germany + NRW). */
class GoLiveSlotsTest {

    static final GoLiveSlots RULES = new GoLiveSlots(new Holidays("de-nw"));

    static Instant berlin(String local) {
        return LocalDateTime.parse(local).atZone(TimeFormats.BERLIN).toInstant();
    }

    @ParameterizedTest(name = "{0} {2}: allowed={1}")
    @CsvSource({
            // a normal week
            "2026-11-30T09:00, true,  Monday at opening",
            "2026-12-03T16:00, true,  Thursday at the latest start (2 h downtime ends at closing)",
            "2026-12-03T16:01, false, Thursday after the latest start",
            "2026-12-03T17:00, false, Thursday: a 2 h downtime would end after closing",
            "2026-12-03T18:00, false, Thursday at closing",
            "2026-11-30T08:59, false, Monday before opening",
            "2026-12-04T10:00, false, Friday",
            "2026-12-05T10:00, false, Saturday",
            "2026-12-06T10:00, false, Sunday",
            // holidays, nationwide and in NRW
            "2026-04-06T10:00, false, Easter Monday",
            "2026-05-14T10:00, false, Ascension Day (Thursday)",
            "2026-06-04T10:00, false, Corpus Christi in NRW (Thursday)",
            "2026-12-24T10:00, true,  Christmas Eve is a working day",
            "2026-12-28T10:00, true,  Monday between the years",
            "2027-12-27T10:00, true,  Monday after Christmas 2027",
            "2025-12-25T10:00, false, Christmas Day (Thursday)",
            "2029-01-01T10:00, false, New Year's Day (Monday)",
            "2026-10-01T10:00, true,  Thursday before German Unity Day",
            "2029-10-03T10:00, false, German Unity Day (Wednesday)",
            "2026-11-01T10:00, false, All Saints' Day is a Sunday anyway",
            "2027-11-01T10:00, false, All Saints' Day in NRW (Monday)",
            // both daylight-saving switch weeks: Thursday before and Monday after
            "2026-03-26T09:00, true,  Thursday before the spring switch (CET)",
            "2026-03-30T09:00, true,  Monday after the spring switch (CEST)",
            "2026-10-22T16:00, true,  Thursday before the autumn switch (CEST)",
            "2026-10-26T09:00, true,  Monday after the autumn switch (CET)",
    })
    void goLiveStartsFollowTheRules(String local, boolean allowed, String what) {
        assertThat(RULES.allowed(berlin(local))).as(what).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0}: recommended={1}")
    @CsvSource({"2026-11-30T09:00, true", "2026-11-30T11:59, true", "2026-11-30T12:00, false", "2026-11-30T17:00, false"})
    void startsBeforeNoonAreRecommended(String local, boolean recommended) {
        assertThat(RULES.recommended(berlin(local))).isEqualTo(recommended);
    }

    @Test
    void corpusChristiIsOnlyAHolidayWhereTheRegionKeepsIt() {
        assertThat(new GoLiveSlots(new Holidays("de")).allowed(berlin("2026-06-04T10:00"))).as("Germany without a state").isTrue();
        assertThat(new GoLiveSlots(new Holidays("de-nw")).allowed(berlin("2026-06-04T10:00"))).isFalse();
    }

    @Test
    void offeredSlotsKeepBerlinWallClockTimeAcrossTheDaylightSavingSwitch() {
        List<GoLiveSlot> offer = RULES.offer(berlin("2026-03-26T00:00"), 7, 100, s -> true);
        assertThat(offer).extracting(s -> s.start().atZone(TimeFormats.BERLIN).getHour()).contains(9, 16).doesNotContain(8, 17, 18);
        assertThat(offer).allSatisfy(s -> assertThat(s.start().atZone(TimeFormats.BERLIN).getDayOfWeek().getValue())
                .isLessThanOrEqualTo(DayOfWeek.THURSDAY.getValue()));
        // Thursday 26 March is CET (UTC+1), Monday 30 March CEST (UTC+2): 9:00 local both days.
        assertThat(offer).extracting(GoLiveSlot::start).contains(Instant.parse("2026-03-26T08:00:00Z"), Instant.parse("2026-03-30T07:00:00Z"));
    }

    @Test
    void noSlotFallsOnAHolidayAndRecommendedOnesStartBeforeNoon() {
        List<GoLiveSlot> offer = RULES.offer(berlin("2026-05-11T00:00"), 14, 500, s -> true);
        assertThat(offer).extracting(s -> s.start().atZone(TimeFormats.BERLIN).toLocalDate().toString())
                .doesNotContain("2026-05-14", "2026-05-25", "2026-05-15").contains("2026-05-11", "2026-05-13", "2026-05-18");
        assertThat(offer).allSatisfy(s -> assertThat(s.recommended()).isEqualTo(s.start().atZone(TimeFormats.BERLIN).getHour() < 12));
    }

    @Test
    void fullSlotsAndSlotsBeforeTheGateAreNotOffered() {
        Instant gate = berlin("2026-11-30T13:30");
        List<GoLiveSlot> offer = RULES.offer(gate, 1, 100, s -> !s.equals(berlin("2026-11-30T15:00")));
        assertThat(offer).extracting(s -> s.start().atZone(TimeFormats.BERLIN).getHour()).containsExactly(14, 16);
    }
}
