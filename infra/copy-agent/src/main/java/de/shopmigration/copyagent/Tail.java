package de.shopmigration.copyagent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains a process's stderr (so it never blocks on a full pipe) and keeps only its end, for
 * the failure reason.
 */
final class Tail {

    private static final int KEEP = 4096;

    private final byte[] ring = new byte[KEEP];
    private long written;
    private final Thread reader;

    private Tail(InputStream in) {
        reader = Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    add(buf, n);
                }
            } catch (IOException e) {
                // the process went away; what was read is kept
            }
        });
    }

    static Tail of(InputStream in) {
        return new Tail(in);
    }

    private synchronized void add(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) (written++ % KEEP)] = buf[i];
        }
    }

    /** Waits (briefly) until the stream has been read to its end. */
    void await() {
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines (at most {@code maxChars}), joined with " | ", after the stream ended. */
    String lastLines(int maxLines, int maxChars) {
        await();
        byte[] bytes;
        synchronized (this) {
            int len = (int) Math.min(written, KEEP);
            bytes = new byte[len];
            for (int i = 0; i < len; i++) {
                bytes[i] = ring[(int) ((written - len + i) % KEEP)];
            }
        }
        String[] lines = new String(bytes, StandardCharsets.UTF_8).strip().split("\\R");
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, lines.length - maxLines); i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(" | ");
            }
            sb.append(line);
        }
        String s = sb.toString();
        return s.length() <= maxChars ? s : "…" + s.substring(s.length() - maxChars + 1);
    }
}
