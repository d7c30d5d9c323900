package de.shopmigration.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployment parameters and the execution input the local cloud's users share: the
 * sandbox, the tests and the benchmarks deploy the same way and start the same kind of
 * migration (Erika Mustermann's shop, one domain in Route 53, a new server at 198.51.100.20).
 */
public final class SampleMigration {

    public static final String CUSTOMER = "erika@muster-shop.example";
    public static final String STAFF = "team@hosting.example";

    /** Compressed time; quiet hours off, so nothing depends on the hour it runs at. */
    public static final String FAST = """
            {"customerReminderSeconds": 600, "staffReminderSeconds": 600, "goLiveReminderSeconds": 600,
             "dnsPollSeconds": 1, "errorWindowSeconds": 3, "slotLeadSeconds": 0, "slotWaitCapSeconds": 2,
             "quietFromHour": 0, "quietToHour": 0, "openReportsWaitSeconds": 3}""";

    private SampleMigration() {
    }

    /** The link secret is the stack's own, generated (LocalCloud.linkSecret() reads it). */
    public static Map<String, Object> parameters(List<String> zoneIds) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("SenderEmail", "umzug@hosting.example");
        p.put("StaffEmail", STAFF);
        p.put("ProviderName", "Muster Hosting");
        p.put("HostedZoneIds", zoneIds);
        // Not the defaults, so the tests see the parameters reach the code.
        p.put("DataRetentionDays", 7);
        p.put("AuditRetentionDays", 400);
        return p;
    }

    /** The sample's new server: a documentation address (the local cloud's site checks reach it at a loopback stand-in). */
    public static final String NEW_IP = "198.51.100.20";

    /** A valid execution input for one domain in one hosted zone; {@code extra} is spliced in as JSON fields. */
    public static String input(String domain, String zoneId, String timing, String extra) {
        return """
                {
                  "customer": {"name": "Erika Mustermann", "company": "Muster GmbH", "email": "%s", "language": "de"},
                  "staff": {"name": "Max Admin", "email": "%s"},
                  "shopName": "Muster-Shop",
                  "domains": [{"name": "%s", "hostedZoneId": "%s"}],
                  "newIp": "%s",
                  %s
                  "timing": %s
                }
                """.formatted(CUSTOMER, STAFF, domain, zoneId, NEW_IP, extra == null ? "" : extra + ",", timing);
    }
}
