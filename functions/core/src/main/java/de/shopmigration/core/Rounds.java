package de.shopmigration.core;

/**
 * How often a step of the plan may come round in one migration: test runs after problems,
 * copy attempts, go-live checks, rebookings, DNS requests. Each round is an exchange with a
 * person, and each costs the execution history events; with this cap no migration can exhaust
 * Step Functions' 25,000 (docs/history-budget.md). A migration that needs more rounds has left
 * its plan: the seed says such deviations are agreed with staff, or the migration is aborted.
 */
public final class Rounds {

    public static final int MAX = 6;

    /**
     * The site checks' staff reviews: three rounds of "fixed, check again"; then staff continue
     * anyway (with a reason) or abort. Their reminders and loops would otherwise take some 600
     * of the history budget's events.
     */
    public static final int SITE_REVIEW_MAX = 3;

    /** The rounds a step may come round in one migration. */
    public static int max(Step step) {
        return switch (step) {
            case SITE_REVIEW, GO_LIVE_SITE_REVIEW, SWITCH_SITE_REVIEW -> SITE_REVIEW_MAX;
            default -> MAX;
        };
    }

    private Rounds() {
    }

    /** @throws TooManyRounds when {@code round} is past the cap */
    public static void check(String migrationId, Step step, int round) {
        if (round > max(step)) {
            throw new TooManyRounds("Migration " + migrationId + ": " + step + " would start round " + round + "; the plan allows "
                    + max(step) + " rounds of this step. Agree a new plan with the customer and start a new migration.");
        }
    }
}
