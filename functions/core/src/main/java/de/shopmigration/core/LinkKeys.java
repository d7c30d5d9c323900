package de.shopmigration.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The keys of the link secret, kept in Secrets Manager: the version labelled AWSCURRENT signs new
 * links and webhook jobs; it and the version labelled AWSPREVIOUS (after a rotation) verify them,
 * so what was signed before a rotation keeps working until the next one.
 *
 * <p>Read when the function starts and again in every environment a SnapStart snapshot is
 * restored into (a snapshot may be older than the last rotation); a warm invocation calls
 * Secrets Manager only in one bounded case: a presented signature matches neither key and the
 * last reading is at least {@link #REREAD_INTERVAL} old. Then the keys are read again, so an
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

    /** One reading: the key that signs, and every key that verifies (the signing one first). */
    private record Keys(SecretKeySpec signing, List<SecretKeySpec> verifying) {
    }

    private final String name;
    private final Source source;
    private final Clock clock;
    private volatile Keys keys;
    private volatile Instant readAt;

    private LinkKeys(String name, Source source, Clock clock) {
        this.name = name;
        this.source = source;
        this.clock = clock;
        if (source != null) {
            this.keys = read();
            this.readAt = clock.instant();
            Priming.afterRestore("link keys read again", this::afterRestore);
        }
    }

    /** Reads the secret now (AWSCURRENT, and AWSPREVIOUS if a version has it) and after every SnapStart restore. */
    public static LinkKeys read(String name, Source source, Clock clock) {
        return new LinkKeys(name, source, clock);
    }

    /** The secret whose ARN template.yaml gives the function (LINK_SECRET_ARN), through Secrets Manager. */
    public static LinkKeys fromSecretsManager(SecretsManagerClient client, String secretArn, Clock clock) {
        return read(secretArn, stage -> {
            try {
                return Optional.ofNullable(client.getSecretValue(b -> b.secretId(secretArn).versionStage(stage)).secretString());
            } catch (ResourceNotFoundException e) {
                // No version carries the label (AWSPREVIOUS before the first rotation). A missing
                // secret fails on AWSCURRENT below, which must exist.
                if (CURRENT.equals(stage)) {
                    throw e;
                }
                return Optional.empty();
            }
        }, clock);
    }

    /** One fixed key and no previous one: tests and tools that sign as the deployment does. */
    public static LinkKeys fixed(String secret) {
        return read("a fixed key", stage -> CURRENT.equals(stage) ? Optional.ofNullable(secret) : Optional.empty(), Clock.systemUTC());
    }

    /** For a function that signs and verifies nothing: template.yaml gives it no LINK_SECRET_ARN and no access to the secret. */
    public static LinkKeys none() {
        return new LinkKeys("none", null, Clock.systemUTC());
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
        if (k == null) {
            throw new MissingConfiguration("LINK_SECRET_ARN (this function has no access to the link secret in template.yaml)");
        }
        return k;
    }

    /**
     * Reads the keys again if the last reading is at least {@link #REREAD_INTERVAL} old: a
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
                keys = read();
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
     * What a SnapStart restore does: the keys read anew. If Secrets Manager does not answer, the
     * snapshot's keys stay (a rotation ago they still verify) and the next signature that matches
     * none of them reads again at once.
     */
    public void afterRestore() {
        synchronized (this) {
            try {
                keys = read();
                readAt = clock.instant();
            } catch (RuntimeException e) {
                readAt = null;
                log("WARN", "link keys could not be read after the restore; the snapshot's are used", e);
            }
        }
    }

    private Keys read() {
        String current;
        Optional<String> previous;
        try {
            current = source.read(CURRENT).map(String::strip)
                    .orElseThrow(() -> new LinkSecretUnavailable(name + " has no text value labelled " + CURRENT));
            previous = source.read(PREVIOUS).map(String::strip);
        } catch (SdkException e) {
            throw new LinkSecretUnavailable("The link secret " + name + " cannot be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        if (current.length() < MIN_LENGTH) {
            throw new LinkSecretUnavailable("The " + CURRENT + " value of the link secret " + name + " is shorter than "
                    + MIN_LENGTH + " characters");
        }
        List<SecretKeySpec> verifying = new ArrayList<>(2);
        SecretKeySpec signing = key(current);
        verifying.add(signing);
        // A previous value too short to be a key (or the same as the current one) verifies nothing.
        previous.filter(p -> p.length() >= MIN_LENGTH && !p.equals(current)).ifPresent(p -> verifying.add(key(p)));
        return new Keys(signing, List.copyOf(verifying));
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
