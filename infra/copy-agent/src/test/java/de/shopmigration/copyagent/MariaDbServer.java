package de.shopmigration.copyagent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private MariaDB server for tests: its own data folder ({@code mariadb-install-db}), its own
 * {@code mariadbd} on a free loopback port and a socket in that folder, real accounts (no
 * {@code --skip-grant-tables}). Root logs in over the socket without a password
 * ({@code --auth-root-authentication-method=normal}); test users get passwords and option files.
 * {@link #close()} stops the server by its own PID. Other modules reuse it through this module's
 * test-jar.
 *
 * <p>Binaries: {@code /usr/bin/mariadb-install-db}, {@code /usr/sbin/mariadbd}, {@code /usr/bin/mariadb};
 * override with the system properties {@code mariadb.installDb}, {@code mariadb.server}, {@code mariadb.client}.
 */
public final class MariaDbServer implements AutoCloseable {

    public static final String INSTALL_DB = System.getProperty("mariadb.installDb", "/usr/bin/mariadb-install-db");
    public static final String SERVER = System.getProperty("mariadb.server", "/usr/sbin/mariadbd");
    public static final String CLIENT = System.getProperty("mariadb.client", "/usr/bin/mariadb");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;
    private final Process process;

    private MariaDbServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Initialises a data folder under {@code dir} and starts a server on it; returns once it answers. */
    public static MariaDbServer start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path data = dir.resolve("data");
        Path tmp = dir.resolve("tmp");
        Files.createDirectories(tmp);
        String user = System.getProperty("user.name");
        List<String> install = List.of(INSTALL_DB, "--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal",
                "--skip-test-db", "--user=" + user);
        Process p = new ProcessBuilder(install).redirectErrorStream(true).redirectOutput(dir.resolve("install.log").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("mariadb-install-db failed: " + tail(dir.resolve("install.log")));
        }
        IOException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            int port = freePort();
            List<String> command = List.of(SERVER, "--no-defaults", "--datadir=" + data, "--socket=" + dir.resolve("mysqld.sock"),
                    "--port=" + port, "--bind-address=127.0.0.1", "--user=" + user, "--pid-file=" + dir.resolve("mysqld.pid"),
                    "--log-error=" + dir.resolve("error.log"), "--tmpdir=" + tmp, "--skip-name-resolve",
                    "--innodb-buffer-pool-size=256M", "--innodb-flush-log-at-trx-commit=2", "--innodb-doublewrite=0",
                    "--max-allowed-packet=64M", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci");
            Process server = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.out").toFile())).start();
            MariaDbServer db = new MariaDbServer(dir, port, server);
            try {
                db.awaitReady();
                return db;
            } catch (IOException e) {
                last = e;
                db.close();
            }
        }
        throw last;
    }

    public int port() {
        return port;
    }

    public Path socket() {
        return dir.resolve("mysqld.sock");
    }

    public long pid() {
        return process.pid();
    }

    /** Runs SQL as root over the socket; returns the rows, tab-separated, without column names. */
    public List<String> root(String sql) throws IOException, InterruptedException {
        Result r = client(List.of(CLIENT, "--no-defaults", "--user=root", "--socket=" + socket(), "--batch", "--skip-column-names",
                "--default-character-set=utf8mb4"), sql);
        if (r.exit != 0) {
            throw new IOException("mariadb (root) exit code " + r.exit + ": " + r.err + "\nSQL: " + abbreviate(sql));
        }
        List<String> rows = new ArrayList<>();
        for (String line : r.out.split("\n")) {
            if (!line.isEmpty()) {
                rows.add(line);
            }
        }
        return rows;
    }

    /** Creates (or replaces) a password account reachable over TCP from 127.0.0.1 with the given grants. */
    public void createUser(String user, String password, String grants) throws IOException, InterruptedException {
        String account = "'" + user + "'@'127.0.0.1'";
        root("DROP USER IF EXISTS " + account + "; CREATE USER " + account + " IDENTIFIED BY '" + password.replace("'", "''") + "';"
                + " GRANT " + grants + " TO " + account + ";");
    }

    /** A client option file (mode 600) for a user of this server over TCP. */
    public Path writeOptionFile(Path file, String user, String password) throws IOException {
        String text = "[client]\nhost=127.0.0.1\nport=" + port + "\nuser=" + user + "\npassword=" + password
                + "\ndefault-character-set=utf8mb4\n";
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX
        }
        return file;
    }

    /** Stops the server by its PID: SIGTERM, then SIGKILL after a timeout. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mariadbd ended with exit code " + process.exitValue() + ": " + tail(dir.resolve("error.log")));
            }
            if (Files.exists(socket())) {
                Result r = client(List.of(CLIENT, "--no-defaults", "--user=root", "--host=127.0.0.1", "--port=" + port,
                        "--connect-timeout=2", "--batch", "--skip-column-names"), "SELECT 1");
                if (r.exit == 0) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("mariadbd did not accept connections within " + START_TIMEOUT.toSeconds() + " s: "
                + tail(dir.resolve("error.log")));
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result client(List<String> command, String sql) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(sql.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the client ended early; its exit code says why
            }
        });
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> err.complete(read(p.getErrorStream())));
        String out = read(p.getInputStream());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("mariadb client did not finish within 120 s: " + abbreviate(sql));
        }
        writer.join();
        return new Result(p.exitValue(), out, err.join().strip());
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no " + log.getFileName() + ")";
        }
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 300 ? sql : sql.substring(0, 300) + "…";
    }
}
