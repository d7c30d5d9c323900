package de.shopmigration.core.lambda;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart runtime hooks. Lambda snapshots a function after its initialisation when a
 * version is published; before that, each function's priming runs its own code paths once
 * (JSON binding, a DynamoDB read, rendering an email, a page or a PDF), so restored
 * environments start with those classes loaded and linked instead of paying for them on the
 * customer's first click. After a restore, hooks renew what must differ between environments
 * (the link ids' random source) or may have changed since the snapshot (the link secret's keys).
 * Outside SnapStart the org.crac API is a no-op.
 */
public final class Priming implements Resource {

    /** CRaC keeps resources weakly; these must live as long as the function. */
    private static final List<Priming> HOOKS = new CopyOnWriteArrayList<>();

    private final String name;
    private final Runnable beforeSnapshot;
    private final Runnable afterRestore;

    private Priming(String name, Runnable beforeSnapshot, Runnable afterRestore) {
        this.name = name;
        this.beforeSnapshot = beforeSnapshot;
        this.afterRestore = afterRestore;
    }

    /** Runs {@code prime} before the snapshot. */
    public static void beforeSnapshot(String name, Runnable prime) {
        register(new Priming(name, prime, () -> { }));
    }

    /** Runs {@code renew} in every environment restored from the snapshot. */
    public static void afterRestore(String name, Runnable renew) {
        register(new Priming(name, () -> { }, renew));
    }

    private static void register(Priming hook) {
        HOOKS.add(hook);
        Core.getGlobalContext().register(hook);
    }

    /** What a snapshot would run, for tests: every priming registered so far, by name. */
    public static List<String> primeAll() {
        return runAll(hook -> hook.beforeSnapshot);
    }

    /** What a restore would run, for tests: every renewal registered so far, by name. */
    public static List<String> restoreAll() {
        return runAll(hook -> hook.afterRestore);
    }

    private static List<String> runAll(java.util.function.Function<Priming, Runnable> phase) {
        List<String> ran = new java.util.ArrayList<>();
        for (Priming hook : HOOKS) {
            phase.apply(hook).run();
            ran.add(hook.name);
        }
        return ran;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            beforeSnapshot.run();
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            // AWS unreachable while publishing: the snapshot is still valid, only less warm.
            System.err.println("priming " + name + ": AWS call skipped: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        afterRestore.run();
    }
}
