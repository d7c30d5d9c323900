package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.store.GoLiveBookings;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.Link;
import de.shopmigration.core.links.LinkSigner;
import de.shopmigration.core.MigrationRecord.GoLiveSlot;
import de.shopmigration.core.MigrationRequest;
import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.core.OfficeHours;
import de.shopmigration.core.Purpose;
import de.shopmigration.intake.InputSchema;
import de.shopmigration.intake.RequestParser;
import de.shopmigration.core.Step;
import de.shopmigration.core.TimeFormats;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Capacity by overlap under a race: many customers press "book" at the same moment for slots of
 * one day that overlap each other in every way, through the real link pages and DynamoDB
 * transactions. At no moment does any hour hold more go-lives than the capacity (1 in the shared
 * cloud), watched while the race runs; the winners' slots never overlap; every loser sees "just
 * taken" and a fresh list without the slot it lost; and the places held afterwards are exactly
 * the winners' hours. The losers then choose again from their lists, all at once, with the same
 * outcome.
 *
 * <p>The bookers are migrations set up directly in the table at their booking wait (record,
 * slot offer, wait, booking link), as phase 5 leaves them; their "task token" belongs to no
 * execution, which the link pages treat like any stale token (the answer is stored). The race
 * is between the pages and DynamoDB; the state machine has no part in it. The day is years
 * ahead, so no other test's bookings share it.
 */
class OverlapRaceTest extends CloudTest {

    static final int BOOKERS = 16;
    static final OfficeHours HOURS = OfficeHours.DEFAULT;

