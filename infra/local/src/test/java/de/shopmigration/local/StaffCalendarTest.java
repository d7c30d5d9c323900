package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VEvent;
import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.core.OfficeHours;
import de.shopmigration.core.TimeFormats;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.fortuna.ical4j.data.CalendarBuilder;
import org.junit.jupiter.api.Test;

/**
 * The staff calendar feed: every booked go-live as RFC 5545 behind a secret staff link, read by
 * three independent parsers (biweekly, ical4j and Python's icalendar) after a booking, a
 * rebooking onto partly the same hours, and an abort; the link can be rotated, which revokes
 * the old one. On the way: the booking page and the confirmation show the expected downtime.
 */
class StaffCalendarTest extends CloudTest {

    static final Pattern FEED = Pattern.compile("https?://\\S+/calendar/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.ics");
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theFeedFollowsABookingARebookingAndAnAbortAndItsLinkCanBeRotated() throws Exception {
        String id = "M-CAL-1";
        String uid = "go-live-feed-" + id + "@hosting.example";
        cloud.startMigration(id, input("calendar", FAST.replace("\"slotWaitCapSeconds\": 2", "\"slotWaitCapSeconds\": 120"), null));
        Mailbox mail = cloud.mailbox();
        answerQuestionnaire(mail.await(id, "QUESTIONNAIRE", WAIT), Map.of());
        confirm(mail.await(id, "CLUSTER_PREPARATION", WAIT), "Cluster ist vorbereitet", Map.of());
        // The copy tooling's figures as staff type them: 21 minutes for 12 GB of files and 3.5 GB of database.
        confirm(mail.await(id, "INITIAL_COPY", WAIT), "Kopie abgeschlossen",
                Map.of("files", "48.213", "bytes", "12 GB", "tables", "312", "databaseBytes", "3,5 GB", "durationSeconds", "1.260"));
        confirm(mail.await(id, "TEST_RESULTS", WAIT), "Alle Tests bestanden", Map.of());

        // Before choosing, the customer reads the expected downtime, clearly an estimate.
        String bookingLink = mail.await(id, "SLOT_BOOKING", WAIT).link("Termin wählen");
        assertThat(browser.get(bookingLink).document().select(".box.important").text())
                .contains("Voraussichtliche Ausfallzeit des Shops beim Going-Live: 15 Min. – 50 Min.", "Schätzung");
        Instant first = Instant.parse(bookFreeSlot(bookingLink));
        assertThat(mail.await(id, "GO_LIVE_CONFIRMED", WAIT).plain())
                .contains("voraussichtlich 15 Min. – 50 Min. nicht erreichbar", "Das ist eine Schätzung aus der Dauer der Kopie für das Testsystem");
        Mailbox.Mail staff = mail.await(id, "GO_LIVE_WAIT", WAIT);
        Matcher feedInMail = FEED.matcher(staff.plain());
        assertThat(feedInMail.find()).as("the staff email carries the feed's address: " + staff.plain()).isTrue();
        String feed = feedInMail.group();

        List<Event> events = read(feed, uid);
        assertThat(events).hasSize(1);
        events.get(0).is(first, 1, "CONFIRMED");
        assertThat(events.get(0).description()).contains(id, "Muster-Shop", "Erika Mustermann", CUSTOMER, "Max Admin")
                .containsPattern("/m/" + id + "/\\S+");

        // Staff move the go-live an hour later where that is free: the hours both slots cover stay held, the first is freed.
        LinkClient.Page rebook = browser.get(staff.link("Termin umbuchen"));
        List<String> offered = rebook.document().select("input[name=slot]").eachAttr("value");
        Instant second = offered.contains(first.plus(Duration.ofHours(1)).toString()) ? first.plus(Duration.ofHours(1))
                : Instant.parse(offered.get(0));
        assertThat(browser.submit(rebook, Map.of("slot", second.toString())).status()).isEqualTo(200);
        mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("GO_LIVE_CONFIRMED") && m.index() > staff.index(), WAIT,
                "the confirmation of the rebooking");
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            for (Instant cell : OfficeHours.DEFAULT.cells(first)) {
                boolean stillCovered = OfficeHours.DEFAULT.cells(second).contains(cell);
                assertThat(store.bookings().holders(cell).contains(id)).as("hour " + cell + " after the rebooking").isEqualTo(stillCovered);
            }
            OfficeHours.DEFAULT.cells(second).forEach(cell -> assertThat(store.bookings().holders(cell)).containsExactly(id));
        }
        events = read(feed, uid);
        assertThat(events).hasSize(1);
        events.get(0).is(second, 2, "CONFIRMED");

        // Staff abort: the event stays, cancelled, with a higher sequence; the hours are free.
        Mailbox.Mail staff2 = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("GO_LIVE_WAIT") && m.index() > staff.index(),
                WAIT, "staff email of the second countdown");
        assertThat(FEED.matcher(staff2.plain()).results().map(r -> r.group()).toList()).as("the same feed in every booking email").containsExactly(feed);
        abortToEnd(staff2);
        mail.await(id, "ABORTED", WAIT);
        events = read(feed, uid);
        assertThat(events).hasSize(1);
        events.get(0).is(second, 3, "CANCELLED");
        assertThat(events.get(0).summary()).startsWith("Abgesagt:");
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            OfficeHours.DEFAULT.cells(second).forEach(cell -> assertThat(store.bookings().holders(cell)).doesNotContain(id));
        }

        // The feed only reads; a forged link gets the error page.
        assertThat(fetch(feed, "POST").statusCode()).isEqualTo(405);
        assertThat(fetch(feed.replace(".ics", "x.ics"), "GET").statusCode()).isEqualTo(403);

        // Rotating: the old address stops working, the new one shows the same events.
        String rotated = goLive("{\"operation\": \"ROTATE_STAFF_CALENDAR\"}").path("url").asText();
        assertThat(rotated).matches(FEED.pattern()).isNotEqualTo(feed);
        HttpResponse<String> old = fetch(feed, "GET");
        assertThat(old.statusCode()).isEqualTo(410);
        assertThat(old.body()).contains("Dieser Kalender-Link gilt nicht mehr");
        assertThat(read(rotated, uid)).hasSize(1);
        assertThat(goLive("{\"operation\": \"STAFF_CALENDAR\"}").path("url").asText()).isEqualTo(rotated);
    }

    /** One event as every parser read it. */
    record Event(String uid, int sequence, String status, Instant start, Instant end, String summary, String description) {
        void is(Instant slotStart, int expectedSequence, String expectedStatus) {
            assertThat(start).isEqualTo(slotStart);
            assertThat(end).isEqualTo(slotStart.plus(Duration.ofHours(4)));
            assertThat(sequence).isEqualTo(expectedSequence);
            assertThat(status).isEqualTo(expectedStatus);
        }
    }

    private HttpResponse<String> fetch(String url, String method) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /**
     * The feed's events of this UID, read by biweekly, ical4j and Python's icalendar, which must
     * agree; times are written in Berlin time with the feed's VTIMEZONE.
     */
    private List<Event> read(String feed, String uid) throws Exception {
        HttpResponse<String> response = fetch(feed, "GET");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/calendar"));
        String ics = response.body();
        assertThat(ics).contains("BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "DTSTART;TZID=Europe/Berlin:");

        List<Event> biweekly = new ArrayList<>();
        ICalendar calendar = Biweekly.parse(ics).first();
        for (VEvent e : calendar.getEvents()) {
            if (uid.equals(e.getUid().getValue())) {
                biweekly.add(new Event(e.getUid().getValue(), e.getSequence().getValue(), e.getStatus().getValue(),
                        e.getDateStart().getValue().toInstant(), e.getDateEnd().getValue().toInstant(),
                        e.getSummary().getValue(), e.getDescription().getValue()));
            }
        }

        List<Event> ical4j = new ArrayList<>();
        var parsed = new CalendarBuilder().build(new ByteArrayInputStream(ics.getBytes(StandardCharsets.UTF_8)));
        for (net.fortuna.ical4j.model.component.VEvent e : parsed.<net.fortuna.ical4j.model.component.VEvent>getComponents("VEVENT")) {
            if (uid.equals(e.getUid().orElseThrow().getValue())) {
                ical4j.add(new Event(uid, e.getSequence().getSequenceNo(), e.getStatus().getValue(),
                        ZonedDateTime.from(e.getDateTimeStart().getDate()).toInstant(), ZonedDateTime.from(e.getDateTimeEnd().getDate()).toInstant(),
                        e.getSummary().getValue(), e.getDescription().getValue()));
            }
        }

        List<Event> python = python(ics, uid);
        assertThat(ical4j).as("ical4j reads what biweekly reads").isEqualTo(biweekly);
        assertThat(python).as("Python's icalendar reads what biweekly reads").isEqualTo(biweekly);
        biweekly.forEach(e -> assertThat(e.start().atZone(TimeFormats.BERLIN).getHour()).as("a start in office hours, Berlin time").isBetween(9, 16));
        return biweekly;
    }

    /** Python's icalendar (Debian python3-icalendar) with every start's and end's zone as written. */
    private static List<Event> python(String ics, String uid) throws Exception {
        Path file = Files.createTempFile("go-lives", ".ics");
        Files.writeString(file, ics);
        String script = """
                import json, sys
                from icalendar import Calendar
                cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
                zones = [str(z.get('TZID')) for z in cal.walk('VTIMEZONE')]
                for e in cal.walk('VEVENT'):
                    if str(e.get('UID')) != sys.argv[2]:
                        continue
                    start, end = e.decoded('DTSTART'), e.decoded('DTEND')
                    print(json.dumps({'uid': str(e.get('UID')), 'sequence': int(e.get('SEQUENCE')), 'status': str(e.get('STATUS')),
                        'start': start.isoformat(), 'end': end.isoformat(), 'tzid': e['DTSTART'].params.get('TZID'), 'zones': zones,
                        'summary': str(e.get('SUMMARY')), 'description': str(e.get('DESCRIPTION'))}))
                """;
        String interpreter = null;
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            Process probe = new ProcessBuilder(candidate, "-c", "import icalendar").redirectErrorStream(true).start();
            if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                interpreter = candidate;
                break;
            }
        }
        assertThat(interpreter).as("Python's icalendar (apt-get install python3-icalendar; infra/bin/prerequisites does)").isNotNull();
        Process p = new ProcessBuilder(interpreter, "-c", script, file.toString(), uid).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Files.delete(file);
        List<Event> events = new ArrayList<>();
        for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
            JsonNode e = Json.read(line);
            assertThat(e.path("tzid").asText()).isEqualTo("Europe/Berlin");
            assertThat(e.path("zones").toString()).contains("Europe/Berlin");
            events.add(new Event(e.path("uid").asText(), e.path("sequence").asInt(), e.path("status").asText(),
                    java.time.OffsetDateTime.parse(e.path("start").asText()).toInstant(), java.time.OffsetDateTime.parse(e.path("end").asText()).toInstant(),
                    e.path("summary").asText(), e.path("description").asText()));
        }
        return events;
    }

    private JsonNode goLive(String payload) throws Exception {
        return Operator.invoke(cloud, "GoLiveFunction", payload);
    }
}
