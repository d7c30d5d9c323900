package de.shopmigration.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The template parameters the tests deploy with. */
final class TestDeployment {
    static final String LINK_SECRET = "test-secret-0123456789-abcdefghijklmnop";

    private TestDeployment() {
    }

    static Map<String, Object> parameters(List<String> zoneIds) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("SenderEmail", "umzug@hosting.example");
        p.put("StaffEmail", "team@hosting.example");
        p.put("ProviderName", "Muster Hosting");
        p.put("HostedZoneIds", zoneIds);
        p.put("LinkSecret", LINK_SECRET);
        return p;
    }
}
