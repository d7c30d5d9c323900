package de.shopmigration.local.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Consumer;

/** Where a benchmark's local cloud writes what it has to say (function errors, emulator refusals). */
final class BenchLog {

    private BenchLog() {
    }

    /** A fresh log file under target/bench, one time-stamped line per message. */
    static Consumer<String> to(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        return line -> {
            try {
                Files.writeString(file, Instant.now() + " " + line + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
