package de.shopmigration.local;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The sandbox's sample shops, one hosted zone each. Every migration the sandbox starts, from the
 * inbox or with the AWS CLI, gets a domain no running migration holds: the workflow refuses a
 * second running migration of the same domain (its "original" TTLs would be the lowered ones).
 */
final class SampleShops {

    static final int COUNT = 12;
    /** Where the sample shops' names point before the switch: their old server. */
    static final String OLD_IP = "203.0.113.10";
    /** A domain handed out for a CLI run is kept back this long, until the run shows up as RUNNING. */
    private static final Duration HANDED_OUT = Duration.ofSeconds(30);

    private final LocalCloud cloud;
    private final String timing;
    private final Map<String, String> zoneIds = new LinkedHashMap<>();
    private final Map<String, Instant> handedOut = new HashMap<>();

    private SampleShops(LocalCloud cloud, String timing) {
        this.cloud = cloud;
        this.timing = timing;
    }

    /** Creates the zones: muster-shop.example, muster-shop-2.example, ... (before the deployment, which lists them). */
    static SampleShops create(LocalCloud cloud, String timing) {
        SampleShops shops = new SampleShops(cloud, timing);
        for (String domain : domains()) {
            Map<String, String> records = new LinkedHashMap<>();
            records.put(domain + ".", OLD_IP);
            records.put("www." + domain + ".", OLD_IP);
            shops.zoneIds.put(domain, cloud.createZone(domain + ".", records, 3600));
        }
        return shops;
    }

    /** The sample shops' domains: muster-shop.example, muster-shop-2.example, ... */
    static List<String> domains() {
        List<String> domains = new ArrayList<>();
        for (int i = 1; i <= COUNT; i++) {
            domains.add(i == 1 ? "muster-shop.example" : "muster-shop-" + i + ".example");
        }
        return domains;
    }

    /** Every host name of the sample shops: each domain and its www. */
    static List<String> hostNames() {
        List<String> names = new ArrayList<>();
        for (String domain : domains()) {
            names.add(domain);
            names.add("www." + domain);
        }
        return names;
    }

    List<String> zoneIds() {
        return List.copyOf(zoneIds.values());
    }

    /** An execution input for a sample shop no running migration holds. */
    synchronized String nextInput() {
        Set<String> held = heldDomains();
        Instant now = Instant.now();
        handedOut.values().removeIf(at -> at.plus(HANDED_OUT).isBefore(now));
        for (Map.Entry<String, String> shop : zoneIds.entrySet()) {
            if (!held.contains(shop.getKey()) && !handedOut.containsKey(shop.getKey())) {
                handedOut.put(shop.getKey(), now);
                return SampleMigration.input(shop.getKey(), shop.getValue(), timing, "\"optimisationOrdered\": false");
            }
        }
        throw new IllegalStateException("All " + COUNT + " sample shops are in running migrations: let one finish or stop it first");
    }

    private Set<String> heldDomains() {
        Set<String> held = new HashSet<>();
        try (SfnClient sfn = cloud.sfn()) {
            for (ExecutionListItem e : sfn.listExecutionsPaginator(b -> b.stateMachineArn(cloud.stateMachineArn())
                    .statusFilter(ExecutionStatus.RUNNING)).executions()) {
                JsonNode input = Json.read(sfn.describeExecution(b -> b.executionArn(e.executionArn())).input());
                input.path("domains").forEach(d -> held.add(d.path("name").asText()));
            }
        }
        return held;
    }
}
