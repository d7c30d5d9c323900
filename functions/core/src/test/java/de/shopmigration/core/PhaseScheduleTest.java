package de.shopmigration.core;

import de.shopmigration.core.json.Json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class PhaseScheduleTest {

    public static Instant berlin(String local) {
        return LocalDateTime.parse(local).atZone(TimeFormats.BERLIN).toInstant();
    }

    @Test
    void officeTimeSkipsEveningsAndWeekends() {
        assertThat(PhaseSchedule.addOfficeTime(berlin("2026-11-27T16:00"), Duration.ofHours(4)))
                .isEqualTo(berlin("2026-11-30T11:00"));   // Friday 16:00 + 4 h = Monday 11:00
        assertThat(PhaseSchedule.addOfficeTime(berlin("2026-11-25T07:30"), Duration.ofHours(8)))
                .isEqualTo(berlin("2026-11-25T17:00"));
    }

    @Test
    void finishedPhasesShowTheirActualTimesAndLaterPhasesFollowOnFromThem() {
        Instant start = berlin("2026-11-23T09:00");
        MigrationRecord record = Json.convert(Json.tree(Map.of(
                "migrationId", "M-1", "status", "RUNNING", "currentPhase", 2, "createdAt", start.toString(),
                "answers", Map.of("optimisationOrdered", false),
                "phaseLog", List.of(Map.of("phase", 1, "at", start.toString()),
                        Map.of("phase", 2, "at", berlin("2026-11-23T15:00").toString())))), MigrationRecord.class);
        List<PhaseSchedule.Row> rows = PhaseSchedule.of(record, berlin("2026-11-23T16:00"));
        assertThat(rows.get(0).state()).isEqualTo(PhaseSchedule.State.DONE);
        assertThat(rows.get(0).plannedEnd()).isEqualTo(berlin("2026-11-23T13:00"));
        assertThat(rows.get(0).actualEnd()).isEqualTo(berlin("2026-11-23T15:00"));
        assertThat(rows.get(1).state()).isEqualTo(PhaseSchedule.State.CURRENT);
        assertThat(rows.get(1).plannedEnd()).isEqualTo(berlin("2026-11-24T10:00"));
        assertThat(rows.get(2).plannedStart()).isEqualTo(berlin("2026-11-24T10:00"));
        assertThat(rows.get(3).state()).isEqualTo(PhaseSchedule.State.SKIPPED);
    }

    @Test
    void theGoLiveIsPlannedAtItsSlotAndEndsByClosingTime() {
        Instant created = berlin("2026-11-23T09:00");
        for (String[] c : new String[][] {{"2026-12-01T09:00", "2026-12-01T13:00"}, {"2026-12-01T15:00", "2026-12-01T18:00"}}) {
            MigrationRecord record = Json.convert(Json.tree(Map.of(
                    "migrationId", "M-1", "status", "RUNNING", "currentPhase", 5, "createdAt", created.toString(),
                    "booking", Map.of("start", berlin(c[0]).toString(), "end", berlin(c[0]).plus(Duration.ofHours(4)).toString()),
                    "phaseLog", List.of(Map.of("phase", 1, "at", created.toString())))), MigrationRecord.class);
            PhaseSchedule.Row goLive = PhaseSchedule.of(record, created, OfficeHours.DEFAULT).get(Phase.GO_LIVE.number() - 1);
            assertThat(goLive.plannedStart()).isEqualTo(berlin(c[0]));
            // Not "from 15:00 one day to 10:00 the next": the provider watches the go-live in office hours.
            assertThat(goLive.plannedEnd()).as(c[0]).isEqualTo(berlin(c[1]));
        }
    }
}
