package de.shopmigration.copyagent;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The agent's configuration: a properties file ({@code --config <file>}); every key is
 * documented in the module's README. Relative paths are resolved against the file's folder.
 */
public final class AgentConfig {

    public static final String SECRET_ENV = "COPY_AGENT_SECRET";
    public static final int MIN_SECRET_LENGTH = 32;
    static final Pattern CONNECTION_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final InetSocketAddress listen;
    private final String secret;
    private final List<Location> targetRoots;
    private final List<Location> sourceRoots;
    private final Map<String, Path> connections;
    private final String rsync;
    private final String mariadbDump;
    private final String mariadb;
    private final Optional<String> sshCommand;
    private final Duration maxJobAge;
    private final Duration jobTimeout;
    private final Path stateDir;

    private AgentConfig(Properties p, Path baseDir, Map<String, String> env) {
        listen = listen(p.getProperty("listen", "127.0.0.1:8461").strip());
        secret = secret(p, baseDir, env);
        targetRoots = roots(p, "targetRoots", true);
        sourceRoots = roots(p, "sourceRoots", false);
        connections = connections(p, baseDir);
        rsync = p.getProperty("rsync", "/usr/bin/rsync").strip();
        mariadbDump = p.getProperty("mariadbDump", "/usr/bin/mariadb-dump").strip();
        mariadb = p.getProperty("mariadb", "/usr/bin/mariadb").strip();
        String ssh = p.getProperty("sshCommand", "").strip();
        sshCommand = ssh.isEmpty() ? Optional.empty() : Optional.of(ssh);
        maxJobAge = Duration.ofSeconds(positive(p, "maxJobAgeSeconds", 3600));
        jobTimeout = Duration.ofSeconds(positive(p, "jobTimeoutSeconds", 28800));
        String state = p.getProperty("stateDir", "").strip();
        if (state.isEmpty()) {
            throw new IllegalArgumentException("stateDir is required (accepted jobs are remembered there across restarts)");
        }
        stateDir = baseDir.resolve(state).toAbsolutePath().normalize();
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith("connection.") && !KNOWN_KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown configuration key '" + key + "'");
            }
        }
    }

    private static final Set<String> KNOWN_KEYS = Set.of("listen", "secretFile", "targetRoots", "sourceRoots", "rsync",
            "mariadbDump", "mariadb", "sshCommand", "maxJobAgeSeconds", "jobTimeoutSeconds", "stateDir");

    /** Reads and checks a properties file; the secret may come from {@code COPY_AGENT_SECRET}. */
    public static AgentConfig load(Path file, Map<String, String> env) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Path base = file.toAbsolutePath().getParent();
        return new AgentConfig(p, base, env);
    }

    /** For tests and embedding: the same keys as the file, relative paths against {@code baseDir}. */
    public static AgentConfig of(Properties p, Path baseDir, Map<String, String> env) {
        return new AgentConfig(p, baseDir.toAbsolutePath(), env);
    }

    public InetSocketAddress listen() {
        return listen;
    }

    String secret() {
        return secret;
    }

    public List<Location> targetRoots() {
        return targetRoots;
    }

    public List<Location> sourceRoots() {
        return sourceRoots;
    }

    public Map<String, Path> connections() {
        return connections;
    }

    public String rsync() {
        return rsync;
    }

    public String mariadbDump() {
        return mariadbDump;
    }

    public String mariadb() {
        return mariadb;
    }

    public Optional<String> sshCommand() {
        return sshCommand;
    }

    public Duration maxJobAge() {
        return maxJobAge;
    }

    public Duration jobTimeout() {
        return jobTimeout;
    }

    public Path stateDir() {
        return stateDir;
    }

    @Override
    public String toString() {
        return "listen=" + listen.getHostString() + ":" + listen.getPort() + ", targetRoots=" + targetRoots + ", sourceRoots=" + sourceRoots + ", connections="
                + connections.keySet() + ", stateDir=" + stateDir + ", maxJobAge=" + maxJobAge.toSeconds() + "s, jobTimeout="
                + jobTimeout.toSeconds() + "s";
    }

    private static InetSocketAddress listen(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("listen must be host:port, e.g. 127.0.0.1:8461");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("listen: the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen: the port must be 0..65535");
        }
        return new InetSocketAddress(host, port);
    }

    private static String secret(Properties p, Path baseDir, Map<String, String> env) {
        String file = p.getProperty("secretFile", "").strip();
        String value;
        if (!file.isEmpty()) {
            Path path = baseDir.resolve(file);
            try {
                value = Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("secretFile " + path + " cannot be read: " + e.getMessage());
            }
            warnIfReadableByOthers(path, "secretFile");
        } else {
            value = env.getOrDefault(SECRET_ENV, "").strip();
        }
        if (value.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the shared secret (secretFile or " + SECRET_ENV + ") must have at least "
                    + MIN_SECRET_LENGTH + " characters");
        }
        return value;
    }

    private static List<Location> roots(Properties p, String key, boolean required) {
        List<Location> roots = new ArrayList<>();
        for (String part : p.getProperty(key, "").split(",")) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            try {
                roots.add(Location.parse(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": '" + s + "' " + e.getMessage());
            }
        }
        if (required && roots.isEmpty()) {
            throw new IllegalArgumentException(key + " is required: the folders below which copy jobs may write");
        }
        return List.copyOf(roots);
    }

    private static Map<String, Path> connections(Properties p, Path baseDir) {
        Map<String, Path> result = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames().stream().sorted().toList()) {
            if (!key.startsWith("connection.")) {
                continue;
            }
            String name = key.substring("connection.".length());
            if (!CONNECTION_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(key + ": connection names are 1-64 of A-Z a-z 0-9 . _ -");
            }
            Path file = baseDir.resolve(p.getProperty(key).strip()).toAbsolutePath().normalize();
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException(key + ": option file " + file + " is not readable");
            }
            warnIfReadableByOthers(file, key);
            result.put(name, file);
        }
        return Map.copyOf(result);
    }

    private static long positive(Properties p, String key, long fallback) {
        String v = p.getProperty(key, "").strip();
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + " must be a positive number of seconds");
    }

    private static void warnIfReadableByOthers(Path file, String what) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                Log.warn(what + " " + file + " is readable by group or others; chmod 600 it");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
