package de.shopmigration.golive;

import de.shopmigration.core.MigrationRecord.GoLiveSlot;
import de.shopmigration.core.Times;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The seed's time rules for a go-live start, in Berlin time: Monday to Thursday, inside office
 * hours 9:00 to 18:00; starts before 12:00 are recommended so the day can be watched. Local
 * wall-clock times are turned into instants per day, so daylight-saving days come out right.
 */
public final class GoLiveSlots {

    static final LocalTime OFFICE_OPENS = LocalTime.of(9, 0);
    static final LocalTime OFFICE_CLOSES = LocalTime.of(18, 0);
    static final LocalTime RECOMMENDED_BEFORE = LocalTime.of(12, 0);
    /** The plan gives the go-live half a day. */
    static final Duration GO_LIVE_LENGTH = Duration.ofHours(4);

    private final Predicate<LocalDate> holiday;

    public GoLiveSlots(Predicate<LocalDate> holiday) {
        this.holiday = holiday;
    }

    /** Whether a go-live may start at this moment. */
    public boolean allowed(Instant start) {
        ZonedDateTime local = start.atZone(Times.BERLIN);
        DayOfWeek day = local.getDayOfWeek();
        LocalTime time = local.toLocalTime();
        return day.getValue() <= DayOfWeek.THURSDAY.getValue()
                && !holiday.test(local.toLocalDate())
                && !time.isBefore(OFFICE_OPENS) && time.isBefore(OFFICE_CLOSES);
    }

    public static boolean recommended(Instant start) {
        return start.atZone(Times.BERLIN).toLocalTime().isBefore(RECOMMENDED_BEFORE);
    }

    /**
     * Hourly starts from 9:00 to 17:00 on allowed days, none before {@code notBefore}, at most
     * {@code max} of them.
     */
    public List<GoLiveSlot> offer(Instant notBefore, int days, int max, Predicate<Instant> available) {
        List<GoLiveSlot> slots = new ArrayList<>();
        LocalDate day = notBefore.atZone(Times.BERLIN).toLocalDate();
        for (int d = 0; d < days && slots.size() < max; d++, day = day.plusDays(1)) {
            for (LocalTime t = OFFICE_OPENS; t.isBefore(OFFICE_CLOSES) && slots.size() < max; t = t.plusHours(1)) {
                Instant start = ZonedDateTime.of(day, t, Times.BERLIN).toInstant();
                if (!start.isBefore(notBefore) && allowed(start) && available.test(start)) {
                    slots.add(new GoLiveSlot(start, start.plus(GO_LIVE_LENGTH), recommended(start)));
                }
            }
        }
        return slots;
    }
}
