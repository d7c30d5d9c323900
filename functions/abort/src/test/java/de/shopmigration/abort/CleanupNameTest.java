package de.shopmigration.abort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.shopmigration.core.json.Json;
import org.junit.jupiter.api.Test;

class CleanupNameTest {

    private static final long STOP = 1_767_261_600_000L;

    @Test
    void theCleanupIsNamedAfterTheMigrationAndItsEnd() {
        assertThat(CleanupStart.executionName("M-2026-0042", STOP)).isEqualTo("M-2026-0042-cleanup-" + Long.toString(STOP, 36));
        assertThat(CleanupStart.executionName("M-2026-0042", STOP + 1)).as("a second end of the same migration")
                .isNotEqualTo(CleanupStart.executionName("M-2026-0042", STOP));
    }

    @Test
    void aLongMigrationIdIsShortenedToStepFunctionsLimit() {
        String name = CleanupStart.executionName("M".repeat(80), STOP);
        assertThat(name).hasSize(80).matches("[A-Za-z0-9_-]+").endsWith("-cleanup-" + Long.toString(STOP, 36));
        assertThat(CleanupStart.executionName("M.2026 äö", STOP)).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void anEventWithoutTheEndedExecutionIsAClearError() {
        CleanupStart start = new CleanupStart(() -> {
            throw new AssertionError("must not call Step Functions");
        }, "arn:aws:states:eu-central-1:123456789012:stateMachine:x-cleanup");
        assertThatThrownBy(() -> start.start(Json.read("{\"detail-type\":\"Step Functions Execution Status Change\",\"detail\":{\"name\":\"M-1\"}}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("detail.stopDate");
    }
}
