package de.shopmigration.copyagent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a copy test compares between a shop and its copy (files by SHA-256, tables by row count
 * and CHECKSUM TABLE), and the helpers the sample shops are written with. Shared by the agent's
 * own tests and the end-to-end test through the deployed workflow (test-jar).
 */
public final class ShopTrees {

    private ShopTrees() {
    }

    /** Relative path -> "file <sha256>", "dir" or "link <target>". */
    public static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> result = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    result.put(rel, "link " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    result.put(rel, "dir");
                } else {
                    result.put(rel, "file " + sha256(p));
                }
            }
        }
        return result;
    }

    /** Every regular file by relative path with its SHA-256; empty when the folder is not there yet. */
    public static Map<String, String> files(Path root) throws IOException {
        Map<String, String> result = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return result;
        }
        for (Path p : regular(root)) {
            result.put(root.relativize(p).toString(), sha256(p));
        }
        return result;
    }

    public static long regularFiles(Path root) throws IOException {
        return regular(root).size();
    }

    public static long totalSize(Path root) throws IOException {
        long sum = 0;
        for (Path p : regular(root)) {
            sum += Files.size(p);
        }
        return sum;
    }

    private static List<Path> regular(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every base table of a schema: its CHECKSUM TABLE and row count. */
    public static Map<String, String> tables(MariaDbServer db, String schema) throws Exception {
        Map<String, String> figures = new TreeMap<>();
        for (String t : db.root("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + schema
                + "' AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1")) {
            String table = "`" + schema + "`.`" + t + "`";
            String checksum = db.root("CHECKSUM TABLE " + table).get(0).split("\t")[1];
            figures.put(t, "checksum " + checksum + " rows " + db.root("SELECT COUNT(*) FROM " + table).get(0));
        }
        return figures;
    }

    public static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    public static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
