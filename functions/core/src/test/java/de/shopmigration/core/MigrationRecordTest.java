package de.shopmigration.core;

import de.shopmigration.core.json.Json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationRecordTest {

    @Test
    void aRepeatedTestRunCountsEveryRoundTowardsPhaseThree() {
        Instant t = Instant.parse("2026-11-02T08:00:00Z");
        List<MigrationRecord.PhaseMark> log = List.of(
                new MigrationRecord.PhaseMark(3, t),
                new MigrationRecord.PhaseMark(4, t.plus(Duration.ofHours(8))),
                new MigrationRecord.PhaseMark(3, t.plus(Duration.ofHours(12))),
                new MigrationRecord.PhaseMark(5, t.plus(Duration.ofHours(14))),
                new MigrationRecord.PhaseMark(5, t.plus(Duration.ofHours(14))));
        MigrationRecord record = Json.convert(Json.tree(Map.of("migrationId", "M-1", "phaseLog", log)), MigrationRecord.class);
        Map<Integer, Duration> spent = record.actualDurations(t.plus(Duration.ofHours(15)));
        assertThat(spent).containsEntry(3, Duration.ofHours(10)).containsEntry(4, Duration.ofHours(4)).containsEntry(5, Duration.ofHours(1));
    }
}
