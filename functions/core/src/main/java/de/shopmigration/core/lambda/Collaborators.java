package de.shopmigration.core.lambda;

import de.shopmigration.core.Audience;
import de.shopmigration.core.Language;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.OfficeHours;
import de.shopmigration.core.Retention;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.links.LinkKeys;
import de.shopmigration.core.links.SecretsManagerSource;
import de.shopmigration.core.links.LinkSigner;
import de.shopmigration.core.links.Links;
import de.shopmigration.core.links.RandomIds;
import de.shopmigration.core.store.MigrationStore;

import de.shopmigration.core.mail.Mailer;
import de.shopmigration.core.mail.MailSettings;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What almost every function needs, built once per container from its environment: the store,
 * the link minting, the mailer, a clock, the metric lines (no client: they go to standard
 * output) and the go-live office hours. Functions that also need Route 53 or Step Functions
 * build those clients from {@link #aws()}.
 */
public record Collaborators(Env env, Clock clock, AwsClients aws, MigrationStore store, Links links, Mailer mailer, Metrics metrics,
                       OfficeHours officeHours) {

    public static Collaborators from(Env env) {
        return from(env, Clock.systemUTC());
    }

    public static Collaborators from(Env env, Clock clock) {
        // Checked first: a bad office-hours parameter stops the function's start with the parameter's name.
        OfficeHours officeHours = OfficeHours.from(env);
        AwsClients aws = new AwsClients(env);
        MigrationStore store = new MigrationStore(aws.dynamoDb(), env.require("TABLE_NAME"), new RandomIds(), Retention.from(env));
        Links links = new Links(store, new LinkSigner(linkKeys(env, aws)), env.optional("LINK_BASE_URL").orElse(""));
        Mailer mailer = new Mailer(Lazy.of(aws::sesV2), store, MailSettings.from(env), clock, links::newId);
        return new Collaborators(env, clock, aws, store, links, mailer, Metrics.from(env, clock), officeHours);
    }

    /**
     * The link secret's keys, read from Secrets Manager now (and after each SnapStart restore),
     * for a function template.yaml gives the secret's ARN (LINK_SECRET_ARN) and the grant to read
     * it; the functions that sign or verify nothing get neither, and no keys. The interval between
     * readings is real time, whatever clock the workflow runs on.
     */
    private static LinkKeys linkKeys(Env env, AwsClients aws) {
        return env.optional("LINK_SECRET_ARN")
                .map(arn -> LinkKeys.readInBackground(arn, secretSource(env, aws, arn), Clock.systemUTC()))
                .orElseGet(LinkKeys::none);
    }

    /** Only for the functions that read the secret: the others never load the source or its signer. */
    private static SecretsManagerSource secretSource(Env env, AwsClients aws, String arn) {
        String dnsSuffix = env.optional("PARTITION_DNS_SUFFIX").orElse("amazonaws.com");
        URI endpoint = aws.endpointOr(SecretsManagerSource.endpointFor(aws.region(), dnsSuffix));
        return new SecretsManagerSource(aws.http(), endpoint, aws.region(), aws.credentials(), arn);
    }

    /**
     * The same services minting links under another base URL: the link pages know theirs only
     * from the request (their function cannot be told the API's URL without a dependency circle).
     */
    public Collaborators withLinks(Links other) {
        return new Collaborators(env, clock, aws, store, other, mailer, metrics, officeHours);
    }

    /**
     * SnapStart priming shared by every function: a full migration record through the JSON
     * binding, a metric line built (not written), a DynamoDB read of an item that does not exist
     * and, for functions that send email, one email rendered (to nobody) and the SES client
     * built. Writes and sends nothing.
     */
    public void prime(boolean sendsEmail) {
        MigrationRecord record = primingRecord();
        Json.write(record);
        Json.write(metrics.line().migration(record.migrationId(), 1, Metrics.RUNNING).count(Metric.MIGRATIONS_STARTED).json());
        store.records().find("PRIMING-" + links.signer().newId());
        if (sendsEmail) {
            var texts = de.shopmigration.core.mail.Texts.of(Language.DE);
            mailer.prime(de.shopmigration.core.mail.Messages.compose(texts, "notice.CODE_FREEZE", Audience.CUSTOMER,
                    de.shopmigration.core.mail.Messages.values(record.request(), mailer.settings().providerName()), List.of(), List.of()));
        }
    }

    /** A migration record with every part a real one has (nothing is stored), for priming. */
    public static MigrationRecord primingRecord() {
        return Json.convert(Json.read(PRIMING_RECORD), MigrationRecord.class);
    }

    /** A record with every part a real one has, so priming binds them all. */
    private static final String PRIMING_RECORD = """
            {"migrationId": "PRIMING", "status": "RUNNING", "currentPhase": 5, "createdAt": "2026-01-05T08:00:00Z",
             "phaseLog": [{"phase": 1, "at": "2026-01-05T08:00:00Z"}],
             "request": {"migrationId": "PRIMING", "customer": {"name": "Erika Mustermann", "email": "erika@example.de", "language": "de"},
                         "shopName": "Muster-Shop", "domains": [{"name": "muster-shop.de", "hostedZoneId": "Z1", "records": ["muster-shop.de"]}],
                         "newIp": "198.51.100.20", "targetTtl": 300, "timing": {"customerReminderSeconds": 86400},
                         "copy": {"source": {"files": "/srv/old/", "database": {"name": "shop", "connection": "old"}},
                                  "target": {"files": "/srv/new/", "database": {"name": "shop", "connection": "new"}}}},
             "answers": {"shopSystem": "SHOPWARE"},
             "dns": {"originals": {"muster-shop.de|A": {"zoneId": "Z1", "name": "muster-shop.de", "type": "A", "ttl": 3600, "values": ["203.0.113.10"]}},
                     "loweredAt": "2026-01-05T08:01:00Z", "skipped": [], "external": {}, "problems": []},
             "booking": {"start": "2026-01-12T08:00:00Z", "end": "2026-01-12T12:00:00Z", "bookedAt": "2026-01-06T08:00:00Z",
                         "startGoLiveAt": "2026-01-12T08:00:00Z"},
             "slotOffer": [{"start": "2026-01-12T08:00:00Z", "end": "2026-01-12T12:00:00Z", "recommended": true}],
             "downtime": {"startedAt": "2026-01-12T08:05:00Z"},
             "copies": [{"mode": "initial", "result": "SUCCEEDED", "files": 1, "at": "2026-01-06T08:00:00Z"}],
             "testAccess": {"url": "https://vorschau.hosting.example/", "ip": "198.51.100.20", "user": "test", "at": "2026-01-06T08:00:00Z"},
             "decisions": [{"step": "QUESTIONNAIRE", "round": 1, "decision": "ANSWERED", "by": "customer", "at": "2026-01-05T09:00:00Z"}],
             "reports": [], "standingLinks": {"STATUS": "x"}}""";

    /** The hosted zones this deployment may change (template parameter HostedZoneIds). */
    public Set<String> allowedZones() {
        return env.optional("HOSTED_ZONE_IDS").map(v -> Arrays.stream(v.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
    }

    /**
     * Whether addresses of the documentation blocks (198.51.100.0/24, ...) count as public:
     * only where ALLOW_DOCUMENTATION_ADDRESSES says so, the local cloud, whose sample uses them.
     */
    public boolean documentationAddressesArePublic() {
        return env.optional("ALLOW_DOCUMENTATION_ADDRESSES").map(Boolean::parseBoolean).orElse(false);
    }
}
