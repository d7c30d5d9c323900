package de.shopmigration.copyagent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Copies a database in full: creates the target database if missing (with the source's
 * character set), streams {@code mariadb-dump} into {@code mariadb} (counting the bytes), then
 * removes what the source no longer has (tables, views, sequences, routines, events), so the
 * target equals the source. Credentials come only from the configured option files.
 */
final class DatabaseCopier {

    /** What the copy did: tables in the target afterwards, bytes of SQL streamed. */
    record Figures(long tables, long bytes) {
    }

    private static final Pattern CHARSET = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final long PROGRESS_STEP = 1 << 20;

    private final AgentConfig config;

    DatabaseCopier(AgentConfig config) {
        this.config = config;
    }

    Figures copy(Job.Database db, JobControl control) throws CopyFailed, JobStopped {
        String src = db.sourceName();
        String dst = db.targetName();
        String srcCnf = option(db.sourceConnection());
        String dstCnf = option(db.targetConnection());

        control.progress("database: checking the source");
        List<String> schema = query(control, srcCnf, "source",
                "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
                        + src + "'");
        if (schema.isEmpty()) {
            throw new CopyFailed("database: source database '" + src + "' does not exist on connection '" + db.sourceConnection()
                    + "' (or its user may not see it)");
        }
        String[] cs = schema.get(0).split("\t");
        String charset = "";
        if (cs.length == 2 && CHARSET.matcher(cs[0]).matches() && CHARSET.matcher(cs[1]).matches()) {
            charset = " CHARACTER SET " + cs[0] + " COLLATE " + cs[1];
        }
        control.progress("database: creating the target database");
        query(control, dstCnf, "target", "CREATE DATABASE IF NOT EXISTS " + quote(dst) + charset + ";"
                + (charset.isEmpty() ? "" : " ALTER DATABASE " + quote(dst) + charset + ";"));

        dropTargetObjects(control, srcCnf, src, dstCnf, dst, true);
        control.progress("database: dumping and importing");
        long bytes = pipe(control, srcCnf, src, dstCnf, dst);

        control.progress("database: removing what the source no longer has");
        dropTargetObjects(control, srcCnf, src, dstCnf, dst, false);

        List<String> count = query(control, dstCnf, "target", "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                + dst + "' AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')");
        long tables;
        try {
            tables = Long.parseLong(count.get(0).strip());
        } catch (RuntimeException e) {
            throw new CopyFailed("database: cannot count the target's tables");
        }
        return new Figures(tables, bytes);
    }

