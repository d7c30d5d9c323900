package de.shopmigration.core.lambda;

import java.util.function.Supplier;

/**
 * A value built on first use and kept from then on. SDK clients a function needs only on some
 * paths (email, task callbacks) are built this way, so a cold start pays only for what the
 * first invocation uses; SnapStart priming builds them before the snapshot.
 */
public final class Lazy<T> implements Supplier<T> {

    private final Supplier<T> factory;
    private volatile T value;

    private Lazy(Supplier<T> factory) {
        this.factory = factory;
    }

    public static <T> Lazy<T> of(Supplier<T> factory) {
        return new Lazy<>(factory);
    }

    /** An already built value, e.g. a client a test hands in. */
    public static <T> Lazy<T> ready(T value) {
        Lazy<T> lazy = new Lazy<>(() -> value);
        lazy.value = value;
        return lazy;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = factory.get();
                    value = v;
                }
            }
        }
        return v;
    }
}
