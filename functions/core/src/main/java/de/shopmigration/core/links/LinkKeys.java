package de.shopmigration.core.links;

import de.shopmigration.core.LinkSecretUnavailable;
import de.shopmigration.core.MissingConfiguration;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.lambda.Priming;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The keys of the link secret, kept in Secrets Manager: the version labelled AWSCURRENT signs new
 * links and webhook jobs; it and the version labelled AWSPREVIOUS (after a rotation) verify them,
 * so what was signed before a rotation keeps working until the next one.
 *
 * <p>The current key is read when the function starts and again in every environment a
 * SnapStart snapshot is restored into (a snapshot may be older than the last rotation). The
 * previous key is read only when a presented signature does not match the current one, once
 * per reading: most environments never see a link from before the last rotation, and a start
 * that reads one version instead of two saves a round trip. Beyond that, a warm invocation calls
 * Secrets Manager only in one bounded case: a presented signature matches neither key and the
 * last reading is at least {@link #REREAD_INTERVAL} old. Then both keys are read again, so an
 * environment that lived through a rotation accepts what the newer environments already sign
 * with the new key; a flood of forged links costs at most one reading per interval.
 *
 * <p>The values appear in no log line and no exception message.
 */
public final class LinkKeys {

    /** Shorter values are refused: an HMAC-SHA256 key of fewer than 32 characters is guessable sooner. */
    public static final int MIN_LENGTH = 32;
    /** At most one reading per environment in this time because a signature did not match. */
    public static final Duration REREAD_INTERVAL = Duration.ofMinutes(1);
    public static final String CURRENT = "AWSCURRENT";
    public static final String PREVIOUS = "AWSPREVIOUS";

    /** One version of the secret by its staging label; empty when no version carries the label. */
    @FunctionalInterface
    public interface Source {
        Optional<String> read(String stage);
    }

    /**
     * One reading: the key that signs, and every key that verifies (the signing one first);
     * {@code previousRead} says whether AWSPREVIOUS was asked for yet.
     */
    private record Keys(SecretKeySpec signing, List<SecretKeySpec> verifying, boolean previousRead) {
    }

    private final String name;
    private final Source source;
    private final Clock clock;
    private volatile Keys keys;
    private volatile Instant readAt;
    /** The first reading while it runs in the background ({@link #readInBackground}); null once taken. */
    private CompletableFuture<Keys> firstReading;

    private LinkKeys(String name, Source source, Clock clock, boolean inBackground) {
        this.name = name;
        this.source = source;
        this.clock = clock;
        if (source != null) {
            if (inBackground) {
                this.firstReading = CompletableFuture.supplyAsync(() -> read(false), LinkKeys::startDaemon);
                // A snapshot must hold the keys, not a thread still reading them.
                Priming.beforeSnapshot("link keys read", this::current);
            } else {
                this.keys = read(false);
            }
            this.readAt = clock.instant();
            Priming.afterRestore("link keys read again", this::afterRestore);
        }
    }

    /** Reads the secret's AWSCURRENT version now and after every SnapStart restore; AWSPREVIOUS when first needed. */
    public static LinkKeys read(String name, Source source, Clock clock) {
        return new LinkKeys(name, source, clock, false);
    }

    /**
     * As {@link #read}, but the first reading runs on a thread of its own while the function
     * goes on starting: its round trip and the signer's classes overlap the rest of the start
     * instead of adding to it (docs/performance.md). The first use of a key waits for it; if it
     * failed, that use throws its error and the next use reads again.
     */
    public static LinkKeys readInBackground(String name, Source source, Clock clock) {
        return new LinkKeys(name, source, clock, true);
    }

    private static void startDaemon(Runnable reading) {
        Thread thread = new Thread(reading, "link-keys");
        thread.setDaemon(true);
        thread.start();
    }

    /** One fixed key and no previous one: tests and tools that sign as the deployment does. */
    public static LinkKeys fixed(String secret) {
        return read("a fixed key", stage -> CURRENT.equals(stage) ? Optional.ofNullable(secret) : Optional.empty(), Clock.systemUTC());
    }

    /** For a function that signs and verifies nothing: template.yaml gives it no LINK_SECRET_ARN and no access to the secret. */
    public static LinkKeys none() {
        return new LinkKeys("none", null, Clock.systemUTC(), false);
    }

    /** The key new links and webhook jobs are signed with. */
    public SecretKeySpec signing() {
        return current().signing();
    }

    /** The keys a presented link or signature may have been made with: the current one first, then the previous one. */
    public List<SecretKeySpec> verifying() {
        return current().verifying();
    }

    private Keys current() {
        Keys k = keys;
        if (k != null) {
            return k;
        }
        if (source == null) {
            throw new MissingConfiguration("LINK_SECRET_ARN (this function has no access to the link secret in template.yaml)");
        }
        synchronized (this) {
            if (keys == null) {
                CompletableFuture<Keys> first = firstReading;
                firstReading = null;
                keys = first == null ? read(false) : joined(first);
                readAt = clock.instant();
            }
            return keys;
        }
    }

    /** The background reading's keys, or its own error (a LinkSecretUnavailable, as a reading at start throws). */
    private static Keys joined(CompletableFuture<Keys> reading) {
        try {
            return reading.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Reads the previous key if this reading has not asked for it yet: a signature did not match
     * the current key, perhaps because it was made before the last rotation. If Secrets Manager
     * does not answer, the current key alone verifies until the next reading.
     *
     * @return whether a previous key is now held that was not before (worth checking once more)
     */
    public boolean readPreviousIfUnread() {
        if (source == null || keys == null || keys.previousRead()) {
            return false;
        }
        synchronized (this) {
            Keys before = keys;
            if (before.previousRead()) {
                return false;
            }
            try {
                keys = withPrevious(before, source.read(PREVIOUS).map(String::strip));
            } catch (RuntimeException e) {
                keys = new Keys(before.signing(), before.verifying(), true);
                log("WARN", "the previous link key could not be read", e);
                return false;
            }
            return keys.verifying().size() > before.verifying().size();
        }
    }

    /**
     * Reads both keys again if the last reading is at least {@link #REREAD_INTERVAL} old: a
     * signature matched none of the keys held, perhaps because the secret was rotated since.
     *
     * @return whether the keys are now different from before (worth checking once more)
     */
    public boolean readAgainIfDue() {
        if (source == null) {
            return false;
        }
        synchronized (this) {
            Instant now = clock.instant();
            if (readAt != null && now.isBefore(readAt.plus(REREAD_INTERVAL))) {
                return false;
            }
            readAt = now;
            Keys before = keys;
            try {
                keys = read(true);
            } catch (RuntimeException e) {
                log("WARN", "link keys could not be read again", e);
                return false;
            }
            boolean changed = !same(before, keys);
            log("INFO", changed ? "link keys read again: changed" : "link keys read again: unchanged", null);
            return changed;
        }
    }

    /**
     * What a SnapStart restore does: the current key read anew (the previous one when needed). If Secrets Manager does not answer, the
     * snapshot's keys stay (a rotation ago they still verify) and the next signature that matches
     * none of them reads again at once.
     */
    public void afterRestore() {
        synchronized (this) {
            firstReading = null;
            try {
                keys = read(false);
                readAt = clock.instant();
            } catch (RuntimeException e) {
                Keys snapshot = keys;
                if (snapshot == null) {
                    // No keys in the snapshot either: the first use reads (and fails) for itself.
                    log("WARN", "link keys could not be read after the restore", e);
                    return;
                }
                // The next signature no key matches reads both keys at once (not the previous one first).
                keys = new Keys(snapshot.signing(), snapshot.verifying(), true);
                readAt = null;
                log("WARN", "link keys could not be read after the restore; the snapshot's are used", e);
            }
        }
    }

    /** AWSCURRENT, and with {@code withPrevious} AWSPREVIOUS too. */
    private Keys read(boolean withPrevious) {
        String current;
        try {
            current = source.read(CURRENT).map(String::strip)
                    .orElseThrow(() -> new LinkSecretUnavailable(name + " has no text value labelled " + CURRENT));
        } catch (SdkException e) {
            throw unreadable(e);
        }
        if (current.length() < MIN_LENGTH) {
            throw new LinkSecretUnavailable("The " + CURRENT + " value of the link secret " + name + " is shorter than "
                    + MIN_LENGTH + " characters");
        }
        SecretKeySpec signing = key(current);
        Keys keys = new Keys(signing, List.of(signing), false);
        return withPrevious ? withPrevious(keys, source.read(PREVIOUS).map(String::strip)) : keys;
    }

    private LinkSecretUnavailable unreadable(SdkException e) {
        return new LinkSecretUnavailable("The link secret " + name + " cannot be read: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }

    /** A previous value too short to be a key (or the same as the current one) verifies nothing. */
    private Keys withPrevious(Keys keys, Optional<String> previous) {
        List<SecretKeySpec> verifying = new ArrayList<>(2);
        verifying.add(keys.signing());
        previous.filter(p -> p.length() >= MIN_LENGTH && !MessageDigest.isEqual(key(p).getEncoded(), keys.signing().getEncoded()))
                .ifPresent(p -> verifying.add(key(p)));
        return new Keys(keys.signing(), List.copyOf(verifying), true);
    }

    private static SecretKeySpec key(String value) {
        return new SecretKeySpec(value.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    private static boolean same(Keys a, Keys b) {
        if (a == null || b == null || a.verifying().size() != b.verifying().size()) {
            return a == b;
        }
        for (int i = 0; i < a.verifying().size(); i++) {
            if (!MessageDigest.isEqual(a.verifying().get(i).getEncoded(), b.verifying().get(i).getEncoded())) {
                return false;
            }
        }
        return true;
    }

    /** One JSON line (Lambda's JSON log format keeps it as it is): what happened and, on failure, the error's type only. */
    private static void log(String level, String message, Throwable error) {
        var line = Json.object().put("level", level).put("message", message);
        if (error != null) {
            line.put("errorType", error.getClass().getName());
        }
        System.err.println(Json.write(line));
    }
}