    @Test
    void manyBookersRacingForOverlappingSlotsNeverExceedTheCapacityAtAnyMoment() throws Exception {
        LocalDate day = LocalDate.now(TimeFormats.BERLIN).plusYears(6).with(TemporalAdjusters.next(DayOfWeek.TUESDAY));
        List<Instant> starts = HOURS.starts(day);
        assertThat(starts).hasSize(8);
        List<Instant> cells = starts.stream().flatMap(s -> HOURS.cells(s).stream()).distinct().sorted().toList();
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        Map<String, String> links = new LinkedHashMap<>();
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            for (int i = 0; i < BOOKERS; i++) {
                String id = "M-OVERLAP-" + run + "-" + i;
                links.put(id, atTheBookingWait(store, id, starts));
            }
            GoLiveBookings bookings = store.bookings();

            // Round one: every booker at once, booker i for start i mod 8.
            Map<String, LinkClient.Page> forms = new LinkedHashMap<>();
            links.forEach((id, url) -> forms.put(id, browser.get(url)));
            assertThat(forms.values()).allSatisfy(f -> assertThat(f.document().select("input[name=slot]")).hasSize(8));
            Map<String, Instant> choice = new HashMap<>();
            int i = 0;
            for (String id : forms.keySet()) {
                choice.put(id, starts.get(i++ % starts.size()));
            }
            Map<String, LinkClient.Page> answers = raceWhileWatching(bookings, cells, forms, choice);
            Map<String, Instant> winners = winners(answers, choice);
            assertThat(winners).as("someone wins, and at most two 4-hour go-lives fit 9:00-20:00 without overlap").hasSizeBetween(1, 2);
            assertNoOverlap(winners);
            for (Map.Entry<String, LinkClient.Page> a : answers.entrySet()) {
                if (winners.containsKey(a.getKey())) {
                    continue;
                }
                LinkClient.Page page = a.getValue();
                assertThat(page.status()).as(a.getKey()).isEqualTo(409);
                assertThat(page.text()).containsAnyOf("Dieser Termin wurde gerade vergeben", "Zurzeit ist kein Termin frei");
                // The fresh list is what was free the moment this booker lost: never the slot it lost.
                assertThat(page.document().select("input[name=slot]").eachAttr("value")).as(a.getKey())
                        .doesNotContain(choice.get(a.getKey()).toString());
            }
            assertHeldExactly(bookings, cells, winners);

            // Round two: the losers choose again from their fresh lists, all at once.
            Map<String, LinkClient.Page> again = new LinkedHashMap<>();
            Map<String, Instant> second = new HashMap<>();
            answers.forEach((id, page) -> {
                List<String> offered = page.document().select("input[name=slot]").eachAttr("value");
                if (!winners.containsKey(id) && !offered.isEmpty()) {
                    again.put(id, page);
                    second.put(id, Instant.parse(offered.get(Math.floorMod(id.hashCode(), offered.size()))));
                }
            });
            Map<String, Instant> all = new HashMap<>(winners);
            if (!again.isEmpty()) {
                all.putAll(winners(raceWhileWatching(bookings, cells, again, second), second));
            }
            assertNoOverlap(all);
            assertHeldExactly(bookings, cells, all);
            for (Map.Entry<String, Instant> w : all.entrySet()) {
                assertThat(Json.read(store.waits().find(w.getKey(), "SLOT_BOOKING#1").orElseThrow().output()).path("slotStart").asText())
                        .as("the winner's decision is stored with its slot").isEqualTo(w.getValue().toString());
            }
        }
    }

    /**
     * A booking made before the deployment that counts go-lives by overlap holds only the hour it
     * starts in (the old item, with its counter), so a later booking may overlap its other hours.
     * The operator's ADOPT_BOOKING takes the rest of its hours and puts it into the staff
     * calendar; while another go-live holds those hours, it names that one and takes nothing.
     */
    @Test
    void aBookingFromBeforeTheDeployTakesAllItsHoursWhenAdopted() throws Exception {
        LocalDate day = LocalDate.now(TimeFormats.BERLIN).plusYears(6).with(TemporalAdjusters.next(DayOfWeek.WEDNESDAY));
        Instant nine = HOURS.starts(day).get(0);
        Instant ten = nine.plus(java.time.Duration.ofHours(1));
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        String old = "M-ADOPT-" + run + "-1";
        String newer = "M-ADOPT-" + run + "-2";
        String adopt = "{\"operation\": \"ADOPT_BOOKING\", \"migrationId\": \"" + old + "\"}";
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            for (String id : List.of(old, newer)) {
                atTheBookingWait(store, id, HOURS.starts(day));
            }
            // As the previous version booked: one item for the start, with a counter and the set; a booking without cells.
            dynamo.updateItem(u -> u.tableName(cloud.tableName())
                    .key(Map.of("pk", AttributeValue.fromS("SLOT#" + TimeFormats.sortable(nine)), "sk", AttributeValue.fromS("SLOT")))
                    .updateExpression("ADD migrations :m, booked :one SET slotStart = :s")
                    .expressionAttributeValues(Map.of(":m", AttributeValue.fromSs(List.of(old)), ":one", AttributeValue.fromN("1"),
                            ":s", AttributeValue.fromS(nine.toString()))));
            store.records().setField(old, "booking", Map.of("start", nine.toString(), "end", HOURS.end(nine).toString(),
                    "bookedAt", Instant.now().toString(), "startGoLiveAt", nine.toString()));
            assertThat(store.bookings().holders(HOURS.cells(nine)).keySet()).as("the old booking holds its start only").containsExactly(nine);
            assertThat(store.bookings().take(newer, HOURS.cells(ten), 1)).as("so a booking at 10:00 still fits").isTrue();

            JsonNode refused = Operator.invoke(cloud, "GoLiveFunction", adopt);
            assertThat(refused.path("adopted").asBoolean()).as(refused.toString()).isFalse();
            assertThat(refused.path("overlaps").toString()).contains(newer);
            assertThat(store.bookings().holders(ten)).containsExactly(newer);
            assertThat(store.records().get(old).booking().cells()).isNull();

            // Staff move the 10:00 go-live elsewhere; now the old booking takes its four hours.
            store.bookings().release(newer, HOURS.cells(ten));
            JsonNode adopted = Operator.invoke(cloud, "GoLiveFunction", adopt);
            assertThat(adopted.path("adopted").asBoolean()).as(adopted.toString()).isTrue();
            HOURS.cells(nine).forEach(cell -> assertThat(store.bookings().holders(cell)).containsExactly(old));
            assertThat(store.records().get(old).booking().cells()).isEqualTo(HOURS.cells(nine));
            assertThat(store.bookings().calendar()).filteredOn(e -> e.migrationId().equals(old)).singleElement()
                    .satisfies(e -> assertThat(e.start()).isEqualTo(nine));
            assertThat(Operator.invoke(cloud, "GoLiveFunction", adopt).path("why").asText()).isEqualTo("already counted by overlap");
        }
    }

    /** A migration as phase 5 leaves it at the booking wait; returns its booking link. */
    private String atTheBookingWait(MigrationStore store, String id, List<Instant> starts) {
        Instant now = Instant.now();
        MigrationRequest request = new RequestParser(InputSchema.load(), Set.of(), true).parse(Json.read("""
                {"customer": {"name": "Erika Mustermann", "email": "erika@muster-shop.example", "language": "de"},
                 "shopName": "Muster-Shop", "domains": [{"name": "%s.example"}], "newIp": "198.51.100.20"}
                """.formatted(id.toLowerCase(java.util.Locale.ROOT))), id);
        store.records().open(request, now, Map.of());
        store.records().setField(id, "currentPhase", 5);
        store.records().setField(id, "slotOffer", starts.stream().map(s -> new GoLiveSlot(s, HOURS.end(s), HOURS.recommended(s))).toList());
        store.waits().open(id, Step.SLOT_BOOKING, 1, "no-execution-" + id, now, now, Map.of());
        LinkSigner signer = new LinkSigner(cloud.linkSecret());
        String linkId = signer.newId();
        store.links().put(new Link(id, linkId, Purpose.BOOK_SLOT, "SLOT_BOOKING#1", now, now.plusSeconds(3600), null, null));
        return cloud.apiBaseUrl() + "/m/" + id + "/" + signer.token(id, linkId);
    }

    /** Everyone presses "book" at once; meanwhile a watcher reads every hour of the day and fails on an overfull one. */
    private Map<String, LinkClient.Page> raceWhileWatching(GoLiveBookings bookings, List<Instant> cells, Map<String, LinkClient.Page> forms,
                                                           Map<String, Instant> choice) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(forms.size() + 1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean racing = new AtomicBoolean(true);
        Map<Instant, Integer> most = new ConcurrentHashMap<>();
        int[] looks = {0};
        try {
            Future<?> watcher = pool.submit(() -> {
                while (racing.get()) {
                    bookings.holders(cells).forEach((cell, holders) -> most.merge(cell, holders.size(), Math::max));
                    looks[0]++;
                }
                return null;
            });
            Map<String, Future<LinkClient.Page>> pending = new LinkedHashMap<>();
            forms.forEach((id, form) -> pending.put(id, pool.submit(() -> {
                go.await();
                return browser.submit(form, Map.of("slot", choice.get(id).toString()));
            })));
            go.countDown();
            Map<String, LinkClient.Page> answers = new LinkedHashMap<>();
            for (Map.Entry<String, Future<LinkClient.Page>> p : pending.entrySet()) {
                answers.put(p.getKey(), p.getValue().get());
            }
            racing.set(false);
            watcher.get();
            assertThat(looks[0]).as("the watcher looked while the race ran").isPositive();
            assertThat(most.values()).as("go-lives in one hour, at any moment the watcher looked").allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));
            return answers;
        } finally {
            racing.set(false);
            pool.shutdownNow();
        }
    }

    private static Map<String, Instant> winners(Map<String, LinkClient.Page> answers, Map<String, Instant> choice) {
        Map<String, Instant> winners = new HashMap<>();
        answers.forEach((id, page) -> {
            if (page.status() == 200) {
                winners.put(id, choice.get(id));
            } else {
                assertThat(page.status()).as(id + ": " + page.text()).isEqualTo(409);
            }
        });
        return winners;
    }

    static boolean overlap(Instant a, Instant b) {
        return a.isBefore(HOURS.end(b)) && b.isBefore(HOURS.end(a));
    }

    private static void assertNoOverlap(Map<String, Instant> winners) {
        List<Map.Entry<String, Instant>> list = new ArrayList<>(winners.entrySet());
        for (int a = 0; a < list.size(); a++) {
            for (int b = a + 1; b < list.size(); b++) {
                assertThat(overlap(list.get(a).getValue(), list.get(b).getValue()))
                        .as(list.get(a) + " and " + list.get(b) + " overlap").isFalse();
            }
        }
    }

    /** Each hour of the day is held by exactly the winner whose slot covers it, and by no one else. */
    private static void assertHeldExactly(GoLiveBookings bookings, List<Instant> cells, Map<String, Instant> winners) {
        Map<Instant, List<String>> held = bookings.holders(cells);
        for (Instant cell : cells) {
            List<String> expected = winners.entrySet().stream().filter(w -> HOURS.cells(w.getValue()).contains(cell)).map(Map.Entry::getKey).toList();
            assertThat(held.getOrDefault(cell, List.of())).as("holders of " + cell).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
