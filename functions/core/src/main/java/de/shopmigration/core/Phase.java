package de.shopmigration.core;

import java.time.Duration;

/**
 * The seven phases of the provider's migration plan, with the time frame the plan gives each.
 * "½ Tag" is read as half a working day (4 h), "1 Tag" as a working day (8 h).
 */
public enum Phase {
    PLANNING(1, Duration.ofHours(4)),
    MOVING_THE_APPLICATION(2, Duration.ofHours(4)),
    TEST_RUN(3, Duration.ofHours(8)),
    OPTIMISATION(4, Duration.ofHours(4)),
    GO_LIVE_PREPARATION(5, Duration.ofHours(4)),
    GO_LIVE(6, Duration.ofHours(4)),
    CLOSE_OUT(7, Duration.ofHours(8));

    private final int number;
    private final Duration planned;

    Phase(int number, Duration planned) {
        this.number = number;
        this.planned = planned;
    }

    public int number() {
        return number;
    }

    public Duration planned() {
        return planned;
    }

    public static Phase ofNumber(int number) {
        for (Phase phase : values()) {
            if (phase.number == number) {
                return phase;
            }
        }
        throw new IllegalArgumentException("No phase " + number);
    }
}
