package de.shopmigration.core;

import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The automatic site checks in one line each, for the status page and the close-out summary:
 * the latest run per kind with its verdict, and the watch. Never the findings themselves: they
 * may name internal things (addresses, paths); staff read those in their review task.
 */
public final class SiteCheckLines {

    private SiteCheckLines() {
    }

    /** A kind's label and its verdict. */
    public record Line(String label, String verdict) {
    }

    /** The latest run of each kind, in the plan's order (test system, go-live, after the switch). */
    public static List<SiteCheckRun> latestPerKind(List<SiteCheckRun> runsOldestFirst) {
        Map<SiteCheckRun.Kind, SiteCheckRun> latest = new EnumMap<>(SiteCheckRun.Kind.class);
        for (SiteCheckRun run : runsOldestFirst) {
            latest.put(run.kind(), run);
        }
        return List.copyOf(latest.values());
    }

    /**
     * The status page: "passed (12 pages)", "problems found (2); our team is on it", "problems
     * found (2); our team reviewed them and went ahead", "not checked".
     */
    public static List<Line> status(List<SiteCheckRun> runsOldestFirst, List<MigrationRecord.Decision> decisions, Texts texts) {
        return lines("status.sitecheck.", runsOldestFirst, decisions, texts);
    }

    /** The close-out summary: what passed, what staff let through despite findings, what was never resolved. */
    public static List<Line> summary(List<SiteCheckRun> runsOldestFirst, List<MigrationRecord.Decision> decisions, Texts texts) {
        return lines("summary.sitecheck.", runsOldestFirst, decisions, texts);
    }

    private static List<Line> lines(String prefix, List<SiteCheckRun> runsOldestFirst, List<MigrationRecord.Decision> decisions, Texts texts) {
        List<Line> lines = new ArrayList<>();
        for (SiteCheckRun run : latestPerKind(runsOldestFirst)) {
            lines.add(new Line(label(run.kind(), texts), texts.get(prefix + verdict(run, decisions), values(run))));
        }
        return lines;
    }

    /** The run's verdict, or OVERRIDDEN when staff chose "continue anyway" in the review that followed it. */
    static String verdict(SiteCheckRun run, List<MigrationRecord.Decision> decisions) {
        boolean overridden = run.verdict() == SiteCheckRun.Verdict.BLOCKED && decisions.stream().anyMatch(d ->
                d.step().equals(run.kind().review().name()) && d.decision().equals(Purpose.SITE_OVERRIDE.decision())
                        && !d.at().isBefore(run.at()));
        return overridden ? "OVERRIDDEN" : run.verdict().name();
    }

    public static String label(SiteCheckRun.Kind kind, Texts texts) {
        return texts.get("status.sitecheck." + kind.name());
    }

    /** What the customer sees of the watch: how often it looked, how often the shop was down. */
    public static String watch(SiteWatch watch, Texts texts) {
        return texts.get("status.sitecheck.watch", Map.of("checks", Integer.toString(watch.checks()),
                "outages", Integer.toString(watch.outages())));
    }

    /** What staff see of the watch: also the recoveries and, when the alert's link was used, when DNS went back. */
    public static String staffWatch(SiteWatch watch, Instant rolledBackAt, Texts texts) {
        String line = texts.get("summary.sitecheck.watch", Map.of("checks", Integer.toString(watch.checks()),
                "outages", Integer.toString(watch.outages()), "recoveries", Integer.toString(watch.recoveries())));
        return rolledBackAt == null ? line
                : line + "; " + texts.get("summary.sitecheck.rolledBack", Map.of("time", TimeFormats.human(rolledBackAt, texts.language())));
    }

    private static Map<String, String> values(SiteCheckRun run) {
        return Map.of("pages", Integer.toString(run.pages()), "blocking", Integer.toString(run.blockingCount()),
                "warnings", Integer.toString(run.warningCount()));
    }
}
