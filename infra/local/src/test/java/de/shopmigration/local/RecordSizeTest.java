package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.store.ErrorReports;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.intake.RequestParser;
import de.shopmigration.core.Rounds;
import de.shopmigration.core.Step;
import de.shopmigration.dns.DnsLifecycle;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The migration record is one DynamoDB item, and DynamoDB refuses items over 400 KB; a record
 * that reached it would fail every further write of its migration. This builds the largest
 * record the input, the forms and the workflow allow (every text at its longest, in 3-byte
 * characters; every step at {@link Rounds#MAX} rounds; the most hosts and values; the longest
 * error cause Step Functions passes on) and sizes it by DynamoDB's rules. Error reports, which
 * a customer can repeat, and bounces, which SES can repeat, are items of their own
 * ({@link ErrorReports}, {@code MigrationStore.noteEmailProblem}) and not in it.
 */
class RecordSizeTest {

    static final int ITEM_LIMIT = 400 * 1024;
    /** The longest cause Step Functions hands to a Catch (a failed task's error cause). */
    static final int LONGEST_CAUSE = 32_768;

    private static String text(int characters) {
        return "€".repeat(characters);
    }

    @Test
    void theLargestRecordTheWorkflowCanWriteFitsDynamoDbsItemLimitWithRoomToSpare() {
        ObjectNode r = Json.object();
        r.put("pk", "MIGRATION#" + "M".repeat(80)).put("sk", "RECORD").put("migrationId", "M".repeat(80)).put("status", "ABORTING")
                .put("currentPhase", 7).put("createdAt", "2026-12-03T10:15:30.123456789Z");
        ArrayNode phases = r.putArray("phaseLog");
        for (int i = 0; i < 7 * Rounds.MAX; i++) {
            phases.addObject().put("phase", 7).put("at", "2026-12-03T10:15:30.123456789Z");
        }
        r.set("request", request());
        r.set("answers", answers());
        r.set("dns", dns());
        ArrayNode slots = r.putArray("slotOffer");
        for (int i = 0; i < 60; i++) {
            slots.addObject().put("start", "2026-12-10T08:00:00Z").put("end", "2026-12-10T12:00:00Z").put("recommended", true);
        }
        ObjectNode booking = r.putObject("booking").put("start", "2026-12-10T08:00:00Z").put("end", "2026-12-10T12:00:00Z")
                .put("bookedAt", "2026-12-03T10:15:30Z").put("startGoLiveAt", "2026-12-10T08:00:00Z").put("remindAt", "2026-12-09T08:00:00Z");
        // The most hours a booking can hold (OfficeHours.MAX_CELLS: one transaction).
        ArrayNode cells = booking.putArray("cells");
        for (int i = 0; i < de.shopmigration.core.OfficeHours.MAX_CELLS; i++) {
            cells.add("2026-12-10T08:05:00.123456789Z");
        }
        r.putObject("downtime").put("startedAt", "2026-12-10T08:05:00Z").put("endedAt", "2026-12-10T09:05:00Z").put("seconds", 3600);
        ArrayNode copies = r.putArray("copies");
        ArrayNode decisions = r.putArray("decisions");
        for (int round = 0; round < Rounds.MAX; round++) {
            for (String mode : new String[] {"initial", "final"}) {
                copies.addObject().put("mode", mode).put("result", "FAILED").put("files", Long.MAX_VALUE).put("bytes", Long.MAX_VALUE)
                        .put("tables", Long.MAX_VALUE).put("databaseBytes", Long.MAX_VALUE).put("durationSeconds", Long.MAX_VALUE)
                        .put("reason", text(MigrationRecord.SUMMARY_LENGTH)).put("at", "2026-12-03T10:15:30.123456789Z");
            }
            for (Step step : Step.values()) {
                // A decision keeps the start of its text; the whole text is in the wait's own item.
                decisions.addObject().put("step", step.name()).put("round", round + 1).put("decision", "PROBLEMS_FOUND")
                        .put("description", text(MigrationRecord.SUMMARY_LENGTH)).put("by", "copy tooling").put("at", "2026-12-03T10:15:30.123456789Z");
            }
        }
        // The test access staff entered with the newest copy: a URL's path may hold 3-byte characters.
        r.putObject("testAccess").put("url", text(MigrationRecord.TestAccess.MAX_URL)).put("ip", "f".repeat(MigrationRecord.TestAccess.MAX_IP))
                .put("user", "u".repeat(MigrationRecord.TestAccess.MAX_USER)).put("at", "2026-12-03T10:15:30.123456789Z");
        r.put("openWait", "GO_LIVE_CHECK#6");
        // A staff member's reason and message to the customer (the form takes 2,000 characters each),
        // or a failure's cause as the cleanup keeps it (2,000).
        for (String abort : new String[] {"abort", "abortRequest"}) {
            r.putObject(abort).put("reason", text(2000)).put("by", "staff (console)").put("at", "2026-12-03T10:15:30Z")
                    .put("customerMessage", text(2000));
        }
        r.putObject("failure").put("error", text(256)).put("cause", text(LONGEST_CAUSE));
        r.put("closedAt", "2026-12-03T10:15:30Z").put("errorWindowEndsAt", "2026-12-03T10:15:30Z");
        r.putObject("standingLinks").put("STATUS", "x".repeat(22)).put("ABORT", "x".repeat(22)).put("REPORT_ERROR", "x".repeat(22));
        r.put("reportCount", ErrorReports.PER_MIGRATION).put("externalSwitchLookups", Long.MAX_VALUE);
        // Bounces and complaints are items of their own; the record keeps the two marks of an unreachable address.
        for (String mark : new String[] {"customerUnreachable", "staffUnreachable"}) {
            r.putObject(mark).put("address", "e".repeat(320)).put("event", "Complaint").put("bounceType", "Undetermined")
                    .put("bounceSubType", "OnAccountSuppressionList").put("diagnostic", text(MigrationRecord.MARK_DIAGNOSTIC_LENGTH))
                    .put("at", "2026-12-03T10:15:30.123456789Z").put("problemId", "f".repeat(200) + "-0");
        }
        r.put("customerEmailCorrections", Long.MAX_VALUE);

        long size = itemSize(r);
        StringBuilder parts = new StringBuilder();
        r.fields().forEachRemaining(e -> parts.append(String.format("  %-22s %8d%n", e.getKey(), e.getKey().length() + valueSize(e.getValue()))));
        System.out.println("largest migration record: " + size + " bytes of " + ITEM_LIMIT + "\n" + parts);
        assertThat(size).as("the largest record, by DynamoDB's item size rules").isLessThan((long) (ITEM_LIMIT * 0.95));
    }

    private static ObjectNode request() {
        ObjectNode q = Json.object();
        q.put("migrationId", "M".repeat(80));
        q.putObject("customer").put("name", text(200)).put("company", text(200)).put("email", "e".repeat(254)).put("language", "de")
                .put("timeZone", "America/Argentina/ComodRivadavia");
        q.putObject("staff").put("name", text(200)).put("email", "e".repeat(254));
        q.put("shopName", text(200));
        ArrayNode domains = q.putArray("domains");
        int hosts = RequestParser.MAX_HOSTS_PER_MIGRATION;
        for (int d = 0; d < 20; d++) {
            ObjectNode domain = domains.addObject().put("name", "d".repeat(253)).put("hostedZoneId", "Z".repeat(32));
            ArrayNode records = domain.putArray("records");
            for (int h = 0; h < hosts / 20 + 1; h++) {
                records.add("h".repeat(253));
            }
        }
        q.put("newIp", "255.255.255.255").put("newIpv6", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").put("targetTtl", 3600)
                .put("optimisationOrdered", true);
        ObjectNode timing = q.putObject("timing");
        for (String field : de.shopmigration.core.Timing.fieldNames()) {
            timing.put(field, Long.MAX_VALUE);
        }
        ObjectNode copy = q.putObject("copy");
        for (String side : new String[] {"source", "target"}) {
            copy.putObject(side).put("files", text(1024)).putObject("database").put("name", "n".repeat(64)).put("connection", "c".repeat(64));
        }
        return q;
    }

    private static ObjectNode answers() {
        ObjectNode a = Json.object();
        Map<String, Integer> longest = Map.ofEntries(Map.entry("currentProvider", 100), Map.entry("access", 1000),
                Map.entry("shopSystem", 40), Map.entry("shopVersion", 40), Map.entry("phpVersion", 10), Map.entry("databaseEngine", 40),
                Map.entry("interfaces", 2000), Map.entry("cronJobs", 2000), Map.entry("emailHosting", 40), Map.entry("tlsCertificates", 40),
                Map.entry("contactName", 100), Map.entry("contactPhone", 30), Map.entry("preferredWindows", 500), Map.entry("notes", 2000),
                Map.entry("importantPages", 2000), Map.entry("markerText", 100));
        longest.forEach((field, max) -> a.put(field, text(max)));
        a.put("databaseSizeGb", new java.math.BigDecimal("100000.999")).put("fileSizeGb", new java.math.BigDecimal("100000.999"))
                .put("interfacesAllowlist", true).put("optimisationOrdered", true);
        ObjectNode dns = a.putObject("dnsProviders");
        for (int d = 0; d < 20; d++) {
            dns.put("d".repeat(250) + d, text(100));
        }
        return a;
    }

    private static ObjectNode dns() {
        ObjectNode dns = Json.object();
        ObjectNode originals = dns.putObject("originals");
        dns.putObject("external");
        ArrayNode skipped = dns.putArray("skipped");
        // Every moving host in Route 53: an original is larger than what is kept of a host elsewhere.
        for (int h = 0; h < RequestParser.MAX_HOSTS_PER_MIGRATION; h++) {
            for (String type : new String[] {"A", "AAAA"}) {
                String name = h + "h".repeat(250);
                ArrayNode values = Json.array();
                for (int v = 0; v < DnsLifecycle.MAX_VALUES_PER_RECORD; v++) {
                    values.add("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
                }
                ObjectNode o = originals.putObject(name + "|" + type).put("zoneId", "Z".repeat(32)).put("name", name).put("type", type)
                        .put("ttl", Long.MAX_VALUE);
                o.set("values", values);
                skipped.add(name + "|" + type + ": more than " + DnsLifecycle.MAX_VALUES_PER_RECORD + " values, change it by hand");
            }
        }
        ArrayNode problems = dns.putArray("problems");
        for (int d = 0; d < 20; d++) {
            problems.add("d".repeat(253) + " is still delegated to " + "ns.example,".repeat(20) + " and its TTL of 2147483647 s has not run out");
        }
        dns.put("mismatch", text(2000));
        for (String at : new String[] {"loweredAt", "switchedAt", "restoredAt", "switchedBackAt", "earliestGoLive"}) {
            dns.put(at, "2026-12-03T10:15:30.123456789Z");
        }
        return dns;
    }

    /**
     * An item's size as DynamoDB counts it: each attribute's name in UTF-8 plus its value; a
     * string its UTF-8 length, a number up to 21 bytes, a map or list 3 bytes plus one per
     * element plus the elements (a map's keys counted as names), booleans and nulls one byte.
     */
    static long itemSize(JsonNode item) {
        long size = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            size += e.getKey().getBytes(StandardCharsets.UTF_8).length + valueSize(e.getValue());
        }
        return size;
    }

    private static long valueSize(JsonNode v) {
        if (v.isTextual()) {
            return v.asText().getBytes(StandardCharsets.UTF_8).length;
        }
        if (v.isNumber()) {
            return 21;
        }
        if (v.isObject()) {
            long size = 3;
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                size += 1 + e.getKey().getBytes(StandardCharsets.UTF_8).length + valueSize(e.getValue());
            }
            return size;
        }
        if (v.isArray()) {
            long size = 3;
            for (JsonNode e : v) {
                size += 1 + valueSize(e);
            }
            return size;
        }
        return 1;
    }
}
