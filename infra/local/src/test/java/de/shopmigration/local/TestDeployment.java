package de.shopmigration.local;

import java.util.List;
import java.util.Map;

/**
 * The template parameters the tests deploy with. The shared cloud's stack generates its link
 * secret (tests read it with {@link LocalCloud#linkSecret}); the copy-webhook cloud is deployed
 * with an operator's own secret ({@code ExistingLinkSecretArn}) holding this value, as after an
 * upgrade that carried the former LinkSecret parameter's value over.
 */
final class TestDeployment {
    static final String OPERATOR_LINK_SECRET = "test-secret-0123456789-abcdefghijklmnop";

    private TestDeployment() {
    }

    static Map<String, Object> parameters(List<String> zoneIds) {
        Map<String, Object> p = SampleMigration.parameters(zoneIds);
        // The shared clouds' sample shops have no web servers; SiteCheckCloudTest deploys one with nginx and the checks on.
        p.put("SiteChecks", "Disabled");
        return p;
    }
}
