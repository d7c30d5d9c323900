package de.shopmigration.core.store;

import de.shopmigration.core.TimeFormats;

import static de.shopmigration.core.store.AttributeValues.s;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item layout of the one table, in one place: every partition and sort key shape the
 * functions and the state machine write. A migration's partition ({@code MIGRATION#id}) holds
 * its record ({@code RECORD}), its waits ({@code WAIT#step#round}), its links ({@code LINK#id}),
 * its documents ({@code DOC#kind}), its email claims ({@code EMAIL#key}) and delivery problems
 * ({@code EMAILPROBLEM#id}), its error reports ({@code REPORT#time#id}) and its audit trail
 * ({@code AUDIT#time#n}, aggregated refusals {@code AUDIT#REJECT#reason#source} counted by
 * {@code REJECTED-SOURCES}). Go-live cells ({@code SLOT#start} / {@code SLOT}), the holds on domain
 * names ({@code HOLD#name} / {@code HOLD}) and the bookings' index ({@code BOOKINGS} / migration
 * id) are partitions of their own; the staff calendar's link pointer is the item
 * {@code CALENDAR} of its scope's partition.
 */
public final class Items {

    public static final String MIGRATION = "MIGRATION#";
    public static final String RECORD = "RECORD";
    public static final String WAIT = "WAIT#";
    public static final String LINK = "LINK#";
    public static final String DOCUMENT = "DOC#";
    /** Site check runs ({@code SITECHECK#RUN#kind#round}) and the phase-2 baseline ({@code SITECHECK#BASELINE}). */
    public static final String SITE_CHECK = "SITECHECK#";
    public static final String SITE_WATCH = "SITEWATCH";
    public static final String EMAIL = "EMAIL#";
    public static final String EMAIL_PROBLEM = "EMAILPROBLEM#";
    public static final String REPORT = "REPORT#";
    public static final String AUDIT = "AUDIT#";
    public static final String AUDIT_REJECT = "AUDIT#REJECT#";
    /** The item counting the sources that have a rejection item of their own. */
    public static final String REJECTED_SOURCES = "REJECTED-SOURCES";
    public static final String CALENDAR = "CALENDAR";
    public static final String SLOT = "SLOT#";
    public static final String SLOT_SORT_KEY = "SLOT";
    public static final String HOLD = "HOLD#";
    public static final String HOLD_SORT_KEY = "HOLD";
    public static final String BOOKINGS = "BOOKINGS";

    private Items() {
    }

    public static String pk(String migrationId) {
        return MIGRATION + migrationId;
    }

    /** An item of a migration's partition. */
    public static Map<String, AttributeValue> key(String migrationId, String sk) {
        return Map.of("pk", s(pk(migrationId)), "sk", s(sk));
    }

    public static Map<String, AttributeValue> record(String migrationId) {
        return key(migrationId, RECORD);
    }

    public static Map<String, AttributeValue> wait(String migrationId, String waitKey) {
        return key(migrationId, WAIT + waitKey);
    }

    public static Map<String, AttributeValue> link(String migrationId, String linkId) {
        return key(migrationId, LINK + linkId);
    }

    public static Map<String, AttributeValue> cell(Instant cell) {
        return Map.of("pk", s(cellPk(cell)), "sk", s(SLOT_SORT_KEY));
    }

    public static String cellPk(Instant cell) {
        return SLOT + TimeFormats.sortable(cell);
    }

    public static Map<String, AttributeValue> hold(String name) {
        return Map.of("pk", s(HOLD + name), "sk", s(HOLD_SORT_KEY));
    }

    public static Map<String, AttributeValue> booking(String migrationId) {
        return Map.of("pk", s(BOOKINGS), "sk", s(migrationId));
    }

    /**
     * The record's attributes the state machine writes itself (its {@code dynamodb:updateItem}
     * tasks in statemachine.asl.yaml), and its updates as they stand there: a test holds the two
     * files to the same names.
     */
    public static final class StateMachine {
        public static final String CURRENT_PHASE = "currentPhase";
        public static final String PHASE_LOG = "phaseLog";
        public static final String STATUS = "status";
        public static final String CLOSED_AT = "closedAt";
        public static final String FAILURE = "failure";

        /** Entering a phase: the number and a mark in the log. */
        public static final String ENTER_PHASE = "SET " + CURRENT_PHASE + " = :phase, " + PHASE_LOG + " = list_append(if_not_exists("
                + PHASE_LOG + ", :empty), :mark)";
        /** Phase 7 closes the record, only a running one. */
        public static final String CLOSE = "SET #status = :completed, " + CLOSED_AT + " = :now";
        public static final String CLOSE_CONDITION = "#status = :running";
        /** An abort keeps the first failure. */
        public static final String KEEP_FAILURE = "SET " + FAILURE + " = if_not_exists(" + FAILURE + ", :failure)";
        public static final String EXISTS = "attribute_exists(pk)";
        public static final List<String> UPDATES = List.of(ENTER_PHASE, CLOSE, KEEP_FAILURE);
        public static final List<String> CONDITIONS = List.of(EXISTS, CLOSE_CONDITION);

        private StateMachine() {
        }
    }
}
