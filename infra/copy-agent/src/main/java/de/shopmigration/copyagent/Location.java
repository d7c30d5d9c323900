package de.shopmigration.copyagent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A place for files: a local absolute path or an rsync remote {@code user@host:/abs/path} (over
 * ssh). Parsing is the defence in depth of the job check: no leading dash (rsync would read an
 * option), no {@code ..} segment, no control characters, no rsync daemon syntax.
 */
public sealed interface Location permits Location.Local, Location.Remote {

    int MAX_LENGTH = 4096;
    Pattern REMOTE = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9._-]{0,63})@([A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?):(/.*)",
            Pattern.DOTALL);

    /** The argument for rsync, with a trailing slash so the folder's contents are mirrored. */
    String rsyncArgument();

    /** True when this location lies strictly below {@code root} (same host for remotes). */
    boolean isStrictlyUnder(Location root);

    /** True when one of the two contains the other (or they are the same folder). */
    boolean overlaps(Location other);

    /** @throws IllegalArgumentException with a short reason (without the field name) */
    static Location parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
                throw new IllegalArgumentException("contains a control character");
            }
        }
        if (text.startsWith("-")) {
            throw new IllegalArgumentException("must not start with '-'");
        }
        if (text.startsWith("/")) {
            return new Local(checkedPath(text));
        }
        Matcher m = REMOTE.matcher(text);
        if (m.matches()) {
            return new Remote(m.group(1) + "@" + m.group(2), checkedPath(m.group(3)));
        }
        throw new IllegalArgumentException("must be an absolute path or user@host:/absolute/path");
    }

    private static Path checkedPath(String absolute) {
        for (String segment : absolute.split("/")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException("must not contain a '..' segment");
            }
        }
        try {
            return Path.of(absolute).normalize();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("is not a valid path");
        }
    }

    /** A folder on this machine. */
    record Local(Path path) implements Location {

        @Override
        public String rsyncArgument() {
            String p = path.toString();
            return p.endsWith("/") ? p : p + "/";
        }

        @Override
        public boolean isStrictlyUnder(Location root) {
            if (!(root instanceof Local r)) {
                return false;
            }
            if (!path.startsWith(r.path) || path.equals(r.path)) {
                return false;
            }
            // Symbolic links must not lead out of the root: compare what exists on disk for real.
            Path realRoot = real(r.path);
            Path realPath = real(path);
            return realRoot != null && realPath != null && realPath.startsWith(realRoot) && !realPath.equals(realRoot);
        }

        @Override
        public boolean overlaps(Location other) {
            return other instanceof Local o && (path.startsWith(o.path) || o.path.startsWith(path));
        }

        @Override
        public String toString() {
            return path.toString();
        }

        /** The real path of the deepest existing ancestor, with the rest appended; null if a link dangles. */
        private static Path real(Path p) {
            Path existing = p;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return p;
            }
            try {
                return existing.toRealPath().resolve(existing.relativize(p)).normalize();
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** A folder reached by rsync over ssh. */
    record Remote(String userAtHost, Path path) implements Location {

        @Override
        public String rsyncArgument() {
            String p = path.toString();
            return userAtHost + ":" + (p.endsWith("/") ? p : p + "/");
        }

        @Override
        public boolean isStrictlyUnder(Location root) {
            return root instanceof Remote r && r.userAtHost.equalsIgnoreCase(userAtHost)
                    && path.startsWith(r.path) && !path.equals(r.path);
        }

        @Override
        public boolean overlaps(Location other) {
            return other instanceof Remote o && o.userAtHost.equalsIgnoreCase(userAtHost)
                    && (path.startsWith(o.path) || o.path.startsWith(path));
        }

        @Override
        public String toString() {
            return userAtHost + ":" + path;
        }
    }
}
