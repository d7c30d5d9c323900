package de.shopmigration.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every delay of a migration, in seconds. Production defaults follow the provider's plan; an
 * execution may override any of them (the local sandbox and the tests compress time this way).
 */
public record Timing(
        long customerReminderSeconds,
        long staffReminderSeconds,
        long goLiveReminderSeconds,
        int maxReminders,
        long dnsPollSeconds,
        long copyTimeoutSeconds,
        long copyHeartbeatSeconds,
        long errorWindowSeconds,
        long linkValiditySeconds,
        long slotLeadSeconds,
        long slotWaitCapSeconds,
        int quietFromHour,
        int quietToHour,
        long halfDaySeconds,
        long downtimeAlertSeconds,
        long openReportsWaitSeconds) {

    public static final Timing DEFAULTS = new Timing(
            24 * 3600,      // a customer is reminded after a day without an answer
            4 * 3600,       // staff after half a working day
            30 * 60,        // on go-live day everyone is reminded after half an hour
            3,              // then staff are told (escalation)
            30,             // Route 53 usually reports INSYNC within a minute
            8 * 3600,       // a copy job that takes longer than a working day is escalated
            30 * 60,        // copy tooling on a webhook must report progress every half hour
            24 * 3600,      // the seed's 24-hour window for reporting migration errors
            30L * 24 * 3600, // links stay valid a month
            24 * 3600,      // a go-live slot must be at least a day ahead
            0,              // 0: wait for the booked slot itself (the sandbox caps this wait)
            20,             // no reminders to customers from 20:00 ...
            8,              // ... to 8:00 in their time zone (equal hours switch this off)
            0,              // 0: a plan's "½ Tag" is half a working day in office hours
            2 * 3600,       // the plan allows 15 minutes to 2 hours of downtime; staff are alerted past that
            24 * 3600);     // after the window, the close-out waits another day for open error reports to be fixed

    /** Records written before a field existed read it as 0; they get the default instead. */
    public Timing {
        copyHeartbeatSeconds = copyHeartbeatSeconds > 0 ? copyHeartbeatSeconds : 30 * 60;
        downtimeAlertSeconds = downtimeAlertSeconds > 0 ? downtimeAlertSeconds : 2 * 3600;
        openReportsWaitSeconds = openReportsWaitSeconds > 0 ? openReportsWaitSeconds : 24 * 3600;
    }

    /** Ranges per field; an override outside its range is a bad input, not silently clamped. */
    private static final Map<String, long[]> RANGES = ranges();

    private static Map<String, long[]> ranges() {
        Map<String, long[]> r = new LinkedHashMap<>();
        r.put("customerReminderSeconds", new long[] {1, 30L * 24 * 3600});
        r.put("staffReminderSeconds", new long[] {1, 30L * 24 * 3600});
        r.put("goLiveReminderSeconds", new long[] {1, 24L * 3600});
        r.put("maxReminders", new long[] {0, 5});
        r.put("dnsPollSeconds", new long[] {1, 3600});
        // A copy wait needs room for a heartbeat interval below its timeout.
        r.put("copyTimeoutSeconds", new long[] {2, 7L * 24 * 3600});
        r.put("copyHeartbeatSeconds", new long[] {1, 7L * 24 * 3600});
        r.put("errorWindowSeconds", new long[] {1, 7L * 24 * 3600});
        r.put("linkValiditySeconds", new long[] {60, 365L * 24 * 3600});
        r.put("slotLeadSeconds", new long[] {0, 60L * 24 * 3600});
        r.put("slotWaitCapSeconds", new long[] {0, 60L * 24 * 3600});
        r.put("quietFromHour", new long[] {0, 23});
        r.put("quietToHour", new long[] {0, 23});
        r.put("halfDaySeconds", new long[] {0, 7L * 24 * 3600});
        r.put("downtimeAlertSeconds", new long[] {1, 24L * 3600});
        r.put("openReportsWaitSeconds", new long[] {1, 7L * 24 * 3600});
        return r;
    }

    /**
     * The heartbeat interval of a copy wait. Copy tooling on a webhook reports progress at
     * least this often; staff copying by hand send no heartbeats, so without a webhook the
     * interval is just below the wait's timeout and only the timeout matters.
     */
    public long copyHeartbeat(boolean webhook) {
        return webhook ? Math.min(copyHeartbeatSeconds, copyTimeoutSeconds - 1) : copyTimeoutSeconds - 1;
    }

    /** Whether a customer may be reminded at this local hour. */
    public boolean quiet(int localHour) {
        if (quietFromHour == quietToHour) {
            return false;
        }
        return quietFromHour < quietToHour ? localHour >= quietFromHour && localHour < quietToHour
                : localHour >= quietFromHour || localHour < quietToHour;
    }

    public static List<String> fieldNames() {
        return List.copyOf(RANGES.keySet());
    }

    /** Reads overrides from the execution input, reporting every bad one. */
    static Timing parse(JsonNode node, Validation v) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return DEFAULTS;
        }
        if (!node.isObject()) {
            v.error("timing", "must be an object of seconds, e.g. {\"customerReminderSeconds\": 600}");
            return DEFAULTS;
        }
        Map<String, Long> values = new LinkedHashMap<>();
        JsonNode defaults = Json.tree(DEFAULTS);
        RANGES.keySet().forEach(name -> values.put(name, defaults.get(name).asLong()));
        node.fieldNames().forEachRemaining(name -> {
            long[] range = RANGES.get(name);
            JsonNode value = node.get(name);
            if (range == null) {
                v.error("timing." + name, "is not a known timing; known are " + String.join(", ", RANGES.keySet()));
            } else if (!value.isIntegralNumber()) {
                v.error("timing." + name, "must be a whole number of seconds");
            } else if (value.asLong() < range[0] || value.asLong() > range[1]) {
                v.error("timing." + name, "must be between " + range[0] + " and " + range[1]);
            } else {
                values.put(name, value.asLong());
            }
        });
        return new Timing(values.get("customerReminderSeconds"), values.get("staffReminderSeconds"),
                values.get("goLiveReminderSeconds"), values.get("maxReminders").intValue(), values.get("dnsPollSeconds"), values.get("copyTimeoutSeconds"),
                values.get("copyHeartbeatSeconds"),
                values.get("errorWindowSeconds"), values.get("linkValiditySeconds"), values.get("slotLeadSeconds"),
                values.get("slotWaitCapSeconds"), values.get("quietFromHour").intValue(), values.get("quietToHour").intValue(),
                values.get("halfDaySeconds"), values.get("downtimeAlertSeconds"), values.get("openReportsWaitSeconds"));
    }
}
