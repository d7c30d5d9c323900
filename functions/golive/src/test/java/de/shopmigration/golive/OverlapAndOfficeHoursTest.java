package de.shopmigration.golive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.InvalidConfiguration;
import de.shopmigration.core.MigrationRecord.GoLiveSlot;
import de.shopmigration.core.OfficeHours;
import de.shopmigration.core.TimeFormats;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Capacity by overlap and the office hours as parameters, over tables: a go-live occupies its
 * whole slot (start to start + length), so capacity limits how many run at the same moment.
 */
class OverlapAndOfficeHoursTest {

    static Instant berlin(String local) {
        return LocalDateTime.parse(local).atZone(TimeFormats.BERLIN).toInstant();
    }

    static OfficeHours hours(String... pairs) {
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            vars.put(pairs[i], pairs[i + 1]);
        }
        return OfficeHours.from(new Env(vars));
    }

    /** Who holds each cell when these migrations have booked these slots (id=local start). */
    static Map<Instant, List<String>> booked(OfficeHours hours, String bookings) {
        Map<Instant, List<String>> holders = new HashMap<>();
        if (bookings.isBlank()) {
            return holders;
        }
        for (String booking : bookings.split(" ")) {
            String[] idAndStart = booking.split("=");
            for (Instant cell : hours.cells(berlin(idAndStart[1]))) {
                holders.computeIfAbsent(cell, c -> new ArrayList<>()).add(idAndStart[0]);
            }
        }
        return holders;
    }

    @ParameterizedTest(name = "capacity {0}, booked [{1}], {2} for M-NEW: free={3} ({4})")
    @CsvSource(delimiter = '|', value = {
            // capacity 1: one go-live at a time; a slot lasts 4 hours
            "1 | A=2026-12-01T12:00                      | 2026-12-01T13:00 | false | the issue's case: 12:00 runs until 16:00",
            "1 | A=2026-12-01T12:00                      | 2026-12-01T09:00 | false | 9:00-13:00 overlaps 12:00-13:00",
            "1 | A=2026-12-01T12:00                      | 2026-12-01T08:00 | false | ... and so would 8:00-12:00 not, but 8:00 is before opening",
            "1 | A=2026-12-01T12:00                      | 2026-12-01T16:00 | true  | starts when A ends",
            "1 | A=2026-12-01T13:00                      | 2026-12-01T09:00 | true  | ends when A starts",
            "1 | A=2026-12-01T12:00                      | 2026-12-02T12:00 | true  | another day",
            "1 | M-NEW=2026-12-01T12:00                  | 2026-12-01T13:00 | true  | its own booking (a rebooking) does not count",
            "1 | A=2026-12-01T09:00 B=2026-12-01T13:00   | 2026-12-01T11:00 | false | between two go-lives",
            // capacity 2: two go-lives may run at the same moment, never three
            "2 | A=2026-12-01T12:00                      | 2026-12-01T13:00 | true  | one running, room for a second",
            "2 | A=2026-12-01T12:00 B=2026-12-01T13:00   | 2026-12-01T14:00 | false | 14:00-16:00 would be the third at once",
            "2 | A=2026-12-01T12:00 B=2026-12-01T13:00   | 2026-12-01T09:00 | true  | 12:00-13:00 holds only A",
            "2 | A=2026-12-01T12:00 B=2026-12-01T13:00   | 2026-12-01T10:00 | false | 13:00 holds A and B",
            "2 | A=2026-12-01T12:00 B=2026-12-01T13:00   | 2026-12-01T16:00 | true  | 16:00 holds only B",
            "2 | A=2026-12-01T09:00 B=2026-12-01T09:00   | 2026-12-01T12:00 | false | both run until 13:00",
            "2 | A=2026-12-01T09:00 M-NEW=2026-12-01T09:00 | 2026-12-01T10:00 | true | its own place counts as its own",
    })
    void aSlotHasRoomOnlyIfEveryHourItCoversHasRoom(int capacity, String bookings, String start, boolean free, String why) {
        OfficeHours hours = OfficeHours.DEFAULT;
        Instant s = berlin(start);
        boolean offered = hours.allows(s) && hours.hasRoom(s, booked(hours, bookings), capacity, "M-NEW");
        assertThat(offered).as(why).isEqualTo(free);
    }

    @ParameterizedTest(name = "{0} {1}: allowed={2} ({3})")
    @CsvSource(delimiter = '|', value = {
            // the plan's defaults: Monday to Thursday, 9:00 to 18:00, latest start 16:00
            "                                         | 2026-12-03T16:00 | true  | latest start: a 2 h downtime ends at 18:00",
            "                                         | 2026-12-03T17:00 | false | would end after closing",
            "                                         | 2026-12-03T15:30 | true  | the start time itself (the offer keeps to the grid)",
            "                                         | 2026-12-04T10:00 | false | Friday",
            // closing at 17:00 moves the latest start to 15:00
            "OFFICE_CLOSES=17:00                      | 2026-12-03T15:00 | true  | closing 17:00 - 2 h",
            "OFFICE_CLOSES=17:00                      | 2026-12-03T16:00 | false | would end after 17:00",
            // an explicit latest start wins
            "LATEST_GO_LIVE_START=12:00               | 2026-12-03T12:00 | true  | mornings only",
            "LATEST_GO_LIVE_START=12:00               | 2026-12-03T13:00 | false | mornings only",
            "GO_LIVE_DAYS=MON-FRI                     | 2026-12-04T10:00 | true  | Fridays too",
            "GO_LIVE_DAYS=TUE,THU                     | 2026-11-30T10:00 | false | Monday not listed",
            "OFFICE_OPENS=08:00                       | 2026-12-03T08:00 | true  | opening earlier",
    })
    void officeHoursAreParameters(String setting, String start, boolean allowed, String why) {
        OfficeHours hours = setting == null ? OfficeHours.DEFAULT : hours(setting.split("="));
        assertThat(hours.allows(berlin(start))).as(why).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0}: cells {1} ... {2}")
    @CsvSource(delimiter = '|', value = {
            // last Sunday of March: 2:00 becomes 3:00 (CET to CEST); last Sunday of October: 3:00 becomes 2:00
            "2026-03-29T09:00 | 2026-03-29T07:00:00Z | 2026-03-29T10:00:00Z | spring switch day: 9:00 CEST is 7:00 UTC",
            "2026-03-28T09:00 | 2026-03-28T08:00:00Z | 2026-03-28T11:00:00Z | the Saturday before: 9:00 CET is 8:00 UTC",
            "2026-10-25T09:00 | 2026-10-25T08:00:00Z | 2026-10-25T11:00:00Z | autumn switch day: 9:00 CET is 8:00 UTC",
            "2026-10-24T09:00 | 2026-10-24T07:00:00Z | 2026-10-24T10:00:00Z | the Saturday before: 9:00 CEST is 7:00 UTC",
    })
    void onDaylightSavingSwitchDaysASlotCoversFourRealHours(String start, String first, String last, String why) {
        OfficeHours everyDay = hours("GO_LIVE_DAYS", "MON-SUN");
        List<Instant> cells = everyDay.cells(berlin(start));
        assertThat(cells).as(why).hasSize(4).startsWith(Instant.parse(first)).endsWith(Instant.parse(last));
        assertThat(Duration.between(cells.get(0), everyDay.end(berlin(start)))).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void onSwitchDaysTheOfferKeepsWallClockStartsAndOverlapIsCountedInRealTime() {
        OfficeHours everyDay = hours("GO_LIVE_DAYS", "MON-SUN");
        for (String day : List.of("2026-03-29", "2026-10-25")) {
            List<Instant> starts = everyDay.starts(LocalDate.parse(day));
            assertThat(starts).extracting(s -> s.atZone(TimeFormats.BERLIN).getHour()).containsExactly(9, 10, 11, 12, 13, 14, 15, 16);
            Map<Instant, List<String>> holders = booked(everyDay, "A=" + day + "T09:00");
            assertThat(starts).filteredOn(s -> everyDay.hasRoom(s, holders, 1, "M-NEW"))
                    .extracting(s -> s.atZone(TimeFormats.BERLIN).getHour()).as(day).containsExactly(13, 14, 15, 16);
        }
    }

    @Test
    void holidaysAreNeverOfferedAndFullHoursAreLeftOut() {
        GoLiveSlots rules = new GoLiveSlots(OfficeHours.DEFAULT, new Holidays("de-nw"));
        // Week of Ascension (Thursday 14 May 2026)
        List<GoLiveSlot> offer = rules.offer(berlin("2026-05-11T00:00"), 4, 100, s -> true);
        assertThat(offer).extracting(s -> s.start().atZone(TimeFormats.BERLIN).toLocalDate().toString()).doesNotContain("2026-05-14")
                .contains("2026-05-11", "2026-05-12", "2026-05-13");
        assertThat(offer).hasSize(3 * 8).allSatisfy(s -> assertThat(s.end()).isEqualTo(s.start().plus(Duration.ofHours(4))));
        Map<Instant, List<String>> holders = booked(OfficeHours.DEFAULT, "A=2026-05-12T11:00");
        List<GoLiveSlot> free = rules.offer(berlin("2026-05-12T00:00"), 1, 100, s -> OfficeHours.DEFAULT.hasRoom(s, holders, 1, "M"));
        assertThat(free).extracting(s -> s.start().atZone(TimeFormats.BERLIN).getHour()).containsExactly(15, 16);
    }

    @Test
    void aGridAndASlotLengthOfTheirOwn() {
        OfficeHours half = hours("SLOT_GRID_MINUTES", "30", "SLOT_LENGTH_MINUTES", "90");
        assertThat(half.starts(LocalDate.parse("2026-12-01"))).hasSize(15);   // 9:00, 9:30, ..., 16:00
        assertThat(half.cells(berlin("2026-12-01T09:30"))).hasSize(3);
        assertThat(half.hasRoom(berlin("2026-12-01T10:30"), booked(half, "A=2026-12-01T09:30"), 1, "M")).isFalse();
        assertThat(half.hasRoom(berlin("2026-12-01T11:00"), booked(half, "A=2026-12-01T09:30"), 1, "M")).isTrue();
        OfficeHours twoHourly = hours("SLOT_GRID_MINUTES", "120", "OFFICE_OPENS", "09:30");
        assertThat(twoHourly.starts(LocalDate.parse("2026-12-01"))).extracting(s -> s.atZone(TimeFormats.BERLIN).toLocalTime().toString())
                .containsExactly("09:30", "11:30", "13:30", "15:30");
        assertThat(twoHourly.cell()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void phaseSixIsPlannedWithinOfficeHours() {
        assertThat(OfficeHours.DEFAULT.plannedGoLiveEnd(berlin("2026-12-01T09:00"))).isEqualTo(berlin("2026-12-01T13:00"));
        assertThat(OfficeHours.DEFAULT.plannedGoLiveEnd(berlin("2026-12-01T15:00"))).isEqualTo(berlin("2026-12-01T18:00"));
        assertThat(OfficeHours.DEFAULT.plannedGoLiveEnd(berlin("2026-12-01T16:00"))).isEqualTo(berlin("2026-12-01T18:00"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "OFFICE_OPENS         | 9        | OfficeOpens",
            "OFFICE_CLOSES        | 08:00    | OFFICE_OPENS",
            "RECOMMENDED_UNTIL    | 19:00    | RecommendedFrom",
            "LATEST_GO_LIVE_START | 18:00    | LatestGoLiveStart",
            "LATEST_GO_LIVE_START | 08:30    | LatestGoLiveStart",
            "GO_LIVE_DAYS         | MONDAY   | GoLiveDays",
            "GO_LIVE_DAYS         | THU-MON  | GoLiveDays",
            "SLOT_GRID_MINUTES    | 45       | SlotGridMinutes",
            "SLOT_GRID_MINUTES    | hourly   | SlotGridMinutes",
            "SLOT_LENGTH_MINUTES  | 721      | SlotLengthMinutes",
            "SLOT_LENGTH_MINUTES  | 20       | SlotLengthMinutes",
    })
    void aBadSettingStopsTheStartAndNamesTheParameter(String variable, String value, String named) {
        assertThatThrownBy(() -> hours(variable, value)).isInstanceOf(InvalidConfiguration.class).hasMessageContaining(named);
    }

    @Test
    void fiveMinuteCellsStillFitOneTransaction() {
        assertThatThrownBy(() -> hours("SLOT_GRID_MINUTES", "5", "SLOT_LENGTH_MINUTES", "720"))
                .isInstanceOf(InvalidConfiguration.class).hasMessageContaining("more than 100 cells");
        assertThat(hours("SLOT_GRID_MINUTES", "5", "SLOT_LENGTH_MINUTES", "480").cells(berlin("2026-12-01T09:00"))).hasSize(96);
        // A length off the grid makes the cells smaller: 90 minutes on an hourly grid are three half-hours.
        OfficeHours ninety = hours("SLOT_LENGTH_MINUTES", "90");
        assertThat(ninety.cells(berlin("2026-12-01T09:00"))).hasSize(3);
        assertThat(ninety.hasRoom(berlin("2026-12-01T10:00"), booked(ninety, "A=2026-12-01T09:00"), 1, "M")).isFalse();
        assertThat(ninety.hasRoom(berlin("2026-12-01T11:00"), booked(ninety, "A=2026-12-01T09:00"), 1, "M")).isTrue();
    }

    @Test
    void textsNameTheDeploymentsHours() {
        assertThat(OfficeHours.DEFAULT.values(de.shopmigration.core.Language.DE)).containsEntry("goLiveDays", "Montag bis Donnerstag")
                .containsEntry("opens", "9:00").containsEntry("latestStart", "16:00").containsEntry("closes", "18:00")
                .containsEntry("recommendedUntil", "12:00").containsEntry("slotLength", "4 Stunden");
        assertThat(hours("GO_LIVE_DAYS", "TUE,THU", "SLOT_LENGTH_MINUTES", "90").values(de.shopmigration.core.Language.EN))
                .containsEntry("goLiveDays", "Tuesday or Thursday").containsEntry("slotLength", "1 h 30 min");
    }
}
