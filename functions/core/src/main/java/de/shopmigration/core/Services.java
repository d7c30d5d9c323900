package de.shopmigration.core;

import de.shopmigration.core.mail.Mailer;
import de.shopmigration.core.mail.MailSettings;
import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What almost every function needs, built once per container from its environment: the store,
 * the link minting, the mailer and a clock. Functions that also need Route 53 or Step Functions
 * build those clients from {@link #aws()}.
 */
public record Services(Env env, Clock clock, AwsClients aws, MigrationStore store, Links links, Mailer mailer) {

    public static Services from(Env env) {
        return from(env, Clock.systemUTC());
    }

    public static Services from(Env env, Clock clock) {
        AwsClients aws = new AwsClients(env);
        MigrationStore store = new MigrationStore(aws.dynamoDb(), env.require("TABLE_NAME"));
        Links links = new Links(store, new LinkSigner(env.require("LINK_SECRET")), env.optional("LINK_BASE_URL").orElse(""));
        Mailer mailer = new Mailer(aws.sesV2(), store, MailSettings.from(env), clock);
        return new Services(env, clock, aws, store, links, mailer);
    }

    /** The hosted zones this deployment may change (template parameter HostedZoneIds). */
    public Set<String> allowedZones() {
        return env.optional("HOSTED_ZONE_IDS").map(v -> Arrays.stream(v.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
    }
}
