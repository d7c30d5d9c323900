package de.shopmigration.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.InvalidMigrationRequest;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.Link;
import de.shopmigration.core.MigrationRequest;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.Validation;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.NoSuchHostedZoneException;

/**
 * The first state of every migration: checks the whole request (including that each hosted
 * zone exists and holds its domain) before anything is sent or changed, then opens the record.
 */
public final class Intake {

    /** Status and abort links live as long as any migration reasonably can. */
    static final Duration STANDING_LINK_VALIDITY = Duration.ofDays(180);

    private final Collaborators services;
    private final Route53Client route53;
    private final InputSchema schema;

    public Intake(Collaborators services, Route53Client route53) {
        this.services = services;
        this.route53 = route53;
        this.schema = InputSchema.load();
    }

    /** SnapStart priming: a valid request through the schema and the parser, and a read of one allowed zone. */
    public void prime() {
        services.prime(false);
        JsonNode sample = Json.tree(Collaborators.primingRecord().request());
        ((com.fasterxml.jackson.databind.node.ObjectNode) sample).remove(List.of("migrationId", "copy"));
        parser().parse(sample, "PRIMING-1", new Validation());
        services.allowedZones().stream().findFirst().ifPresent(zone -> route53.getHostedZone(b -> b.id(zone)));
    }

    /** Documentation addresses (198.51.100.0/24, ...) count as public only where ALLOW_DOCUMENTATION_ADDRESSES says so: the local cloud. */
    private RequestParser parser() {
        return new RequestParser(schema, services.allowedZones(), services.documentationAddressesArePublic());
    }

    /**
     * @return the state the state machine carries: id, timing and the loop counters
     * @throws InvalidMigrationRequest naming every bad field; nothing has been written then
     */
    public ObjectNode open(JsonNode input, String executionName) {
        // The parser runs the schema (shape errors, unknown fields) and adds what a schema cannot
        // say (public address, allowed zone, time zone), each field named once; then Route 53.
        Validation v = new Validation();
        MigrationRequest request = parser().parse(input, executionName, v);
        if (request != null) {
            checkHostedZones(request, v);
        }
        if (!v.ok()) {
            throw new InvalidMigrationRequest(v.errors());
        }
        Instant now = services.clock().instant();
        Map<String, String> proposed = new LinkedHashMap<>();
        proposed.put(Purpose.STATUS.name(), services.links().newId());
        proposed.put(Purpose.ABORT.name(), services.links().newId());
        // A retried intake keeps the ids of the first attempt; make sure their links exist.
        Map<String, String> standing = services.store().records().open(request, now, proposed);
        if (standing.equals(proposed)) {
            // This attempt opened the record (a retry gets the first attempt's link ids back): counted once.
            services.metrics().migrationStarted(request.migrationId());
        }
        standing.forEach((purpose, id) -> services.links().ensure(new Link(request.migrationId(), id,
                Purpose.valueOf(purpose), null, now, now.plus(STANDING_LINK_VALIDITY), null, null)));
        services.store().audit().add(request.migrationId(), new AuditEntry(now, "system", "migration opened",
                request.domains().size() + " domain(s), new server " + request.newIp(), null));
        return state(request, services.env().optional("COPY_WEBHOOK_URL").isPresent());
    }

    private void checkHostedZones(MigrationRequest request, Validation v) {
        List<MigrationRequest.Domain> domains = request.domains();
        for (int i = 0; i < domains.size(); i++) {
            MigrationRequest.Domain d = domains.get(i);
            // Only zones that passed the syntax and allow-list checks are worth asking Route 53 about.
            if (!d.inRoute53() || v.has("domains[" + i + "].hostedZoneId")) {
                continue;
            }
            try {
                String zone = route53.getHostedZone(b -> b.id(d.hostedZoneId())).hostedZone().name();
                String zoneName = zone.endsWith(".") ? zone.substring(0, zone.length() - 1) : zone;
                if (!d.name().equals(zoneName) && !d.name().endsWith("." + zoneName)) {
                    v.error("domains[" + i + "].hostedZoneId", "zone " + d.hostedZoneId() + " is " + zoneName
                            + ", which does not hold " + d.name());
                }
            } catch (NoSuchHostedZoneException e) {
                v.error("domains[" + i + "].hostedZoneId", "no hosted zone " + d.hostedZoneId() + " in this account");
            }
        }
    }

    /** The loop counters live in the execution state, so retries of a round repeat nothing. */
    static ObjectNode state(MigrationRequest request, boolean copyWebhook) {
        ObjectNode state = Json.object();
        state.put("migrationId", request.migrationId());
        state.set("timing", Json.tree(request.timing()));
        // Copy tooling on a webhook must show signs of life; staff copying by hand need not.
        state.putObject("copyWatch").put("heartbeatSeconds", request.timing().copyHeartbeat(copyWebhook));
        state.putObject("testRun").put("round", 1).put("reason", "FIRST");
        state.putObject("optimisation").put("done", false);
        state.putObject("initialCopy").put("round", 1);
        state.putObject("finalCopy").put("round", 1);
        state.putObject("goLiveCheck").put("round", 1);
        state.putObject("dnsReview").put("round", 1);
        state.putObject("switchAttempt").put("round", 1);
        state.putObject("externalAsk").put("round", 1);
        state.putObject("testSystemCheck").put("round", 1);
        state.putObject("goLiveSiteCheck").put("round", 1);
        state.putObject("switchSiteCheck").put("round", 1);
        return state;
    }
}