    /** mariadb-dump | mariadb, pumped here so the bytes are counted; both exit codes are checked. */
    private long pipe(JobControl control, String srcCnf, String src, String dstCnf, String dst) throws CopyFailed, JobStopped {
        List<String> dumpCmd = List.of(config.mariadbDump(), "--defaults-extra-file=" + srcCnf, "--single-transaction", "--quick",
                "--routines", "--triggers", "--events", "--hex-blob", "--add-drop-table", src);
        List<String> importCmd = List.of(config.mariadb(), "--defaults-extra-file=" + dstCnf, dst);
        Process dump = null;
        Process imp = null;
        try {
            try {
                imp = control.start(importCmd, Map.of());
                dump = control.start(dumpCmd, Map.of());
            } catch (IOException e) {
                Processes.stoppedCheck(control);
                throw new CopyFailed("database: cannot start " + (imp == null ? "mariadb" : "mariadb-dump") + ": " + e.getMessage());
            }
            dump.getOutputStream().close();
            Tail dumpErr = Tail.of(dump.getErrorStream());
            Tail impErr = Tail.of(imp.getErrorStream());
            Tail impOut = Tail.of(imp.getInputStream());
            long bytes = 0;
            long nextProgress = PROGRESS_STEP;
            boolean importGone = false;
            try (InputStream in = dump.getInputStream(); OutputStream out = imp.getOutputStream()) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    try {
                        out.write(buf, 0, n);
                    } catch (IOException e) {
                        importGone = true;
                        break;
                    }
                    bytes += n;
                    if (bytes >= nextProgress) {
                        control.progress("database: dumping and importing (" + (bytes >> 20) + " MiB streamed)");
                        nextProgress += PROGRESS_STEP;
                    }
                }
            } catch (IOException e) {
                // a broken pipe on close (import gone) or a destroyed dump: the exit codes tell
                importGone = true;
            }
            if (importGone) {
                dump.destroy();
            }
            int dumpExit = dump.waitFor();
            int importExit = imp.waitFor();
            impOut.await();
            Processes.stoppedCheck(control);
            List<String> problems = new ArrayList<>();
            if (importExit != 0) {
                problems.add("mariadb (import) exit code " + importExit + tail(impErr));
            }
            if (dumpExit != 0 && !(importGone && importExit != 0)) {
                problems.add("mariadb-dump exit code " + dumpExit + tail(dumpErr));
            }
            if (!problems.isEmpty()) {
                throw new CopyFailed("database: " + String.join("; ", problems));
            }
            return bytes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CopyFailed("database: interrupted");
        } catch (IOException e) {
            throw new CopyFailed("database: " + e.getMessage());
        } finally {
            for (Process p : new Process[] {dump, imp}) {
                if (p != null) {
                    if (p.isAlive()) {
                        JobControl.destroyTree(p);
                    }
                    control.finished(p);
                }
            }
        }
    }

    /**
     * Drops target objects that stand in the dump's way or that the source does not have: before
     * the import those whose kind changed (a table that became a view cannot be replaced by the
     * dump's DROP TABLE), after it those the source no longer has (the dump only adds and replaces).
     */
    private void dropTargetObjects(JobControl control, String srcCnf, String src, String dstCnf, String dst, boolean beforeImport)
            throws CopyFailed, JobStopped {
        Map<String, String> sourceObjects = objects(control, srcCnf, "source", src);
        Map<String, String> targetObjects = objects(control, dstCnf, "target", dst);
        StringBuilder sql = new StringBuilder("SET FOREIGN_KEY_CHECKS = 0;\n");
        int drops = 0;
        // views first: they may refer to tables that go
        for (boolean viewPass : new boolean[] {true, false}) {
            for (Map.Entry<String, String> e : targetObjects.entrySet()) {
                String kind = e.getValue();
                String sourceKind = sourceObjects.get(e.getKey());
                boolean drop = beforeImport ? sourceKind != null && !sourceKind.equals(kind) : sourceKind == null;
                if (!drop || viewPass != kind.equals("VIEW")) {
                    continue;
                }
                String name = quote(dst) + "." + quote(e.getKey().substring(e.getKey().indexOf(' ') + 1));
                sql.append(switch (kind) {
                    case "VIEW" -> "DROP VIEW IF EXISTS " + name;
                    case "SEQUENCE" -> "DROP SEQUENCE IF EXISTS " + name;
                    case "PROCEDURE" -> "DROP PROCEDURE IF EXISTS " + name;
                    case "FUNCTION" -> "DROP FUNCTION IF EXISTS " + name;
                    case "EVENT" -> "DROP EVENT IF EXISTS " + name;
                    default -> "DROP TABLE IF EXISTS " + name;
                }).append(";\n");
                drops++;
            }
        }
        if (drops > 0) {
            Log.info("database " + dst + ": dropping " + drops + " object(s) " + (beforeImport
                    ? "whose kind changed at the source" : "the source no longer has"));
            query(control, dstCnf, "target", sql.toString());
        }
    }

    /**
     * The schema's tables, views, sequences, routines and events: key "namespace name" (tables,
     * views and sequences share one name space; procedures, functions and events have their own),
     * value the kind. Names travel as hex, so no name can break the parsing.
     */
    private Map<String, String> objects(JobControl control, String cnf, String side, String schema) throws CopyFailed, JobStopped {
        String sql = "SELECT 'T', TABLE_TYPE, HEX(TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + schema + "'"
                + " UNION ALL SELECT 'R', ROUTINE_TYPE, HEX(ROUTINE_NAME) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '"
                + schema + "'"
                + " UNION ALL SELECT 'E', 'EVENT', HEX(EVENT_NAME) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '" + schema + "'";
        Map<String, String> result = new LinkedHashMap<>();
        for (String line : query(control, cnf, side, sql)) {
            String[] f = line.split("\t");
            if (f.length != 3) {
                continue;
            }
            String name = new String(HexFormat.of().parseHex(f[2]), StandardCharsets.UTF_8);
            switch (f[0]) {
                case "T" -> result.put("T " + name, f[1].equals("VIEW") ? "VIEW" : f[1].equals("SEQUENCE") ? "SEQUENCE" : "TABLE");
                case "R" -> {
                    if (f[1].equals("PROCEDURE") || f[1].equals("FUNCTION")) {
                        result.put(f[1] + " " + name, f[1]);
                    }
                }
                default -> result.put("EVENT " + name, "EVENT");
            }
        }
        return result;
    }

    private List<String> query(JobControl control, String cnf, String side, String sql) throws CopyFailed, JobStopped {
        List<String> cmd = List.of(config.mariadb(), "--defaults-extra-file=" + cnf, "--batch", "--skip-column-names",
                "--default-character-set=utf8mb4");
        Processes.Result r = Processes.run(control, cmd, Map.of(), sql.getBytes(StandardCharsets.UTF_8), "database");
        if (r.exitCode() != 0) {
            throw new CopyFailed("database: a query on the " + side + " connection failed (mariadb exit code " + r.exitCode() + ")"
                    + (r.stderrTail().isEmpty() ? "" : ": " + r.stderrTail()));
        }
        List<String> lines = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private String option(String connection) throws CopyFailed {
        var file = config.connections().get(connection);
        if (file == null) {
            throw new CopyFailed("database: unknown connection '" + connection + "'");
        }
        return file.toString();
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private static String tail(Tail t) {
        String s = t.lastLines(6, 700);
        return s.isEmpty() ? "" : ": " + s;
    }
}
