package de.shopmigration.core.store;

import static de.shopmigration.core.store.AttributeValues.s;

import de.shopmigration.core.SiteCheckRun;
import de.shopmigration.core.SiteWatch;
import de.shopmigration.core.json.Json;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The automatic site checks of a migration, each run an item of its own
 * ({@code SITECHECK#RUN#kind#round}, a retried round overwrites itself), the old server's pages
 * from phase 2 ({@code SITECHECK#BASELINE}) that phase 6 compares with, and the watch through
 * the error window ({@code SITEWATCH}). Items of their own: no number of rounds grows the record.
 */
public final class SiteChecks {

    private static final String RUN = Items.SITE_CHECK + "RUN#";
    private static final String BASELINE = Items.SITE_CHECK + "BASELINE";

    private final Table table;

    SiteChecks(Table table) {
        this.table = table;
    }

    public void record(String migrationId, SiteCheckRun run) {
        table.put(b -> b.item(Map.of("pk", s(Items.pk(migrationId)), "sk", s(runKey(run.kind(), run.round())),
                "run", s(Json.write(run)))));
    }

    /** Every run, oldest first. */
    public List<SiteCheckRun> runs(String migrationId) {
        return table.query(migrationId, RUN).stream().map(item -> Json.convert(Json.read(item.get("run").s()), SiteCheckRun.class))
                .sorted(Comparator.comparing(SiteCheckRun::at)).toList();
    }

    public Optional<SiteCheckRun> latest(String migrationId, SiteCheckRun.Kind kind) {
        return runs(migrationId).stream().filter(r -> r.kind() == kind).reduce((a, b) -> b);
    }

    /** The old server's pages as phase 2 saw them (JSON written by the site check; up to a few dozen pages). */
    public void saveBaseline(String migrationId, String pages) {
        table.put(b -> b.item(Map.of("pk", s(Items.pk(migrationId)), "sk", s(BASELINE), "pages", s(pages))));
    }

    public Optional<String> baseline(String migrationId) {
        return table.get(Items.key(migrationId, BASELINE)).map(item -> item.get("pages").s());
    }

    public Optional<SiteWatch> watch(String migrationId) {
        return table.get(Items.key(migrationId, Items.SITE_WATCH)).map(item -> Json.convert(Json.read(item.get("watch").s()), SiteWatch.class));
    }

    /** Writes the watch's state; the rollback mark beside it is left as it is. */
    public void saveWatch(String migrationId, SiteWatch watch) {
        table.update(Items.key(migrationId, Items.SITE_WATCH), b -> b.updateExpression("SET watch = :w")
                .expressionAttributeValues(Map.of(":w", s(Json.write(watch)))));
    }

    /** Marks the DNS as rolled back from the watch's alert; false when it already was (the first click wins). */
    public boolean markRolledBack(String migrationId, String by, Instant at) {
        return table.updateIf(Items.key(migrationId, Items.SITE_WATCH), b -> b
                .updateExpression("SET rolledBackAt = :at, rolledBackBy = :by")
                .conditionExpression("attribute_not_exists(rolledBackAt)")
                .expressionAttributeValues(Map.of(":at", s(at.toString()), ":by", s(by))));
    }

    /** A rollback that failed: the next click may try again. */
    public void unmarkRolledBack(String migrationId) {
        table.update(Items.key(migrationId, Items.SITE_WATCH), b -> b.updateExpression("REMOVE rolledBackAt, rolledBackBy"));
    }

    public Optional<Instant> rolledBackAt(String migrationId) {
        return table.get(Items.key(migrationId, Items.SITE_WATCH)).map(item -> item.get("rolledBackAt")).map(v -> Instant.parse(v.s()));
    }

    private static String runKey(SiteCheckRun.Kind kind, int round) {
        return RUN + kind.name().toLowerCase(Locale.ROOT) + "#" + String.format(Locale.ROOT, "%02d", round);
    }
}
