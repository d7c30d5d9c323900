package de.shopmigration.links;

import de.shopmigration.core.Audience;
import de.shopmigration.core.Language;
import de.shopmigration.core.Link;
import de.shopmigration.core.links.Links;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.mail.Texts;
import java.time.Instant;

/**
 * Every booked go-live as an iCalendar feed, for a valid staff calendar link; read-only, so
 * GET (and HEAD) only. A forged, unknown, revoked or expired link gets the usual error page.
 */
final class StaffCalendarRoute {

    /** Stands for the staff calendar's links on its error pages (staff wording, no migration). */
    private static final Link CALENDAR_LINK = new Link(de.shopmigration.core.StaffCalendar.SCOPE, "-", Purpose.STAFF_CALENDAR, null,
            Instant.EPOCH, Instant.EPOCH, null, null);

    private final Collaborators services;
    private final PageViews views;

    StaffCalendarRoute(Collaborators services, PageViews views) {
        this.services = services;
        this.views = views;
    }

    HttpResult handle(String token, LinkPages.Request request, Instant now) {
        Language staff = services.mailer().settings().staffLanguage();
        String method = request.method() == null ? "" : request.method().toUpperCase(java.util.Locale.ROOT);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return views.message(405, staff, "error.method", null, "error", null).withHeader("Allow", "GET");
        }
        Links links = services.links().withBaseUrl(request.baseUrl());
        return switch (new de.shopmigration.core.StaffCalendar(services.store(), links).check(token, now)) {
            case Links.Check.Valid v -> {
                String sender = services.mailer().settings().sender();
                yield HttpResult.calendar(200, StaffCalendarFeed.write(services.store().bookings().calendar(),
                        Texts.of(staff, Audience.STAFF), views.provider(), links, sender.substring(sender.indexOf('@') + 1), now));
            }
            case Links.Check.Forged f -> views.message(403, staff, "error.forged", null, "error", CALENDAR_LINK);
            case Links.Check.Unknown u -> views.message(404, staff, "error.unknown", null, "error", CALENDAR_LINK);
            case Links.Check.Revoked r -> views.message(410, staff, "error.calendarReplaced", null, "error", CALENDAR_LINK);
            case Links.Check.Expired e -> views.message(410, staff, "error.calendarReplaced", null, "error", CALENDAR_LINK);
            case Links.Check.Used u -> views.message(410, staff, "error.calendarReplaced", null, "error", CALENDAR_LINK);
        };
    }
}
