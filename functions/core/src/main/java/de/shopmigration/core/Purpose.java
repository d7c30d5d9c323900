package de.shopmigration.core;

import java.util.Locale;

/**
 * What a link lets its holder do. Each link is bound to one purpose and one migration; the
 * page it opens and the decision it hands to the state machine follow from the purpose.
 */
public enum Purpose {
    QUESTIONNAIRE(Audience.CUSTOMER, Form.QUESTIONNAIRE, "ANSWERED"),
    CLUSTER_PREPARED(Audience.STAFF, Form.CONFIRM, "DONE"),
    COPY_DONE(Audience.STAFF, Form.COPY_FIGURES, "SUCCEEDED"),
    COPY_FAILED(Audience.STAFF, Form.DESCRIBE, "FAILED"),
    TESTS_PASSED(Audience.CUSTOMER, Form.CONFIRM, "PASSED"),
    PROBLEMS_FOUND(Audience.CUSTOMER, Form.DESCRIBE, "PROBLEMS"),
    PROBLEMS_FIXED(Audience.STAFF, Form.CONFIRM, "FIXED"),
    OPTIMISATION_DONE(Audience.STAFF, Form.CONFIRM, "DONE"),
    BOOK_SLOT(Audience.CUSTOMER, Form.SLOTS, "BOOKED"),
    /** Staff move the go-live to another slot (for instance at the customer's request by phone). */
    REBOOK(Audience.STAFF, Form.SLOTS, "REBOOKED"),
    /** Staff cancel the booking; the customer is asked to book again. */
    CANCEL_BOOKING(Audience.STAFF, Form.DESCRIBE, "CANCELLED"),
    MAINTENANCE_ON(Audience.CUSTOMER, Form.CONFIRM, "MAINTENANCE_ON"),
    MAINTENANCE_OFF(Audience.STAFF, Form.CONFIRM, "MAINTENANCE_OFF"),
    GO_LIVE_OK(Audience.CUSTOMER, Form.CONFIRM, "ALL_GOOD"),
    GO_LIVE_PROBLEMS(Audience.CUSTOMER, Form.DESCRIBE, "PROBLEMS"),
    GO_LIVE_FIXED(Audience.STAFF, Form.CONFIRM, "FIXED"),
    DNS_RECHECK(Audience.STAFF, Form.CONFIRM, "RECHECK"),
    DNS_FIXED(Audience.STAFF, Form.CONFIRM, "FIXED"),
    EXTERNAL_DNS_DONE(Audience.CUSTOMER, Form.CONFIRM, "DONE"),
    /** Staff fixed what the automatic site check found: it runs again. */
    SITE_RECHECK(Audience.STAFF, Form.CONFIRM, "RECHECK"),
    /** Staff continue despite the site check's findings, with a reason that is recorded. */
    SITE_OVERRIDE(Audience.STAFF, Form.DESCRIBE, "OVERRIDDEN"),
    /**
     * The watch after the go-live alerted staff: switch the DNS back to the old server (compare-and-swap),
     * the customer is told. Tied to the watch, not to a wait; staff only.
     */
    ROLLBACK_DNS(Audience.STAFF, Form.DESCRIBE, "ROLLED_BACK"),
    /** Phase 7: not tied to a wait; says before submitting whether the report is free. */
    REPORT_ERROR(Audience.CUSTOMER, Form.DESCRIBE, "REPORTED"),
    /** Staff take on one error report ("we're on it"); the customer is told. Tied to the report, not a wait. */
    REPORT_ACKNOWLEDGED(Audience.STAFF, Form.CONFIRM, "ACKNOWLEDGED"),
    /** Staff mark one error report fixed, with an optional note the customer reads. */
    REPORT_FIXED(Audience.STAFF, Form.DESCRIBE, "FIXED"),
    /** Staff stop the migration; available at every wait. */
    ABORT(Audience.STAFF, Form.DESCRIBE, "ABORTED"),
    /** Read-only overview of the phases; never changes anything. */
    STATUS(Audience.CUSTOMER, Form.NONE, null),
    /**
     * Staff's read-only calendar feed of every booked go-live, across migrations
     * ({@link StaffCalendar}); a standing link that is revoked by rotating it.
     */
    STAFF_CALENDAR(Audience.STAFF, Form.NONE, null);

    /** The kind of page a link opens. */
    public enum Form {
        QUESTIONNAIRE, CONFIRM, DESCRIBE, COPY_FIGURES, SLOTS, NONE
    }

    private final Audience audience;
    private final Form form;
    private final String decision;

    Purpose(Audience audience, Form form, String decision) {
        this.audience = audience;
        this.form = form;
        this.decision = decision;
    }

    public Audience audience() {
        return audience;
    }

    public Form form() {
        return form;
    }

    /** The decision the state machine receives when the link is used. */
    public String decision() {
        return decision;
    }

    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
