package de.shopmigration.core;

import biweekly.ICalendar;
import biweekly.component.DaylightSavingsTime;
import biweekly.component.StandardTime;
import biweekly.component.VTimezone;
import biweekly.io.TimezoneAssignment;
import biweekly.util.DateTimeComponents;
import biweekly.util.DayOfWeek;
import biweekly.util.Frequency;
import biweekly.util.Recurrence;
import biweekly.util.UtcOffset;
import java.util.TimeZone;

/**
 * The Europe/Berlin VTIMEZONE of every calendar the workflow writes (the customer's go-live
 * invite, the staff calendar feed): daylight saving from the last Sunday in March, standard time
 * from the last Sunday in October, written from the rules, not downloaded, so nothing at runtime
 * leaves the account. Needs biweekly, which only the functions that write calendars carry.
 */
public final class BerlinTimezone {

    public static final String ZONE = "Europe/Berlin";

    private BerlinTimezone() {
    }

    public static VTimezone component() {
        VTimezone zone = new VTimezone(ZONE);
        DaylightSavingsTime summer = new DaylightSavingsTime();
        summer.setDateStart(new DateTimeComponents(1970, 3, 29, 2, 0, 0, false));
        summer.setTimezoneOffsetFrom(new UtcOffset(true, 1, 0));
        summer.setTimezoneOffsetTo(new UtcOffset(true, 2, 0));
        summer.addTimezoneName("CEST");
        summer.setRecurrenceRule(new Recurrence.Builder(Frequency.YEARLY).byMonth(3).byDay(-1, DayOfWeek.SUNDAY).build());
        zone.addDaylightSavingsTime(summer);
        StandardTime winter = new StandardTime();
        winter.setDateStart(new DateTimeComponents(1970, 10, 25, 3, 0, 0, false));
        winter.setTimezoneOffsetFrom(new UtcOffset(true, 2, 0));
        winter.setTimezoneOffsetTo(new UtcOffset(true, 1, 0));
        winter.addTimezoneName("CET");
        winter.setRecurrenceRule(new Recurrence.Builder(Frequency.YEARLY).byMonth(10).byDay(-1, DayOfWeek.SUNDAY).build());
        zone.addStandardTime(winter);
        return zone;
    }

    /** Every date-time of the calendar is written in Berlin time with this VTIMEZONE. */
    public static void assign(ICalendar calendar) {
        calendar.getTimezoneInfo().setDefaultTimezone(new TimezoneAssignment(TimeZone.getTimeZone(ZONE), component()));
    }
}
