package de.shopmigration.links;

import de.shopmigration.core.Audience;
import de.shopmigration.core.Link;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MissingConfiguration;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.mail.Notifier;
import de.shopmigration.core.mail.Texts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * The watch's rollback link (staff only): the DNS function puts the shop's records back to the
 * addresses from before the go-live at the lowered TTL (compare-and-swap), then the customer and
 * staff are told. The first click wins; a failed rollback changes nothing and can be tried again.
 */
final class DnsRollback {

    private final Collaborators services;
    private final Supplier<LambdaClient> lambda;
    private final Optional<String> dnsFunction;
    private final PageViews views;
    private final PageAudit audit;

    DnsRollback(Collaborators services, Supplier<LambdaClient> lambda, Optional<String> dnsFunction, PageViews views, PageAudit audit) {
        this.services = services;
        this.lambda = lambda;
        this.dnsFunction = dnsFunction;
        this.views = views;
        this.audit = audit;
    }

    HttpResult rollback(Link link, MigrationRecord record, Forms.Checked checked, LinkPages.Request request, Instant now, Texts t) {
        String id = record.migrationId();
        String function = dnsFunction.orElseThrow(() -> new MissingConfiguration("DNS_FUNCTION_ARN"));
        if (!services.store().siteChecks().markRolledBack(id, "staff", now)) {
            return views.message(409, t.language(), "error.used", record, "info", link);
        }
        InvokeResponse response = lambda.get().invoke(b -> b.functionName(function)
                .payload(SdkBytes.fromUtf8String("{\"operation\":\"SWITCH_BACK\",\"migrationId\":\"" + id + "\"}")));
        if (response.functionError() != null) {
            services.store().siteChecks().unmarkRolledBack(id);
            String error = response.payload() == null ? response.functionError()
                    : de.shopmigration.core.json.Json.read(response.payload().asString(StandardCharsets.UTF_8)).path("errorType")
                    .asText(response.functionError());
            audit.audit(record, "staff", "DNS rollback failed", error, request, now);
            return views.message(502, t.language(), "error.rollback", record, "error", link, Map.of("error", error));
        }
        int switchedBack = de.shopmigration.core.json.Json.read(response.payload().asString(StandardCharsets.UTF_8)).path("switchedBack").asInt(0);
        if (switchedBack == 0) {
            // Nothing held the new server's address any more (changed by hand since the switch): nothing was changed.
            services.store().siteChecks().unmarkRolledBack(id);
            audit.audit(record, "staff", "DNS rollback changed nothing", "no record holds the new server's address", request, now);
            return views.message(409, t.language(), "error.rollback.nothing", record, "info", link);
        }
        services.store().links().use(link, request.sourceIp(), now);
        String note = checked.values().get("note");
        audit.audit(record, "staff", "DNS switched back to the old server (watch alert)", note == null || note.isBlank() ? null : note, request, now);
        Notifier notifier = new Notifier(services);
        notifier.send(record, Audience.CUSTOMER, "DNS_ROLLED_BACK", "DNS_ROLLED_BACK", "notice.DNS_ROLLED_BACK", Map.of(), List.of(),
                List.of(), List.of());
        notifier.send(record, Audience.STAFF, "DNS_ROLLED_BACK_STAFF", "DNS_ROLLED_BACK_STAFF", "notice.DNS_ROLLED_BACK_STAFF",
                Map.of("at", TimeFormats.human(now, notifier.texts(record, Audience.STAFF).language())), List.of(), List.of(), List.of());
        return views.message(200, t.language(), "page.done.ROLLBACK_DNS", record, "success", link);
    }
}
