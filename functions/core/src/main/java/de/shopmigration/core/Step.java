package de.shopmigration.core;

import java.util.List;

/**
 * Every point where the workflow waits for a person (or the copy tooling): who is asked, in
 * which phase, and which links answer the wait. The state machine names the step in each
 * waitForTaskToken task; the task token stays with the wait in DynamoDB.
 */
public enum Step {
    QUESTIONNAIRE(Phase.PLANNING, Audience.CUSTOMER, List.of(Purpose.QUESTIONNAIRE)),
    CLUSTER_PREPARATION(Phase.MOVING_THE_APPLICATION, Audience.STAFF, List.of(Purpose.CLUSTER_PREPARED)),
    INITIAL_COPY(Phase.MOVING_THE_APPLICATION, Audience.STAFF, List.of(Purpose.COPY_DONE, Purpose.COPY_FAILED)),
    /** The automatic check of the test system found blocking problems: staff fix them and check again, or continue with a reason. */
    SITE_REVIEW(Phase.MOVING_THE_APPLICATION, Audience.STAFF, List.of(Purpose.SITE_RECHECK, Purpose.SITE_OVERRIDE)),
    TEST_RESULTS(Phase.TEST_RUN, Audience.CUSTOMER, List.of(Purpose.TESTS_PASSED, Purpose.PROBLEMS_FOUND)),
    PROBLEM_FIX(Phase.TEST_RUN, Audience.STAFF, List.of(Purpose.PROBLEMS_FIXED)),
    OPTIMISATION(Phase.OPTIMISATION, Audience.STAFF, List.of(Purpose.OPTIMISATION_DONE)),
    /** The DNS check before the go-live found problems: staff sort them out, then check again. */
    DNS_REVIEW(Phase.GO_LIVE_PREPARATION, Audience.STAFF, List.of(Purpose.DNS_RECHECK)),
    SLOT_BOOKING(Phase.GO_LIVE_PREPARATION, Audience.CUSTOMER, List.of(Purpose.BOOK_SLOT)),
    /** The countdown to the booked slot: its timeouts are the schedule, its links let staff rebook or cancel. */
    GO_LIVE_WAIT(Phase.GO_LIVE_PREPARATION, Audience.STAFF, List.of(Purpose.REBOOK, Purpose.CANCEL_BOOKING)),
    MAINTENANCE_ON(Phase.GO_LIVE, Audience.CUSTOMER, List.of(Purpose.MAINTENANCE_ON)),
    FINAL_COPY(Phase.GO_LIVE, Audience.STAFF, List.of(Purpose.COPY_DONE, Purpose.COPY_FAILED)),
    MAINTENANCE_OFF(Phase.GO_LIVE, Audience.STAFF, List.of(Purpose.MAINTENANCE_OFF)),
    /** The new cluster, compared with the test system's baseline before the customer's check, has blocking problems. */
    GO_LIVE_SITE_REVIEW(Phase.GO_LIVE, Audience.STAFF, List.of(Purpose.SITE_RECHECK, Purpose.SITE_OVERRIDE)),
    GO_LIVE_CHECK(Phase.GO_LIVE, Audience.CUSTOMER, List.of(Purpose.GO_LIVE_OK, Purpose.GO_LIVE_PROBLEMS)),
    GO_LIVE_FIX(Phase.GO_LIVE, Audience.STAFF, List.of(Purpose.GO_LIVE_FIXED)),
    /** The switch found records changed by hand and changed nothing: staff look, then it is tried again. */
    DNS_MISMATCH(Phase.GO_LIVE, Audience.STAFF, List.of(Purpose.DNS_FIXED)),
    /** After the switch the names do not lead to a working shop at the new address: staff fix it, or roll the DNS back. */
    SWITCH_SITE_REVIEW(Phase.GO_LIVE, Audience.STAFF, List.of(Purpose.SITE_RECHECK, Purpose.SITE_OVERRIDE)),
    /** Domains with DNS elsewhere: the customer changes them at their provider; lookups confirm. */
    EXTERNAL_DNS_SWITCH(Phase.GO_LIVE, Audience.CUSTOMER, List.of(Purpose.EXTERNAL_DNS_DONE));

    private final Phase phase;
    private final Audience audience;
    private final List<Purpose> answers;

    Step(Phase phase, Audience audience, List<Purpose> answers) {
        this.phase = phase;
        this.audience = audience;
        this.answers = answers;
    }

    public Phase phase() {
        return phase;
    }

    public Audience audience() {
        return audience;
    }

    /** The links that answer this wait; the first one used decides it. */
    public List<Purpose> answers() {
        return answers;
    }

    public boolean isCopy() {
        return this == INITIAL_COPY || this == FINAL_COPY;
    }
}
