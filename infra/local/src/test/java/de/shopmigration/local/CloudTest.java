package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** Base for tests on the shared local cloud. */
@ExtendWith(SharedCloud.Extension.class)
@Tag("full")
abstract class CloudTest {

    static final String CUSTOMER = SampleMigration.CUSTOMER;
    static final String STAFF = SampleMigration.STAFF;
    /**
     * How long a test waits for the next email or an execution's end. Waiting returns as soon as
     * it arrives, so this costs time only when a test fails; under a CI run's own load (three
     * test classes and moto on two cores) a step that takes seconds alone took over a minute.
     */
    static final Duration WAIT = Duration.ofSeconds(150);
    /**
     * The tests that book the last slot of an offer (the others never do, Walkthrough.bookFreeSlot)
     * hold this lock, so two of them never want the same slot at once: with SlotCapacity 1 one
     * would find it taken.
     */
    static final String LAST_SLOT = "the last go-live slot of an offer";

    SharedCloud shared;
    LocalCloud cloud;
    final LinkClient browser = new LinkClient();

    @BeforeEach
    void useSharedCloud(SharedCloud shared) {
        this.shared = shared;
        this.cloud = shared.cloud;
        this.walk = new Walkthrough(cloud, patience());
    }

    /** How long the helpers wait for each email; a test whose steps are slowed on purpose waits longer. */
    Duration patience() {
        return WAIT;
    }

    /** The migration record as staff read it in DynamoDB. */
    de.shopmigration.core.MigrationRecord record(String id) {
        try (var dynamo = cloud.dynamoDb()) {
            return new de.shopmigration.core.store.MigrationStore(dynamo, cloud.tableName()).records().get(id);
        }
    }

    /** A valid execution input for one test zone; {@code extra} is spliced in as JSON fields. */
    String input(String zoneName, String timing, String extra) {
        return SampleMigration.input(SharedCloud.domain(zoneName), shared.zone(zoneName), timing, extra);
    }

    /** Compressed time; quiet hours off, so no test depends on the hour it runs at (QuietHoursTest sets them). */
    static final String FAST = SampleMigration.FAST;

    /** Acts as customer and staff through the emailed links; tests and benchmarks share it. */
    Walkthrough walk;

    void confirm(Mailbox.Mail mail, String label, java.util.Map<String, String> values) {
        walk.confirm(mail, label, values);
    }

    static final java.util.Map<String, String> ANSWERS = Walkthrough.ANSWERS;

    /** Tests share one calendar, like customers do; the last offered slot is kept for the booking race. */
    static final java.util.Random RANDOM = new java.util.Random();

    /**
     * Books a free slot the way a customer would: picks one of the offered slots and, when
     * someone else was faster (409, "just taken"), picks again from the fresh list.
     */
    String bookFreeSlot(String bookingLink) {
        return walk.bookFreeSlot(bookingLink);
    }

    void answerQuestionnaire(Mailbox.Mail mail, java.util.Map<String, String> overrides) {
        walk.answerQuestionnaire(mail, overrides);
    }

    /** Phases 1 to 3 as customer and staff: questionnaire, cluster, initial copy, test run passed. */
    void throughTheTestRun(String id) {
        throughTheTestRun(id, java.util.Map.of());
    }

    void throughTheTestRun(String id, java.util.Map<String, String> answers) {
        throughTheInitialCopy(id, answers);
        confirm(walk.await(id, "TEST_RESULTS"), "Alle Tests bestanden", java.util.Map.of());
    }

    /** Phases 1 and 2: questionnaire answered, cluster prepared, initial copy reported; returns the copy email. */
    Mailbox.Mail throughTheInitialCopy(String id, java.util.Map<String, String> answers) {
        Mailbox.Mail copy = upToTheInitialCopy(id, answers);
        confirm(copy, "Kopie abgeschlossen", java.util.Map.of());
        return copy;
    }

    /** Questionnaire answered and cluster prepared; returns staff's copy email, not yet answered. */
    Mailbox.Mail upToTheInitialCopy(String id, java.util.Map<String, String> answers) {
        answerQuestionnaire(walk.await(id, "QUESTIONNAIRE"), answers);
        confirm(walk.await(id, "CLUSTER_PREPARATION"), "Cluster ist vorbereitet", java.util.Map.of());
        return walk.await(id, "INITIAL_COPY");
    }

    /** Ends a test's migration the way staff would: the email's abort link, with a reason. */
    void abortToEnd(Mailbox.Mail mail) {
        LinkClient.Page abort = browser.get(mail.link("Migration abbrechen"));
        assertThat(browser.submit(abort, java.util.Map.of("reason", "Test beendet")).status()).isEqualTo(200);
    }

    /** Phase 5 booking and phase 6 up to the customer's check; returns the check email, not yet answered. */
    Mailbox.Mail upToTheGoLiveCheck(String id) {
        bookFreeSlot(walk.await(id, "SLOT_BOOKING").link("Termin wählen"));
        confirm(walk.await(id, "MAINTENANCE_ON"), "Wartungsmodus ist aktiv", java.util.Map.of());
        confirm(walk.await(id, "FINAL_COPY"), "Kopie abgeschlossen", java.util.Map.of());
        confirm(walk.await(id, "MAINTENANCE_OFF"), "Wartungsmodus ist aus", java.util.Map.of());
        return walk.await(id, "GO_LIVE_CHECK");
    }
}
