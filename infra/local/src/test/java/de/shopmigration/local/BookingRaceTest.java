package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.core.OfficeHours;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The last place in an hour goes to exactly one booker, however many press the button at once. */
@ResourceLock(CloudTest.LAST_SLOT)
class BookingRaceTest extends CloudTest {

    @Test
    void twentyConcurrentTransactionsForOverlappingSlotsLeaveAtMostOneGoLivePerHour() throws Exception {
        // A Tuesday years ahead, which no other test books; racer i wants the slot starting at 9 + (i mod 8) o'clock.
        java.time.LocalDate day = java.time.LocalDate.of(2031, 3, 4);
        List<Instant> starts = OfficeHours.DEFAULT.starts(day);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = "M-RACER-" + i;
                List<Instant> cells = OfficeHours.DEFAULT.cells(starts.get(i % starts.size()));
                results.add(pool.submit(() -> {
                    start.await();
                    return store.bookings().take(id, cells, 1);
                }));
            }
            start.countDown();
            List<Instant> won = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                if (results.get(i).get()) {
                    won.add(starts.get(i % starts.size()));
                }
            }
            assertThat(won).isNotEmpty().hasSizeLessThanOrEqualTo(2);
            for (Instant a : won) {
                for (Instant b : won) {
                    assertThat(a.equals(b) || !a.isBefore(OfficeHours.DEFAULT.end(b)) || !b.isBefore(OfficeHours.DEFAULT.end(a)))
                            .as("winning slots " + a + " and " + b + " overlap").isTrue();
                }
            }
            List<Instant> cells = starts.stream().flatMap(s -> OfficeHours.DEFAULT.cells(s).stream()).distinct().toList();
            assertThat(store.bookings().holders(cells).values()).allSatisfy(h -> assertThat(h).hasSize(1));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void threeCustomersBookingTheSameSlotAtOnceOneWinsTheOthersSeeFreshSlots() throws Exception {
        List<String> links = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String id = "M-RACE-" + i;
            cloud.startMigration(id, input("race-" + i, FAST, null));
        }
        Mailbox mail = cloud.mailbox();
        for (int i = 1; i <= 3; i++) {
            String id = "M-RACE-" + i;
            answerQuestionnaire(mail.await(id, "QUESTIONNAIRE", WAIT), Map.of());
            confirm(mail.await(id, "CLUSTER_PREPARATION", WAIT), "Cluster ist vorbereitet", Map.of());
            confirm(mail.await(id, "INITIAL_COPY", WAIT), "Kopie abgeschlossen", Map.of());
            confirm(mail.await(id, "TEST_RESULTS", WAIT), "Alle Tests bestanden", Map.of());
        }
        for (int i = 1; i <= 3; i++) {
            links.add(mail.await("M-RACE-" + i, "SLOT_BOOKING", WAIT).link("Termin wählen"));
        }
        List<LinkClient.Page> forms = links.stream().map(browser::get).toList();
        // The latest slot offered to all three (each offer was made at its own moment, while other
        // tests booked); the other tests never pick an offer's last slot (CloudTest.bookFreeSlot).
        List<String> common = new ArrayList<>(forms.get(0).document().select("input[name=slot]").eachAttr("value"));
        for (LinkClient.Page form : forms) {
            common.retainAll(form.document().select("input[name=slot]").eachAttr("value"));
        }
        assertThat(common).isNotEmpty();
        String slot = common.get(common.size() - 1);

        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<LinkClient.Page>> answers = new ArrayList<>();
        for (LinkClient.Page form : forms) {
            Callable<LinkClient.Page> book = () -> {
                go.await();
                return browser.submit(form, Map.of("slot", slot));
            };
            answers.add(pool.submit(book));
        }
        go.countDown();
        List<LinkClient.Page> pages = new ArrayList<>();
        for (Future<LinkClient.Page> a : answers) {
            pages.add(a.get());
        }
        pool.shutdownNow();

        assertThat(pages).filteredOn(p -> p.status() == 200).hasSize(1);
        List<LinkClient.Page> losers = pages.stream().filter(p -> p.status() != 200).toList();
        assertThat(losers).hasSize(2).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(409);
            assertThat(p.text()).contains("Dieser Termin wurde gerade vergeben");
            assertThat(p.document().select("input[name=slot]").eachAttr("value")).doesNotContain(slot).isNotEmpty();
        });
        try (var dynamo = cloud.dynamoDb()) {
            assertThat(new MigrationStore(dynamo, cloud.tableName()).bookings().holders(Instant.parse(slot))).hasSize(1);
        }
        // The losers book another slot: their booking links still work.
        for (LinkClient.Page loser : losers) {
            assertThat(loser.document().select("input[name=slot]")).isNotEmpty();
        }
        for (int i = 0; i < 3; i++) {
            if (pages.get(i).status() != 200) {
                bookFreeSlot(links.get(i));
            }
        }
        for (int i = 1; i <= 3; i++) {
            Mailbox.Mail staff = mail.await("M-RACE-" + i, "GO_LIVE_WAIT", WAIT);
            abortToEnd(staff);
        }
    }
}
