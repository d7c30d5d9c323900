package de.shopmigration.sitecheck;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.SiteCheckRun;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.lambda.JsonHandler;
import de.shopmigration.core.lambda.Lazy;
import de.shopmigration.core.lambda.Priming;
import de.shopmigration.dns.DnsLookup;
import java.time.Instant;
import org.apache.hc.core5.util.Timeout;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/**
 * The site checks of the state machine and the watch's schedule: input {operation, migrationId,
 * kind?, round?, endsAt?}. CHECK runs one check where the plan puts it (kind TEST_SYSTEM,
 * GO_LIVE, AFTER_SWITCH); START_WATCH, WATCH (the schedule's tick) and STOP_WATCH run the watch
 * through the error window.
 */
public final class SiteCheckHandler extends JsonHandler {

    private final SiteCheckSteps steps;
    private final Watch watch;

    public SiteCheckHandler() {
        this(Env.system());
    }

    public SiteCheckHandler(Env env) {
        this(Collaborators.from(env), SiteSettings.from(env));
    }

    private SiteCheckHandler(Collaborators services, SiteSettings settings) {
        this(create(services, settings), services, settings);
        Priming.beforeSnapshot("SiteCheckFunction", () -> services.prime(true));
    }

    private SiteCheckHandler(SiteCheckSteps steps, Collaborators services, SiteSettings settings) {
        this(steps, new Watch(services, settings, steps, new WatchSchedule(
                Lazy.of(() -> services.aws().configure(SchedulerClient.builder()).build()),
                services.env().optional("SITE_WATCH_GROUP").orElse("default"),
                services.env().optional("SITE_WATCH_TARGET_ARN").orElse(""),
                services.env().optional("SITE_WATCH_ROLE_ARN").orElse(""))));
    }

    public SiteCheckHandler(SiteCheckSteps steps, Watch watch) {
        this.steps = steps;
        this.watch = watch;
    }

    static SiteCheckSteps create(Collaborators services, SiteSettings settings) {
        Timeout timeout = Timeout.of(settings.timeout());
        SiteCheck check = new SiteCheck((address, hosts) -> new SiteFetcher(address, hosts, settings.httpsPort(), settings.tls(), timeout),
                new TlsCheck(settings.trust(), settings.httpsPort(), settings.timeout(), services.clock()));
        return new SiteCheckSteps(services, settings, check, Lazy.of(() -> DnsLookup.fromSetting(
                services.env().optional("DNS_RESOLVERS").orElse(""), services.env().optional("DNS_PORT").orElse("53"))));
    }

    @Override
    protected Object handle(JsonNode input) {
        String id = input.get("migrationId").asText();
        String operation = input.get("operation").asText();
        return switch (operation) {
            case "CHECK" -> steps.run(id, SiteCheckRun.Kind.valueOf(input.get("kind").asText()), input.path("round").asInt(1));
            case "START_WATCH" -> watch.start(id, Instant.parse(input.get("endsAt").asText()));
            case "WATCH" -> watch.tick(id);
            case "STOP_WATCH" -> watch.stop(id);
            default -> throw new IllegalArgumentException("Unknown site check operation " + operation);
        };
    }
}
