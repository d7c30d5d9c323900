package de.shopmigration.local;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Acts as customer and staff of a migration the only way they can: by reading the emails the
 * emulator captured and following their links over HTTP, filling in each page's form. Tests and
 * benchmarks share it, so a benchmark migration takes exactly the path a tested one takes.
 */
public final class Walkthrough {

    /** A questionnaire as a Shopware customer fills it in. */
    public static final Map<String, String> ANSWERS = Map.ofEntries(
            Map.entry("currentProvider", "Alt-Hosting AG"), Map.entry("shopSystem", "SHOPWARE"),
            Map.entry("shopVersion", "6.5.8"), Map.entry("phpVersion", "8.2"),
            Map.entry("databaseEngine", "MARIADB"), Map.entry("databaseSizeGb", "3,5"),
            Map.entry("fileSizeGb", "12"), Map.entry("emailHosting", "EXTERNAL"),
            Map.entry("tlsCertificates", "LETS_ENCRYPT"), Map.entry("contactPhone", "+49 30 1234567"),
            Map.entry("interfaces", "JTL-Wawi über REST"));

    private final LocalCloud cloud;
    private final Duration wait;
    private final LinkClient browser = new LinkClient();
    private final Random random = new Random();
    /** Clicks that got "temporarily unavailable" (503: nothing stored) or no page at all, made again after a pause. */
    private final java.util.concurrent.atomic.AtomicInteger repeatedClicks = new java.util.concurrent.atomic.AtomicInteger();
    /** How long a person waits before clicking again after a 503 page. */
    static final Duration PAUSE_BEFORE_AGAIN = Duration.ofSeconds(3);

    public Walkthrough(LocalCloud cloud, Duration wait) {
        this.cloud = cloud;
        this.wait = wait;
    }

    public LinkClient browser() {
        return browser;
    }

    public Mailbox.Mail await(String migrationId, String kind) {
        try {
            return cloud.mailbox().await(migrationId, kind, wait);
        } catch (AssertionError e) {
            throw explained(e, migrationId);
        }
    }

    /** The next email of a kind after another one (a second round, a reminder). */
    public Mailbox.Mail awaitAfter(String migrationId, String kind, Mailbox.Mail after) {
        try {
            return cloud.mailbox().await(m -> migrationId.equals(m.migrationId()) && m.kind().equals(kind) && m.index() > after.index(),
                    wait, kind + " after " + after.kind() + " for " + migrationId);
        } catch (AssertionError e) {
            throw explained(e, migrationId);
        }
    }

    /** A missing email with where the migration's execution stands, so a failure says why. */
    private AssertionError explained(AssertionError e, String migrationId) {
        return new AssertionError(e.getMessage() + "\n" + cloud.diagnose(cloud.executionArn(migrationId)), e);
    }

    /** Clicks that were made again after a "temporarily unavailable" page, so far. */
    public int repeatedClicks() {
        return repeatedClicks.get();
    }

