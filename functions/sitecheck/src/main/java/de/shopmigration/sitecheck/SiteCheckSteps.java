package de.shopmigration.sitecheck;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.Audience;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationRequest;
import de.shopmigration.core.SiteCheckRun;
import de.shopmigration.core.SiteCheckRun.Kind;
import de.shopmigration.core.SitePages;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.mail.Notifier;
import de.shopmigration.core.mail.Texts;
import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.dns.DnsLookup;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The site checks where the plan runs them: the test system in phase 2 (old server against new
 * cluster; the old pages become the baseline), the new cluster before the customer's check in
 * phase 6 (against that baseline, the old server being in maintenance), and the shop after the
 * DNS switch (the names lead to the new address, the pages answer there). Each run is recorded,
 * audited and answered with a verdict the state machine's Choice reads.
 */
public final class SiteCheckSteps {

    private final Collaborators services;
    private final SiteSettings settings;
    private final SiteCheck check;
    private final Supplier<DnsLookup> dns;
    private final Notifier notifier;

    public SiteCheckSteps(Collaborators services, SiteSettings settings, SiteCheck check, Supplier<DnsLookup> dns) {
        this.services = services;
        this.notifier = new Notifier(services);
        this.settings = settings;
        this.check = check;
        this.dns = dns;
    }

    public ObjectNode run(String migrationId, Kind kind, int round) {
        Instant now = services.clock().instant();
        MigrationRecord record = services.store().records().get(migrationId);
        SiteCheckRun run;
        if (!settings.enabled()) {
            run = SiteCheckRun.skipped(kind, round, now);
        } else {
            run = switch (kind) {
                case TEST_SYSTEM -> testSystem(record, round, now);
                case GO_LIVE -> goLive(record, round, now);
                case AFTER_SWITCH -> afterSwitch(record, round, now);
            };
        }
        services.store().siteChecks().record(migrationId, run);
        services.store().audit().add(migrationId, new AuditEntry(now, "system", "site check: " + kind.name().toLowerCase(Locale.ROOT)
                + " round " + round + ": " + run.verdict(), run.pages() + " pages, " + run.blockingCount() + " blocking, "
                + run.warningCount() + " warnings" + (run.blocking().isEmpty() ? "" : "; " + run.blocking().get(0)), null));
        return Json.object().put("migrationId", migrationId).put("verdict", run.verdict().name())
                .put("blocking", run.blockingCount()).put("warnings", run.warningCount()).put("pages", run.pages());
    }

    private SiteCheckRun testSystem(MigrationRecord record, int round, Instant now) {
        String main = record.request().hostsThatMove().get(0);
        InetAddress old;
        try {
            old = settings.reach(oldServer(record, main));
        } catch (DnsLookup.Unanswered e) {
            return SiteCheckRun.of(Kind.TEST_SYSTEM, round, now, 0,
                    List.of(main + ": " + staff(record).get("finding.oldServerUnknown", Map.of("error", String.valueOf(e.getMessage())))), List.of());
        }
        SiteCheck.Report report = check.compareLive(target(record, old));
        services.store().siteChecks().saveBaseline(record.migrationId(), Baseline.write(report.baseline()));
        return run(Kind.TEST_SYSTEM, round, now, report, staff(record));
    }

    private SiteCheckRun goLive(MigrationRecord record, int round, Instant now) {
        SiteCheck.Target target = target(record, null);
        return run(Kind.GO_LIVE, round, now, check.compareWithBaseline(target, baseline(record, target)), staff(record));
    }

    private SiteCheckRun afterSwitch(MigrationRecord record, int round, Instant now) {
        Texts staff = staff(record);
        List<String> dnsFindings = new ArrayList<>();
        String newIp = record.request().newIp();
        for (String host : record.request().hostsThatMove()) {
            try {
                List<String> addresses = dns.get().addresses(host);
                if (!addresses.equals(List.of(newIp))) {
                    dnsFindings.add(host + ": " + (addresses.isEmpty() ? staff.get("finding.dnsNone", Map.of("newIp", newIp))
                            : staff.get("finding.dnsElsewhere", Map.of("addresses", String.join(", ", addresses), "newIp", newIp))));
                }
            } catch (DnsLookup.Unanswered e) {
                dnsFindings.add(host + ": " + staff.get("finding.dnsUnanswered", Map.of("error", String.valueOf(e.getMessage()))));
            }
        }
        SiteCheck.Target target = target(record, null);
        SiteCheck.Report report = check.compareWithBaseline(target, baseline(record, target));
        List<String> blocking = new ArrayList<>(dnsFindings);
        blocking.addAll(lines(report.blocking(), staff));
        return SiteCheckRun.of(Kind.AFTER_SWITCH, round, now, report.now().size(), blocking, lines(report.warnings(), staff));
    }

    /** The watch's look at the shop: the home and important pages on the new cluster, against the baseline. */
    public SiteCheck.Report watch(MigrationRecord record) {
        SiteCheck.Target target = target(record, null);
        List<Page> baseline = baseline(record, target);
        int keep = Math.min(baseline.size(), target.hosts().size() + target.importantPages().size());
        return check.compareWithBaseline(target, baseline.subList(0, Math.max(keep, 1)), false);
    }

    /** Phase 2's pages; without them (site checks switched on after phase 2) the home and important pages must simply answer. */
    private List<Page> baseline(MigrationRecord record, SiteCheck.Target target) {
        return services.store().siteChecks().baseline(record.migrationId()).map(Baseline::read)
                .orElseGet(() -> SiteCheck.expected(target));
    }

    private SiteCheck.Target target(MigrationRecord record, InetAddress old) {
        MigrationRequest request = record.request();
        return new SiteCheck.Target(request.hostsThatMove(), old, settings.reach(request.newIp()), SitePages.importantPaths(record),
                SitePages.marker(record).orElse(null));
    }

    /** Where the public DNS sends the shop today; Route 53's values from phase 1 when the lookup gives nothing. */
    private String oldServer(MigrationRecord record, String host) throws DnsLookup.Unanswered {
        try {
            List<String> addresses = dns.get().addresses(host);
            if (!addresses.isEmpty()) {
                return addresses.get(0);
            }
        } catch (DnsLookup.Unanswered e) {
            // the values Route 53 held before the migration touched them, below
        }
        return record.dns().originals().values().stream()
                .filter(o -> o.type().equals("A") && o.name().replaceAll("\\.$", "").equalsIgnoreCase(host) && !o.values().isEmpty())
                .map(o -> o.values().get(0)).findFirst()
                .orElseThrow(() -> new DnsLookup.Unanswered("no A record for " + host));
    }

    private static SiteCheckRun run(Kind kind, int round, Instant now, SiteCheck.Report report, Texts staff) {
        return SiteCheckRun.of(kind, round, now, report.now().size(), lines(report.blocking(), staff), lines(report.warnings(), staff));
    }

    /** The findings are for staff, in their language: it is set for the deployment (StaffLanguage). */
    Texts staff(MigrationRecord record) {
        return notifier.texts(record, Audience.STAFF);
    }

    static List<String> lines(List<Finding> findings, Texts texts) {
        return findings.stream().map(f -> f.where() + ": " + f.what(texts)).toList();
    }
}
