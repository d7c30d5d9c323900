package de.shopmigration.golive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.Audience;
import de.shopmigration.core.DocumentKind;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationRecord.Booking;
import de.shopmigration.core.MigrationRecord.GoLiveSlot;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.mail.Attachment;
import de.shopmigration.core.mail.Notifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Phase 5: offers the go-live slots the rules allow (after the DNS TTL gate, with a lead
 * time, not fully booked), and confirms the slot the customer booked.
 */
public final class GoLivePlanner {

    static final int OFFER_DAYS = 21;
    static final int OFFER_MAX = 60;

    private final Collaborators services;
    private final GoLiveSlots slots;
    private final int capacity;
    private final Notifier notifier;

    public GoLivePlanner(Collaborators services, GoLiveSlots slots, int capacity) {
        this.services = services;
        this.slots = slots;
        this.capacity = capacity;
        this.notifier = new Notifier(services);
    }

    /** SnapStart priming: the holiday calendar and a slot offer computed; nothing read or stored for it. */
    public void prime() {
        services.prime(true);
        slots.offer(services.clock().instant(), OFFER_DAYS, OFFER_MAX, start -> true);
    }

    public ObjectNode offer(String migrationId) {
        MigrationRecord record = services.store().records().get(migrationId);
        Instant now = services.clock().instant();
        Instant notBefore = now.plusSeconds(record.request().timing().slotLeadSeconds());
        Instant gate = record.dns().earliestGoLive();
        if (gate != null && gate.isAfter(notBefore)) {
            notBefore = gate;
        }
        // Which office-hour slots overlap go-lives that fill the capacity: the cells of every
        // candidate in batched reads instead of one read per cell.
        List<Instant> cells = slots.offer(notBefore, OFFER_DAYS, Integer.MAX_VALUE, start -> true).stream()
                .flatMap(slot -> slots.hours().cells(slot.start()).stream()).distinct().toList();
        Map<Instant, List<String>> holders = services.store().bookings().holders(cells);
        List<GoLiveSlot> offer = slots.offer(notBefore, OFFER_DAYS, OFFER_MAX,
                start -> slots.hours().hasRoom(start, holders, capacity, migrationId));
        services.store().records().offerSlots(migrationId, offer);
        // After staff cancelled a booking the customer books again: a new round of the booking wait.
        long cancelled = record.decisions().stream().filter(d -> "CANCELLED".equals(d.decision())).count();
        return Json.object().put("slots", offer.size()).put("notBefore", notBefore.toString()).put("bookingRound", cancelled + 1);
    }

    /**
     * Stores the booking and tells customer and staff. The state machine waits until
     * {@code startGoLiveAt}: the slot itself, or sooner when the execution caps the wait
     * (sandbox and tests compress time this way).
     */
    /**
     * @param cells the places the booking took ({@link de.shopmigration.core.store.GoLiveBookings}); null
     *     when the booking page took only the start (before go-lives were counted by overlap)
     */
    public ObjectNode confirm(String migrationId, Instant start, Instant end, List<Instant> cells) {
        MigrationRecord record = services.store().records().get(migrationId);
        Instant now = services.clock().instant();
        long cap = record.request().timing().slotWaitCapSeconds();
        Booking booking = record.booking();
        if (booking == null || !start.equals(booking.start())) {
            Instant startGoLiveAt = cap > 0 && start.isAfter(now.plusSeconds(cap)) ? now.plusSeconds(cap) : start;
            booking = new Booking(start, end, now, startGoLiveAt, remindAt(now, startGoLiveAt, cap > 0), cells);
            services.store().records().book(migrationId, booking);
        }
        // The staff calendar shows the booking (or moves it; a retry changes nothing).
        services.store().bookings().confirmed(record, start, end, now);
        // Each booking (a rebooking, or the same slot booked again after a cancellation) is confirmed anew.
        int round = Math.max(1, record.goLiveBookings());
        List<Attachment> invite = List.of(DocumentKind.GO_LIVE_INVITE.read(services.store(), migrationId));
        // The expected downtime, a range from the initial copy's figures, clearly an estimate.
        de.shopmigration.core.DowntimeEstimate estimate = de.shopmigration.core.DowntimeEstimate.of(record);
        de.shopmigration.core.mail.Texts texts = notifier.texts(record, Audience.CUSTOMER);
        boolean confirmed = notifier.send(record, Audience.CUSTOMER, "GO_LIVE_CONFIRMED", "GO_LIVE_CONFIRMED#" + round, "notice.GO_LIVE_CONFIRMED",
                Map.of("slot", TimeFormats.human(start, record.request().language()), "downtime", estimate.range(texts.language()),
                        "estimateBasis", texts.get(estimate.fromCopy() ? "estimate.basis.copy" : "estimate.basis.plan")),
                List.of(), List.of(), invite);
        if (confirmed) {
            // Once per booking, as its confirmation: the dashboard lists the go-lives by slot.
            services.metrics().goLiveBooked(migrationId, start);
        }
        services.store().audit().add(migrationId, new AuditEntry(now, "system", "go-live confirmed", start.toString(), null));
        // Each confirmation starts a new countdown wait; staff rebooking or cancelling ends it early.
        Instant firstWake = booking.remindAt() != null ? booking.remindAt() : booking.startGoLiveAt();
        return Json.object().put("slotStart", start.toString()).put("startGoLiveAt", booking.startGoLiveAt().toString())
                .put("remindCustomer", booking.remindAt() != null).put("secondsUntilReminder", secondsUntil(now, firstWake))
                .put("waitRound", round);
    }

