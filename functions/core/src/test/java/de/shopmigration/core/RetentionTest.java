package de.shopmigration.core;

import de.shopmigration.core.lambda.Env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionTest {

    private static final Instant CLOSED = Instant.parse("2026-12-03T10:15:30.500Z");

    @Test
    void theDeploymentsDaysCountFromTheCloseInEpochSeconds() {
        Retention r = Retention.from(new Env(Map.of("DATA_RETENTION_DAYS", "7", "AUDIT_RETENTION_DAYS", "400")));
        assertThat(r.data()).isEqualTo(Duration.ofDays(7));
        assertThat(r.dataUntil(CLOSED)).isEqualTo(Instant.parse("2026-12-10T10:15:30Z").getEpochSecond());
        assertThat(r.recordUntil(CLOSED)).isEqualTo(Instant.parse("2028-01-07T10:15:30Z").getEpochSecond());
        assertThat(r.auditEntryUntil(CLOSED.plusSeconds(60))).isEqualTo(r.recordUntil(CLOSED) + 60);
        // A slot is kept until its day is over and the data time has passed.
        assertThat(r.slotUntil(CLOSED)).isEqualTo(Instant.parse("2026-12-11T10:15:30Z").getEpochSecond());
    }

    @Test
    void withoutTheVariablesTheTemplatesDefaultsHold() {
        assertThat(Retention.from(new Env(Map.of()))).isEqualTo(new Retention(Duration.ofDays(30), Duration.ofDays(365)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "3651", "30.5", "thirty"})
    void aRetentionOutsideOneDayToTenYearsIsAConfigurationError(String days) {
        assertThatThrownBy(() -> Retention.from(new Env(Map.of("DATA_RETENTION_DAYS", days))))
                .isInstanceOf(MissingConfiguration.class).hasMessageContaining("DATA_RETENTION_DAYS");
    }
}
