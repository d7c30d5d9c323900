package de.shopmigration.documents;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VAlarm;
import biweekly.component.VEvent;
import biweekly.parameter.ParticipationLevel;
import biweekly.parameter.Related;
import biweekly.property.Attendee;
import biweekly.property.Method;
import biweekly.property.Organizer;
import biweekly.property.Trigger;
import de.shopmigration.core.BerlinTimezone;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/**
 * The go-live as an RFC 5545 calendar invite in Europe/Berlin time, with the zone's own
 * VTIMEZONE (daylight saving from the last Sunday in March, standard time from the last Sunday
 * in October), so every calendar shows the slot at the Berlin wall-clock time it was booked at.
 */
public final class GoLiveInvite {

    private GoLiveInvite() {
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
        BerlinTimezone.assign(calendar);
        return Biweekly.write(calendar).go().getBytes(StandardCharsets.UTF_8);
    }
}
