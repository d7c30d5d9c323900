package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.core.Retention;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What an ended migration leaves in the table all carries its deletion time (the table's time to
 * live, {@link Retention}), as the sample deployment's retention parameters set it.
 */
final class DataExpiryAssertions {

    private DataExpiryAssertions() {
    }

    /**
     * Waits until the close-out's or the cleanup's last step has run (every item has a deletion
     * time), then checks the times: the record and the trail the audit time after the close,
     * everything else the data time.
     */
    static void everyItemExpires(LocalCloud cloud, String migrationId, Duration timeout) {
        Duration data = Duration.ofDays(Long.parseLong(String.valueOf(cloud.parameters().get("DataRetentionDays"))));
        Duration audit = Duration.ofDays(Long.parseLong(String.valueOf(cloud.parameters().get("AuditRetentionDays"))));
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Map<String, AttributeValue>> items;
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            do {
                items = store.table().partition(migrationId);
                if (items.stream().allMatch(i -> i.containsKey(Retention.ATTRIBUTE))) {
                    break;
                }
                sleep();
            } while (System.nanoTime() < deadline);
            Instant closedAt = Instant.parse(store.records().raw(migrationId).path("closedAt").asText());
            assertThat(items).as("the migration's items").hasSizeGreaterThan(10);
            for (Map<String, AttributeValue> item : items) {
                String sk = item.get("sk").s();
                assertThat(item).as(sk + " has a deletion time").containsKey(Retention.ATTRIBUTE);
                Instant until = Instant.ofEpochSecond(Long.parseLong(item.get(Retention.ATTRIBUTE).n()));
                if (sk.equals(de.shopmigration.core.store.Items.RECORD)) {
                    assertThat(until).as(sk).isEqualTo(closedAt.plus(audit).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
                } else if (sk.startsWith("AUDIT#") || sk.equals("REJECTED-SOURCES")) {
                    // Kept with the record; an entry written after the close (a late click) a little longer.
                    assertThat(until).as(sk).isBetween(closedAt.plus(audit).minusSeconds(1), closedAt.plus(audit).plus(Duration.ofHours(1)));
                } else {
                    assertThat(until).as(sk).isEqualTo(closedAt.plus(data).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
                }
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
