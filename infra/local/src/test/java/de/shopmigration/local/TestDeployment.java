package de.shopmigration.local;

import java.util.List;
import java.util.Map;

/** The template parameters the tests deploy with. */
final class TestDeployment {
    static final String LINK_SECRET = "test-secret-0123456789-abcdefghijklmnop";

    private TestDeployment() {
    }

    static Map<String, Object> parameters(List<String> zoneIds) {
        return SampleMigration.parameters(zoneIds, LINK_SECRET);
    }
}