    /**
     * A click as a person makes it: a page that says "temporarily unavailable, nothing was
     * saved" (503), or one that never came (the browser gave up after a minute), is tried again
     * after a pause, a few times; anything else is the answer. A form sent again after a page
     * that never came, or after a 503, may find its answer stored already ("already done"): that
     * counts as done.
     */
    private LinkClient.Page patiently(java.util.function.Supplier<LinkClient.Page> click) {
        boolean retried = false;
        for (int again = 0; ; again++) {
            LinkClient.Page page;
            try {
                page = click.get();
            } catch (IllegalStateException noAnswer) {
                if (!(noAnswer.getCause() instanceof java.net.http.HttpTimeoutException) || again >= 5) {
                    throw noAnswer;
                }
                page = null;
            }
            // A click sent again after no page or a 503 can find its first attempt stored: the
            // "already done" page is then what a person reads as success.
            if (page != null && page.status() == 409 && retried && (page.text().contains("Bereits erledigt") || page.text().contains("Already done"))) {
                return new LinkClient.Page(page.url(), 200, page.html(), page.document());
            }
            if (page != null && (page.status() != 503 || again >= 5)) {
                return page;
            }
            retried = true;
            repeatedClicks.incrementAndGet();
            try {
                Thread.sleep(PAUSE_BEFORE_AGAIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Opens the link labelled {@code label}, then sends its page's form with {@code values}. */
    public void confirm(Mailbox.Mail mail, String label, Map<String, String> values) {
        String link = mail.link(label);
        LinkClient.Page page = patiently(() -> browser.get(link));
        if (page.status() != 200) {
            throw new IllegalStateException(label + " opened with HTTP " + page.status() + ": " + page.text());
        }
        LinkClient.Page form = page;
        LinkClient.Page result = patiently(() -> browser.submit(form, values));
        if (result.status() != 200) {
            throw new IllegalStateException(label + " answered HTTP " + result.status() + ": " + result.text());
        }
    }

    public void answerQuestionnaire(Mailbox.Mail mail, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(ANSWERS);
        values.putAll(overrides);
        confirm(mail, "Fragebogen ausfüllen", values);
    }

    /**
     * Books a free slot the way a customer would: picks one of the offered slots (not on the
     * last one's day: a go-live occupies hours, so a slot shortly before the last would take it
     * too, and the booking race tests keep the last for themselves) and, when someone else was
     * faster (409, "just taken"), picks again from the fresh list.
     */
    public String bookFreeSlot(String bookingLink) {
        LinkClient.Page page = patiently(() -> browser.get(bookingLink));
        for (int attempt = 0; attempt < 8; attempt++) {
            List<String> slots = page.document().select("input[name=slot]").eachAttr("value");
            if (slots.size() < 2) {
                throw new IllegalStateException("Fewer than two slots offered: " + page.text());
            }
            java.time.LocalDate lastDay = java.time.Instant.parse(slots.get(slots.size() - 1)).atZone(de.shopmigration.core.TimeFormats.BERLIN).toLocalDate();
            List<String> choices = slots.stream().filter(s -> !java.time.Instant.parse(s).atZone(de.shopmigration.core.TimeFormats.BERLIN)
                    .toLocalDate().equals(lastDay)).toList();
            if (choices.isEmpty()) {
                choices = slots.subList(0, slots.size() - 1);
            }
            String slot = choices.get(random.nextInt(choices.size()));
            LinkClient.Page form = page;
            LinkClient.Page result = patiently(() -> browser.submit(form, Map.of("slot", slot)));
            if (result.status() == 200) {
                return slot;
            }
            if (result.status() != 409) {
                throw new IllegalStateException("Booking answered HTTP " + result.status() + ": " + result.text());
            }
            page = result;
        }
        throw new IllegalStateException("No free slot after 8 attempts");
    }

    /**
     * The slot offer; if the DNS check before it found problems instead (a lookup that timed
     * out under load), staff run the check again, as the email asks them to.
     */
    public Mailbox.Mail slotOffer(String migrationId) {
        java.util.Set<String> handled = new java.util.HashSet<>();
        while (true) {
            Mailbox.Mail next;
            try {
                next = cloud.mailbox().await(m -> migrationId.equals(m.migrationId())
                        && (m.kind().equals("SLOT_BOOKING") || m.kind().equals("DNS_REVIEW") && !handled.contains(m.id())), wait,
                        "slot offer or DNS review for " + migrationId);
            } catch (AssertionError e) {
                throw explained(e, migrationId);
            }
            if (next.kind().equals("SLOT_BOOKING")) {
                return next;
            }
            handled.add(next.id());
            confirm(next, "DNS erneut prüfen", Map.of());
        }
    }

    /**
     * The plan without detours, from the questionnaire to "the shop is live": every request
     * answered at once, copies reported by staff (figures as people write them; the test access
     * as the form fills it in, the new server's address), the first free slot booked.
     */
    public void toGoLive(String migrationId) {
        answerQuestionnaire(await(migrationId, "QUESTIONNAIRE"), Map.of());
        confirm(await(migrationId, "CLUSTER_PREPARATION"), "Cluster ist vorbereitet", Map.of());
        confirm(await(migrationId, "INITIAL_COPY"), "Kopie abgeschlossen",
                Map.of("files", "48.213", "bytes", "12 GB", "tables", "312", "databaseBytes", "3,5 GB", "durationSeconds", "1.260"));
        confirm(await(migrationId, "TEST_RESULTS"), "Alle Tests bestanden", Map.of());
        bookFreeSlot(slotOffer(migrationId).link("Termin wählen"));
        confirm(await(migrationId, "MAINTENANCE_ON"), "Wartungsmodus ist aktiv", Map.of());
        confirm(await(migrationId, "FINAL_COPY"), "Kopie abgeschlossen", Map.of("files", "211", "durationSeconds", "95"));
        confirm(await(migrationId, "MAINTENANCE_OFF"), "Wartungsmodus ist aus", Map.of());
        confirm(await(migrationId, "GO_LIVE_CHECK"), "Alles funktioniert", Map.of());
        await(migrationId, "GO_LIVE_DONE");
    }
}
