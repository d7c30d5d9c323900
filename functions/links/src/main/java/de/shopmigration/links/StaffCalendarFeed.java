package de.shopmigration.links;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VEvent;
import biweekly.property.Method;
import biweekly.property.Status;
import de.shopmigration.core.BerlinTimezone;
import de.shopmigration.core.store.GoLiveBookings;
import de.shopmigration.core.links.Links;
import de.shopmigration.core.mail.Texts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The staff calendar feed (RFC 5545): every booked go-live across migrations, in Europe/Berlin
 * time with its VTIMEZONE, one event per migration. The event's UID stays the same for the
 * migration, so a rebooking moves it (SEQUENCE grows with every change); a cancelled or aborted
 * go-live stays in the feed as STATUS:CANCELLED, marked in its title, until the table's time to
 * live removes it ({@link GoLiveBookings}). Staff subscribe to it in Outlook or Google Calendar.
 */
final class StaffCalendarFeed {

    /** How often a subscribing calendar should fetch again (clients may fetch less often). */
    static final Duration REFRESH = Duration.ofMinutes(15);

    private StaffCalendarFeed() {
    }

    /**
     * @param links under the base URL staff reached the feed with, for the customers' status pages
     * @param uidDomain the right-hand side of every UID (the sender's domain)
     */
    static String write(List<GoLiveBookings.Entry> entries, Texts t, String provider, Links links, String uidDomain, Instant now) {
        ICalendar calendar = new ICalendar();
        calendar.setProductId("-//" + provider + "//Migration workflow//" + t.language().code().toUpperCase(java.util.Locale.ROOT));
        calendar.setMethod(Method.publish());
        calendar.setName(t.get("page.title.STAFF_CALENDAR", Map.of("provider", provider)));
        calendar.setExperimentalProperty("X-WR-CALNAME", t.get("page.title.STAFF_CALENDAR", Map.of("provider", provider)));
        calendar.setExperimentalProperty("X-WR-TIMEZONE", BerlinTimezone.ZONE);
        calendar.setRefreshInterval(new biweekly.util.Duration.Builder().minutes((int) REFRESH.toMinutes()).build());
        calendar.setExperimentalProperty("X-PUBLISHED-TTL", "PT" + REFRESH.toMinutes() + "M");
        for (GoLiveBookings.Entry e : entries) {
            calendar.addEvent(event(e, t, links, uidDomain, now));
        }
        BerlinTimezone.assign(calendar);
        return Biweekly.write(calendar).go();
    }

    static String uid(String migrationId, String uidDomain) {
        return "go-live-feed-" + migrationId + "@" + uidDomain;
    }

    private static VEvent event(GoLiveBookings.Entry e, Texts t, Links links, String uidDomain, Instant now) {
        Map<String, String> values = new HashMap<>();
        values.put("migrationId", e.migrationId());
        values.put("shop", e.shopName());
        values.put("customerName", e.customerName());
        values.put("customerEmail", e.customerEmail());
        values.put("customerCompany", e.customerCompany() == null ? "–" : e.customerCompany());
        values.put("staffName", e.staffName() == null ? "–" : e.staffName());
        VEvent event = new VEvent();
        event.setUid(uid(e.migrationId(), uidDomain));
        event.setSequence(e.sequence());
        Instant changed = e.updatedAt() == null ? now : e.updatedAt();
        event.setDateTimeStamp(Date.from(changed));
        event.setLastModified(Date.from(changed));
        event.setDateStart(Date.from(e.start()));
        event.setDateEnd(Date.from(e.end()));
        event.setSummary(t.get(e.cancelled() ? "calendar.summary.cancelled" : "calendar.summary", values));
        event.setStatus(e.cancelled() ? Status.cancelled() : Status.confirmed());
        List<String> lines = new ArrayList<>();
        lines.add(t.get("calendar.migration", values));
        lines.add(t.get("calendar.customer", values));
        lines.add(t.get("calendar.staff", values));
        if (e.statusLinkId() != null) {
            String status = links.url(e.migrationId(), e.statusLinkId());
            lines.add(t.get("calendar.status", Map.of("url", status)));
            event.setUrl(status);
        }
        event.setDescription(String.join("\n", lines));
        return event;
    }
}