    /**
     * The staff calendar feed's address (made on first use); with {@code rotate} a new address,
     * and every earlier one stops working. The answer goes to the operator who invoked the
     * function, never into a log.
     */
    public ObjectNode staffCalendar(boolean rotate) {
        Instant now = services.clock().instant();
        de.shopmigration.core.StaffCalendar calendar = new de.shopmigration.core.StaffCalendar(services.store(), services.links());
        return Json.object().put("url", rotate ? calendar.rotate(now) : calendar.url(now)).put("rotated", rotate);
    }

    /**
     * A booking made before go-lives were counted by overlap holds only the hour it starts in and
     * is not in the staff calendar. This takes the other hours of its slot (if they have room)
     * and adds it to the calendar; run once per running migration after that deployment
     * (docs/operations.md). A booking that already holds its hours is left as it is.
     *
     * @return adopted, or why not: no booking, already counted, or the go-lives its hours overlap
     */
    public ObjectNode adopt(String migrationId) {
        MigrationRecord record = services.store().records().get(migrationId);
        Booking booking = record.booking();
        ObjectNode result = Json.object().put("migrationId", migrationId);
        if (booking == null || !MigrationRecord.RUNNING.equals(record.status())) {
            return result.put("adopted", false).put("why", "no booked go-live to count");
        }
        Instant now = services.clock().instant();
        services.store().bookings().confirmed(record, booking.start(), booking.end(), now);
        if (booking.cells() != null) {
            return result.put("adopted", false).put("why", "already counted by overlap");
        }
        List<Instant> cells = slots.hours().cells(booking.start());
        if (!services.store().bookings().take(migrationId, cells, capacity)) {
            Map<Instant, List<String>> holders = services.store().bookings().holders(cells);
            holders.values().forEach(h -> h.stream().filter(other -> !other.equals(migrationId)).distinct()
                    .forEach(other -> result.withArray("overlaps").add(other)));
            return result.put("adopted", false).put("why", "its hours are full: rebook it or one of the overlapping go-lives");
        }
        services.store().records().book(migrationId, new Booking(booking.start(), booking.end(), booking.bookedAt(),
                booking.startGoLiveAt(), booking.remindAt(), cells));
        return result.put("adopted", true).put("cells", cells.size());
    }

    /** Seconds for a task timeout, rounded up so a wait never ends early; at least one, as Step Functions requires. */
    public static long secondsUntil(Instant now, Instant at) {
        long millis = java.time.Duration.between(now, at).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    /**
     * The day-before reminder: a day ahead of the go-live, unless the go-live is less than a
     * day (and an hour) away. With compressed time it falls halfway to the go-live.
     */
    static Instant remindAt(Instant now, Instant goLive, boolean compressed) {
        if (compressed) {
            return now.plus(java.time.Duration.between(now, goLive).dividedBy(2));
        }
        Instant dayBefore = goLive.minus(java.time.Duration.ofDays(1));
        return dayBefore.isAfter(now.plus(java.time.Duration.ofHours(1))) ? dayBefore : null;
    }
}
