package de.shopmigration.core;

import de.shopmigration.core.json.Json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The expected downtime from the initial copy's figures, over a table (docs/scheduling.md explains the model). */
class DowntimeEstimateTest {

    static MigrationRecord record(String durationOrNull, String filesOrNull, String databaseOrNull) {
        String duration = durationOrNull == null ? "" : durationOrNull;
        String files = filesOrNull == null ? "" : filesOrNull;
        String database = databaseOrNull == null ? "" : databaseOrNull;
        List<Map<String, Object>> copies = new ArrayList<>();
        if (!duration.isBlank() || !files.isBlank() || !database.isBlank()) {
            Map<String, Object> copy = new HashMap<>(Map.of("mode", "initial", "result", "SUCCEEDED", "at", "2026-11-24T10:00:00Z"));
            if (!duration.isBlank()) {
                copy.put("durationSeconds", Long.parseLong(duration));
            }
            if (!files.isBlank()) {
                copy.put("bytes", Long.parseLong(files));
            }
            if (!database.isBlank()) {
                copy.put("databaseBytes", Long.parseLong(database));
            }
            copies.add(copy);
        }
        return Json.convert(Json.tree(Map.of("migrationId", "M-1", "status", "RUNNING", "copies", copies,
                "request", Map.of("migrationId", "M-1", "targetTtl", 300, "newIp", "198.51.100.20",
                        "customer", Map.of("name", "E", "email", "e@example.de", "language", "de"), "domains", List.of()))),
                MigrationRecord.class);
    }

    @ParameterizedTest(name = "copy {0} s, files {1} B, database {2} B: {3} to {4} min")
    @CsvSource(delimiter = '|', value = {
            // the sandbox's figures: 21 min for 12 GB of files and 3.5 GB of database
            "1260  | 12000000000 | 3500000000  | 15  | 50  | true  | mostly files: a delta, so the handling dominates",
            // a database-heavy shop: 3 h for 10 GB of files and 40 GB of database
            "10800 | 10000000000 | 40000000000 | 125 | 265 | true  | the database is copied again in full",
            // only a duration: half database, half files
            "3600  |             |             | 35  | 90  | true  | sizes unknown",
            "600   | 500000000   |             | 15  | 40  | true  | files only",
            "600   |             | 500000000   | 15  | 50  | true  | database only",
            // no duration: the plan's range
            "      | 12000000000 | 3500000000  | 15  | 120 | false | no duration reported",
            "      |             |             | 15  | 120 | false | no initial copy yet",
    })
    void aRangeFromTheInitialCopy(String duration, String files, String database, long low, long high, boolean fromCopy, String why) {
        DowntimeEstimate e = DowntimeEstimate.of(record(duration, files, database));
        assertThat(e.low()).as(why).isEqualTo(Duration.ofMinutes(low));
        assertThat(e.high()).as(why).isEqualTo(Duration.ofMinutes(high));
        assertThat(e.fromCopy()).isEqualTo(fromCopy);
    }

    @ParameterizedTest(name = "{0} min measured: {1}")
    @CsvSource({"10, BELOW", "15, WITHIN", "50, WITHIN", "51, ABOVE"})
    void theMeasuredDowntimeIsComparedWithTheEstimate(long minutes, String verdict) {
        DowntimeEstimate e = DowntimeEstimate.of(record("1260", "12000000000", "3500000000"));
        assertThat(e.compare(Duration.ofMinutes(minutes))).isEqualTo(verdict);
        assertThat(e.range(Language.DE)).isEqualTo("15 Min. – 50 Min.");
    }
}
