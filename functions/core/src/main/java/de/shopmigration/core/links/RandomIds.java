package de.shopmigration.core.links;

import de.shopmigration.core.lambda.Priming;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * Random ids of 128 bits, URL-safe (22 characters). SnapStart resumes many environments from
 * one snapshot: a random source created before the snapshot would hand every one of them the
 * same sequence (ThreadLocalRandom's seed, say), so the source is replaced after each restore.
 */
public final class RandomIds implements Supplier<String> {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private volatile SecureRandom random = new SecureRandom();

    public RandomIds() {
        Priming.afterRestore("fresh random source for ids", this::renew);
    }

    /** What a SnapStart restore does: a new source, unrelated to the one in the snapshot. */
    public void renew() {
        random = new SecureRandom();
    }

    @Override
    public String get() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }
}
