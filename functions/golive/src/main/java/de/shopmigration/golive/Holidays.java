package de.shopmigration.golive;

import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Public holidays of the provider's region from jollyday, e.g. "de-nw" for Germany's
 * nationwide holidays plus North Rhine-Westphalia's. Germany's come from the table the build
 * wrote with jollyday ({@link HolidayTable}); other countries, and years beyond the table, from
 * jollyday itself, loaded on first use only.
 */
public final class Holidays implements Predicate<LocalDate> {

    private final String country;
    private final String[] subdivisions;
    private final Optional<HolidayTable> table;
    private final String tableRegion;
    private volatile HolidayManager manager;

    /** @param region ISO country code, optionally followed by subdivisions: "de", "de-nw", "at-9" */
    public Holidays(String region) {
        String[] parts = region.toLowerCase(Locale.ROOT).split("-");
        this.country = parts[0];
        this.subdivisions = Arrays.copyOfRange(parts, 1, parts.length);
        this.table = HolidayTable.of(country);
        this.tableRegion = HolidayTable.region(subdivisions);
    }

    @Override
    public boolean test(LocalDate day) {
        return table.flatMap(t -> t.isHoliday(day, tableRegion)).orElseGet(() -> manager().isHoliday(day, subdivisions));
    }

    private HolidayManager manager() {
        HolidayManager m = manager;
        if (m == null) {
            synchronized (this) {
                if (manager == null) {
                    manager = HolidayManager.getInstance(ManagerParameters.create(country));
                }
                m = manager;
            }
        }
        return m;
    }
}
