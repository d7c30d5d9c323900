package de.shopmigration.core.mail;

import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the customer reaches the test system before the DNS switch, step by step, for the test
 * run's email and checklist and for the check after the final copy. With a preview URL the
 * customer just opens it; with the new cluster's address, the customer's own computer is
 * pointed there through hosts-file entries for every moving host (Windows, macOS, Linux), to be
 * removed afterwards; visitors keep seeing the old shop meanwhile. A password-protected test
 * system gets its user name; the password is never in an email: it comes separately.
 */
public final class TestAccessGuide {

    /** When the customer needs the way in: the test run (phase 3) or the check before the DNS switch (phase 6). */
    public enum Occasion { TEST_RUN, GO_LIVE_CHECK }

    private TestAccessGuide() {
    }

    public static Guide of(MigrationRecord record, Texts t, Map<String, String> values, Occasion occasion) {
        MigrationRecord.TestAccess access = record.effectiveTestAccess();
        Map<String, String> v = new HashMap<>(values);
        List<String> hosts = record.request().hostsThatMove();
        v.put("host", hosts.get(0));
        String o = occasion.name();
        List<Guide.Step> steps = new ArrayList<>();
        String lead;
        if (access.url() != null) {
            lead = t.get("access.url.lead." + o, v);
            steps.add(new Guide.Step(t.get("access.url.open", v), List.of(access.url())));
        } else {
            v.put("ip", access.ip());
            lead = t.get("access.hosts.lead." + o, v);
        }
        if (access.url() != null && access.ip() != null) {
            v.put("ip", access.ip());
            steps.add(new Guide.Step(t.get("access.hosts.alternative", v)));
        }
        if (access.ip() != null) {
            List<String> entries = hosts.stream().map(h -> access.ip() + " " + h).toList();
            steps.add(new Guide.Step(t.get("access.hosts.entries", v), entries));
            steps.add(new Guide.Step(t.get("access.hosts.windows", v), List.of("C:\\Windows\\System32\\drivers\\etc\\hosts")));
            steps.add(new Guide.Step(t.get("access.hosts.unix", v), List.of("sudo nano /etc/hosts", "sudo killall -HUP mDNSResponder")));
            steps.add(new Guide.Step(t.get("access.hosts.browser", v)));
        }
        if (access.user() != null) {
            steps.add(new Guide.Step(t.get("access.login", v), List.of(access.user())));
        }
        if (access.ip() != null) {
            steps.add(new Guide.Step(t.get("access.hosts.remove." + o, v)));
        }
        return new Guide(t.get("access.heading." + o, v), lead, steps);
    }

}
