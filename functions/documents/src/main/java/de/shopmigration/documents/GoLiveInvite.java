package de.shopmigration.documents;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.DaylightSavingsTime;
import biweekly.component.StandardTime;
import biweekly.component.VAlarm;
import biweekly.component.VEvent;
import biweekly.component.VTimezone;
import biweekly.io.TimezoneAssignment;
import biweekly.parameter.ParticipationLevel;
import biweekly.parameter.Related;
import biweekly.property.Attendee;
import biweekly.property.Method;
import biweekly.property.Organizer;
import biweekly.property.Trigger;
import biweekly.util.DateTimeComponents;
import biweekly.util.DayOfWeek;
import biweekly.util.Frequency;
import biweekly.util.Recurrence;
import biweekly.util.UtcOffset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;

/**
 * The go-live as an RFC 5545 calendar invite in Europe/Berlin time, with the zone's own
 * VTIMEZONE (daylight saving from the last Sunday in March, standard time from the last Sunday
 * in October), so every calendar shows the slot at the Berlin wall-clock time it was booked at.
 */
public final class GoLiveInvite {

    static final String ZONE = "Europe/Berlin";

    private GoLiveInvite() {
    }

    /** A VTIMEZONE written from the rules, not downloaded: nothing at runtime leaves the account. */
    static VTimezone berlin() {
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

    /**
     * @param uid stays the same for one migration's go-live, so a rebooking updates the event
     */
    public static byte[] ics(String uid, Instant start, Instant end, String summary, String description,
                             String organizerName, String organizerEmail, String customerName, String customerEmail,
                             Instant created, int sequence) {
        ICalendar calendar = new ICalendar();
        calendar.setProductId("-//" + organizerName + "//Migration workflow//DE");
        calendar.setMethod(Method.request());
        VEvent event = new VEvent();
        event.setUid(uid);
        event.setSequence(sequence);
        event.setDateTimeStamp(Date.from(created));
        event.setDateStart(Date.from(start));
        event.setDateEnd(Date.from(end));
        event.setSummary(summary);
        event.setDescription(description);
        event.setOrganizer(new Organizer(organizerName, organizerEmail));
        Attendee customer = new Attendee(customerName, customerEmail);
        customer.setParticipationLevel(ParticipationLevel.REQUIRED);
        event.addAttendee(customer);
        event.addAlarm(VAlarm.display(new Trigger(biweekly.util.Duration.builder().prior(true).hours(1).build(), Related.START), summary));
        calendar.addEvent(event);
        calendar.getTimezoneInfo().setDefaultTimezone(new TimezoneAssignment(TimeZone.getTimeZone(ZONE), berlin()));
        return Biweekly.write(calendar).go().getBytes(StandardCharsets.UTF_8);
    }
}
