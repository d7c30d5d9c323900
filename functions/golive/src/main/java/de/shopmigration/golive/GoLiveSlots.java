package de.shopmigration.golive;

import de.shopmigration.core.MigrationRecord.GoLiveSlot;
import de.shopmigration.core.OfficeHours;
import de.shopmigration.core.TimeFormats;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The seed's time rules for a go-live start, in Berlin time, as the deployment's
 * {@link OfficeHours} set them (by default Monday to Thursday, starts from 9:00 to 16:00 so the
 * longest planned downtime of 2 hours ends by 18:00, starts before 12:00 recommended), without
 * the public holidays of the region. Local wall-clock times are turned into instants per day,
 * so daylight-saving days come out right.
 */
public final class GoLiveSlots {

    private final OfficeHours hours;
    private final Predicate<LocalDate> holiday;

    public GoLiveSlots(OfficeHours hours, Predicate<LocalDate> holiday) {
        this.hours = hours;
        this.holiday = holiday;
    }

    /** With the plan's office hours. */
    public GoLiveSlots(Predicate<LocalDate> holiday) {
        this(OfficeHours.DEFAULT, holiday);
    }

    public OfficeHours hours() {
        return hours;
    }

    /** Whether a go-live may start at this moment. */
    public boolean allowed(Instant start) {
        return hours.allows(start) && !holiday.test(start.atZone(TimeFormats.BERLIN).toLocalDate());
    }

    public boolean recommended(Instant start) {
        return hours.recommended(start);
    }

    /**
     * The starts on the grid of allowed days, none before {@code notBefore}, at most {@code max}
     * of them, each with its end (start + slot length).
     */
    public List<GoLiveSlot> offer(Instant notBefore, int days, int max, Predicate<Instant> available) {
        List<GoLiveSlot> slots = new ArrayList<>();
        LocalDate day = notBefore.atZone(TimeFormats.BERLIN).toLocalDate();
        for (int d = 0; d < days && slots.size() < max; d++, day = day.plusDays(1)) {
            if (holiday.test(day)) {
                continue;
            }
            for (Instant start : hours.starts(day)) {
                if (slots.size() < max && !start.isBefore(notBefore) && allowed(start) && available.test(start)) {
                    slots.add(new GoLiveSlot(start, hours.end(start), recommended(start)));
                }
            }
        }
        return slots;
    }
}
