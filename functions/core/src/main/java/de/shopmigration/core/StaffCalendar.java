package de.shopmigration.core;

import de.shopmigration.core.links.Links;
import de.shopmigration.core.store.MigrationStore;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The staff's calendar feed of every booked go-live: a secret, read-only link like the others
 * (random id, HMAC signature, stored purpose, expiry and revocation), but standing for the whole
 * deployment rather than one migration. Its links live under the scope {@link #SCOPE} (partition
 * {@code MIGRATION##staff}), which no migration id can reach (execution names cannot hold
 * {@code #}); an item there names the link in use. Every staff email about a booked go-live
 * carries the feed's address; {@link #rotate} revokes every feed link and makes a new one (the
 * go-live function's {@code ROTATE_STAFF_CALENDAR} operation, docs/operations.md).
 */
public final class StaffCalendar {

    /** The feed links' scope in place of a migration id. */
    public static final String SCOPE = "#staff";
    /** {@link MigrationStore#replaceStaffCalendarLinkId}: whatever link is in use. */
    public static final String ANY = "*";
    /** A standing link: subscribed calendars cannot be told a new address, so it lasts until rotated. */
    public static final Duration VALIDITY = Duration.ofDays(5 * 365);

    private final MigrationStore store;
    private final Links links;

    public StaffCalendar(MigrationStore store, Links links) {
        this.store = store;
        this.links = links;
    }

    /** The feed's address, made on first use. */
    public String url(Instant now) {
        return links.calendarUrl(current(now));
    }

    /** The id of the link in use; a new one when none acts any more (first use, expired). */
    String current(Instant now) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<String> id = store.links().staffCalendarLinkId();
            if (id.isPresent() && store.links().find(SCOPE, id.get()).filter(l -> !l.revoked() && !l.expired(now)).isPresent()) {
                return id.get();
            }
            String fresh = links.newId();
            if (store.links().replaceStaffCalendarLinkId(id.orElse(null), fresh, now)) {
                links.ensure(new Link(SCOPE, fresh, Purpose.STAFF_CALENDAR, null, now, now.plus(VALIDITY), null, null));
                return fresh;
            }
        }
        throw new TransientAwsFailure("The staff calendar link changed three times while it was read", null);
    }

    /** Revokes every feed link (subscriptions stop updating) and returns the new feed's address. */
    public String rotate(Instant now) {
        String fresh = links.newId();
        links.ensure(new Link(SCOPE, fresh, Purpose.STAFF_CALENDAR, null, now, now.plus(VALIDITY), null, null));
        store.links().replaceStaffCalendarLinkId(ANY, fresh, now);
        store.links().revokeOpenBut(SCOPE, fresh, now);
        return links.calendarUrl(fresh);
    }

    /** The feed link a presented token stands for, if it may read the feed now. */
    public Links.Check check(String token, Instant now) {
        Links.Check check = links.check(SCOPE, token, now);
        if (check instanceof Links.Check.Valid v && v.link().purpose() != Purpose.STAFF_CALENDAR) {
            return new Links.Check.Forged();
        }
        return check;
    }
}
