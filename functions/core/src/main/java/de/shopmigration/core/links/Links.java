package de.shopmigration.core.links;

import de.shopmigration.core.Link;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.StaffCalendar;
import de.shopmigration.core.store.MigrationStore;

import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Mints and checks the links people act through. A URL carries the migration id, the link id
 * and its signature ({@code /m/{migration}/{id}.{signature}}); purpose, expiry and use are
 * stored, so a link can be expired or revoked without changing what was sent.
 */
public final class Links {

    private final MigrationStore store;
    private final LinkSigner signer;
    private final String baseUrl;

    public Links(MigrationStore store, LinkSigner signer, String baseUrl) {
        this.store = store;
        this.signer = signer;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The same links under another base URL (the link pages know theirs from the request). */
    public Links withBaseUrl(String base) {
        return new Links(store, signer, base);
    }

    public LinkSigner signer() {
        return signer;
    }

    public String newId() {
        return signer.newId();
    }

    /** Stores a new link and returns its URL. */
    public String mint(String migrationId, Purpose purpose, String waitKey, Instant now, Instant expiresAt) {
        String id = signer.newId();
        ensure(new Link(migrationId, id, purpose, waitKey, now, expiresAt, null, null));
        return url(migrationId, id);
    }

    /** Stores a link whose id was chosen already, unless it is stored (retries land here). */
    public void ensure(Link link) {
        try {
            store.links().put(link);
        } catch (ConditionalCheckFailedException e) {
            // stored by an earlier attempt of the same step
        }
    }

    /** Whether a stored link would still act now: not used, revoked or expired (an email offers no other). */
    public boolean acts(String migrationId, String linkId, Instant now) {
        return store.links().find(migrationId, linkId).filter(l -> !l.used() && !l.revoked() && !l.expired(now)).isPresent();
    }

    /** Where the staff calendar feed is served: {@code /calendar/<token>.ics}. */
    public static final String CALENDAR_PATH = "/calendar/";

    /** The staff calendar feed's address for one of its links ({@link StaffCalendar}). */
    public String calendarUrl(String linkId) {
        return baseUrl + CALENDAR_PATH + token(StaffCalendar.SCOPE, linkId) + ".ics";
    }

    public String url(String migrationId, String linkId) {
        return baseUrl + "/m/" + migrationId + "/" + token(migrationId, linkId);
    }

    /** The last path segment of a link: relative to another link of the same migration, it is that link's address. */
    public String token(String migrationId, String linkId) {
        return signer.token(migrationId, linkId);
    }

    /** What a presented token amounts to, without changing anything (GET is always safe). */
    public sealed interface Check permits Check.Valid, Check.Forged, Check.Unknown, Check.Expired, Check.Used, Check.Revoked {
        record Valid(Link link) implements Check {
        }

        /** Bad signature, malformed, or signed for another migration. */
        record Forged() implements Check {
        }

        /** Correctly signed but not stored (deleted, or from another deployment). */
        record Unknown() implements Check {
        }

        record Expired(Link link) implements Check {
        }

        record Used(Link link) implements Check {
        }

        record Revoked(Link link) implements Check {
        }
    }

    public Check check(String migrationId, String token, Instant now) {
        Optional<String> id = signer.verify(migrationId, token);
        if (id.isEmpty()) {
            return new Check.Forged();
        }
        Optional<Link> link = store.links().find(migrationId, id.get());
        if (link.isEmpty()) {
            return new Check.Unknown();
        }
        Link l = link.get();
        if (l.used()) {
            return new Check.Used(l);
        }
        if (l.revoked()) {
            return new Check.Revoked(l);
        }
        if (l.expired(now)) {
            return new Check.Expired(l);
        }
        return new Check.Valid(l);
    }
}
