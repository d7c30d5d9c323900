package de.shopmigration.links;

import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.Link;
import de.shopmigration.core.links.Links;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.Wait;
import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The go-live date: which slots a form offers, and booking one (the customer's first choice or
 * a staff rebooking), with the places in the office hours taken before the wait is decided.
 */
final class SlotBooking {

    private final Collaborators services;
    private final Decisions decisions;
    private final PageViews views;

    SlotBooking(Collaborators services, Decisions decisions, PageViews views) {
        this.services = services;
        this.decisions = decisions;
        this.views = views;
    }

    private int capacity() {
        return Integer.parseInt(services.env().optional("SLOT_CAPACITY").orElse("1"));
    }

    /**
     * The offered slots that are still ahead, start within the office hours, and overlap no
     * go-lives that fill the capacity (and, for staff, not the current one).
     */
    List<Field> freeSlots(Purpose purpose, MigrationRecord record, Texts t) {
        Instant now = services.clock().instant();
        Instant current = record.booking() == null ? null : record.booking().start();
        de.shopmigration.core.OfficeHours hours = services.officeHours();
        List<Field> fields = Forms.fields(purpose, record, t, views.provider());
        Map<Instant, List<String>> holders = services.store().bookings().holders(fields.stream()
                .flatMap(f -> f.options().stream()).flatMap(o -> hours.cells(Instant.parse(o.value())).stream()).distinct().toList());
        int capacity = capacity();
        List<Field> out = new ArrayList<>();
        for (Field f : fields) {
            out.add(f.options(f.options().stream().filter(o -> {
                Instant start = Instant.parse(o.value());
                return start.isAfter(now) && !start.equals(current) && !beforeDnsGate(record, start) && hours.allows(start)
                        && hours.hasRoom(start, holders, capacity, record.migrationId());
            }).toList()));
        }
        return out;
    }

    /** Visitors may still hold the old address until the largest original TTL has run out after lowering. */
    private static boolean beforeDnsGate(MigrationRecord record, Instant start) {
        Instant gate = record.dns() == null ? null : record.dns().earliestGoLive();
        return gate != null && start.isBefore(gate);
    }

    /**
     * Takes a place in every hour the chosen slot covers (one transaction), then decides the
     * wait; if the wait was decided otherwise in between, the places are given back. A
     * rebooking gives back the hours of the old slot that the new one does not cover.
     */
    HttpResult book(Link link, MigrationRecord record, Forms.Checked checked, LinkPages.Request request, Links links,
                    Instant now, Texts t, String actor) {
        Instant start = Instant.parse(checked.values().get("slot"));
        if (beforeDnsGate(record, start)) {
            // The offer is made after the gate, but a verify re-run can move the gate later; old caches must not win.
            services.store().audit().add(record.migrationId(), new AuditEntry(now, actor, "slot refused: before DNS gate",
                    start + " < " + record.dns().earliestGoLive(), request.sourceIp()));
            return HttpResult.html(409, Pages.form(views.formView(link.purpose(), record, t, links, freeSlots(link.purpose(), record, t),
                    null, t.get("page.slot.gate", Map.of("earliest", TimeFormats.human(record.dns().earliestGoLive(), t.language()))))));
        }
        de.shopmigration.core.OfficeHours hours = services.officeHours();
        if (!hours.allows(start)) {
            // An offer made before the office hours changed (or a page kept open since) may still name it.
            List<Field> fresh = freeSlots(link.purpose(), record, t);
            return HttpResult.html(409, Pages.form(views.formView(link.purpose(), record, t, links, fresh, null,
                    t.get(fresh.get(0).options().isEmpty() ? "page.slot.none" : "page.slot.outside"))));
        }
        List<Instant> cells = hours.cells(start);
        de.shopmigration.core.store.GoLiveBookings bookings = services.store().bookings();
        if (!start.isAfter(now) || !bookings.take(record.migrationId(), cells, capacity())) {
            List<Field> fresh = freeSlots(link.purpose(), record, t);
            return HttpResult.html(409, Pages.form(views.formView(link.purpose(), record, t, links, fresh, null,
                    t.get(fresh.get(0).options().isEmpty() ? "page.slot.none" : "page.slot.taken"))));
        }
        List<Instant> current = record.booking() == null ? List.of() : record.booking().held();
        HttpResult result = decisions.decide(link, record, checked, request, now, t, actor,
                Optional.of(() -> giveBackUnlessChosen(record, link, start, cells, current)));
        if (result.status() == 200 && link.purpose() == Purpose.REBOOK && record.booking() != null) {
            bookings.release(record.migrationId(), current.stream().filter(c -> !cells.contains(c)).toList());
        }
        return result;
    }

    /**
     * The wait was not decided by this request. If it was decided with this very slot (a second
     * click of the same choice lost to the first), the places are the booking's and stay; else
     * the places this request took are given back, but not those of the current booking.
     */
    private void giveBackUnlessChosen(MigrationRecord record, Link link, Instant start, List<Instant> cells, List<Instant> current) {
        boolean chosen = services.store().waits().find(record.migrationId(), link.waitKey()).filter(Wait::resolved)
                .map(w -> start.toString().equals(Json.read(w.output()).path("slotStart").asText())).orElse(false);
        if (!chosen) {
            services.store().bookings().release(record.migrationId(), cells.stream().filter(c -> !current.contains(c)).toList());
        }
    }

    /** Staff cancel the go-live date: the hours are freed, the staff calendar shows it cancelled, and the customer will be asked again. */
    HttpResult cancelBooking(Link link, MigrationRecord record, Forms.Checked checked, LinkPages.Request request, Instant now, Texts t) {
        HttpResult result = decisions.decide(link, record, checked, request, now, t, "staff", Optional.empty());
        if (result.status() == 200 && record.booking() != null) {
            services.store().bookings().release(record.migrationId(), record.booking().held());
            services.store().bookings().cancelled(record.migrationId(), now);
            services.store().records().removeBooking(record.migrationId());
        }
        return result;
    }
}
