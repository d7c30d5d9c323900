package de.shopmigration.dns;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.lambda.Priming;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.lambda.JsonHandler;
import de.shopmigration.core.lambda.Lazy;
import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.core.lambda.Collaborators;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * Every DNS state of the state machine: input {operation, migrationId, changeIds?}. One
 * function for all of them keeps one warm container and one Route 53 policy.
 */
public final class DnsHandler extends JsonHandler {

    private final DnsLifecycle dns;
    private final MigrationStore store;

    public DnsHandler() {
        this(Env.system());
    }

    public DnsHandler(Env env) {
        this(Collaborators.from(env));
    }

    private DnsHandler(Collaborators services) {
        this(create(services), services.store());
        Priming.beforeSnapshot("DnsFunction", () -> {
            services.prime(false);
            dns.prime(services.allowedZones().stream().findFirst());
        });
    }

    public DnsHandler(DnsLifecycle dns, MigrationStore store) {
        this.dns = dns;
        this.store = store;
    }

    public static DnsLifecycle create(Collaborators services) {
        return new DnsLifecycle(services.aws().configureGlobal(Route53Client.builder()).build(), services.store(), services.clock(),
                Lazy.of(() -> DnsLookup.fromSetting(services.env().optional("DNS_RESOLVERS").orElse(""),
                        services.env().optional("DNS_PORT").orElse("53"))), services.metrics());
    }

    @Override
    protected Object handle(JsonNode input) {
        String id = input.get("migrationId").asText();
        String operation = input.get("operation").asText();
        return switch (operation) {
            case "LOWER_TTL" -> dns.lowerTtls(id);
            case "CHECK_SYNC" -> dns.checkSync(id, input.get("of").asText(), changeIds(input), input.path("pollSeconds").asLong(30));
            case "VERIFY" -> dns.verify(id);
            case "SWITCH" -> dns.switchToNewServer(id);
            case "RESTORE_TTL" -> dns.restoreTtls(id);
            case "ROLLBACK" -> dns.rollback(id);
            case "SWITCH_BACK" -> dns.switchBack(id);
            case "CHECK_EXTERNAL" -> dns.checkExternalSwitch(id);
            case "MEASURE_DOWNTIME" -> dns.measureDowntime(id);
            // The close-out's last step: the record is COMPLETED and the TTLs are back, so other migrations may take the names.
            case "RELEASE_DOMAINS" -> Json.object().put("migrationId", id)
                    .put("domainsReleased", store.domainHolds().release(store.records().get(id)));
            default -> throw new IllegalArgumentException("Unknown DNS operation " + operation);
        };
    }

    private static List<String> changeIds(JsonNode input) {
        List<String> ids = new ArrayList<>();
        input.path("changeIds").forEach(n -> ids.add(n.asText()));
        return ids;
    }
}
