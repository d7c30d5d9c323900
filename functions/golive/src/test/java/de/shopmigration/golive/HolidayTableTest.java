package de.shopmigration.golive;

import static org.assertj.core.api.Assertions.assertThat;

import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class HolidayTableTest {

    private static final List<String[]> REGIONS = List.of(new String[0], new String[] {"nw"}, new String[] {"by"},
            new String[] {"by", "ag"}, new String[] {"sn"}, new String[] {"be"}, new String[] {"th"}, new String[] {"sl"});

    @Test
    void theBuiltTableAgreesWithJollydayOnEveryDayOfTheComingYears() {
        HolidayTable table = HolidayTable.of("de").orElseThrow(() -> new AssertionError("the build wrote no holidays/de.txt"));
        HolidayManager jollyday = HolidayManager.getInstance(ManagerParameters.create("de"));
        int holidays = 0;
        for (LocalDate day = LocalDate.of(2026, 1, 1); day.getYear() <= 2028; day = day.plusDays(1)) {
            for (String[] region : REGIONS) {
                boolean expected = jollyday.isHoliday(day, region);
                assertThat(table.isHoliday(day, HolidayTable.region(region))).as(day + " " + String.join("-", region)).contains(expected);
                holidays += expected ? 1 : 0;
            }
        }
        assertThat(holidays).as("holidays seen in three years, eight regions").isGreaterThan(8 * 3 * 9);
    }

    @Test
    void daysBeyondTheTableAndUnknownRegionsAreLeftToJollyday() {
        HolidayTable table = HolidayTable.of("de").orElseThrow();
        assertThat(table.isHoliday(LocalDate.of(2046, 12, 25), "nw")).isEmpty();
        assertThat(table.isHoliday(LocalDate.of(2026, 12, 25), "xx")).isEmpty();
        assertThat(new Holidays("de-nw").test(LocalDate.of(2046, 12, 25))).as("jollyday beyond the table").isTrue();
        assertThat(new Holidays("at").test(LocalDate.of(2026, 12, 8))).as("Austria from jollyday").isTrue();
        assertThat(new Holidays("de-nw").test(LocalDate.of(2026, 6, 4))).as("Corpus Christi in NRW, from the table").isTrue();
        assertThat(new Holidays("de-be").test(LocalDate.of(2026, 6, 4))).isFalse();
    }
}
