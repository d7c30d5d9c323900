package de.shopmigration.local;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * What a function writes to standard output while it runs goes into its log, as in Lambda
 * (where the metric lines, {@link de.shopmigration.core.lambda.Metrics}, travel this way): the local
 * cloud runs every function in this JVM, so {@code System.out} is routed by thread, each line
 * of an invocation to the log that invocation was given, as {@code [function] line} like its
 * logger's lines. Whatever else writes to standard output (the harness, the sandbox's own
 * console, another thread) goes where it always went.
 */
final class StandardOutput {

    private static final ThreadLocal<Target> TARGET = new ThreadLocal<>();
    private static PrintStream original;

    private StandardOutput() {
    }

    /** Where the current thread's lines go: the function's name and log, and the line so far. */
    private record Target(String functionName, Consumer<String> log, ByteArrayOutputStream pending) {
    }

    /** Runs one invocation of a function with its standard output going to its log. */
    static <T> T during(String functionName, Consumer<String> log, Functions.HandlerCall<T> call) throws Exception {
        install();
        Target previous = TARGET.get();
        Target target = new Target(functionName, log, new ByteArrayOutputStream());
        TARGET.set(target);
        try {
            return call.call();
        } finally {
            System.out.flush();
            if (target.pending().size() > 0) {
                dispatch(target);
            }
            TARGET.set(previous);
        }
    }

    private static synchronized void install() {
        if (original == null) {
            original = System.out;
            System.setOut(new PrintStream(new Router(), true, StandardCharsets.UTF_8));
        }
    }

    /** One whole line to the invocation's log; what the log does with it is written to the real standard output. */
    private static void dispatch(Target target) {
        String line = target.pending().toString(StandardCharsets.UTF_8);
        target.pending().reset();
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        TARGET.remove();
        try {
            target.log().accept("[" + target.functionName() + "] " + line);
        } finally {
            TARGET.set(target);
        }
    }

    private static final class Router extends OutputStream {
        @Override
        public void write(int b) {
            Target target = TARGET.get();
            if (target == null) {
                original.write(b);
            } else if (b == '\n') {
                dispatch(target);
            } else {
                target.pending().write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (TARGET.get() == null) {
                original.write(bytes, offset, length);
                return;
            }
            for (int i = 0; i < length; i++) {
                write(bytes[offset + i]);
            }
        }

        @Override
        public void flush() {
            if (TARGET.get() == null) {
                original.flush();
            }
        }
    }
}
