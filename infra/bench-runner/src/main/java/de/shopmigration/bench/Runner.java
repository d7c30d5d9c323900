package de.shopmigration.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * One cold start, the way the Lambda Java runtime does it: {@code Class.forName} of the handler
 * class, its public no-argument constructor (which reads the function's configuration from the
 * environment), then one invocation with the event from a file. Runs in a fresh JVM whose
 * class path is this jar plus a function's deployable artifact (its one shrunk jar).
 *
 * <p>Usage: {@code Runner <handler class> <event.json>}. Prints to stdout, in this order:
 * <pre>
 * CONSTRUCTED &lt;nanos from main() to the constructed handler&gt;
 * RESPONSE &lt;response bytes&gt; &lt;nanos from main()&gt; &lt;nanos from BENCH_SPAWN_NANOS, or -1&gt;
 * MAIN &lt;nanos from BENCH_SPAWN_NANOS to main()&gt;      (only when BENCH_SPAWN_NANOS is set)
 * INVOKED &lt;nanos of the invocation&gt;
 * ERROR &lt;exception class&gt;: &lt;message&gt;                (only when the handler threw)
 * BODY &lt;the response, or Lambda's error document, on one line, shortened&gt;
 * CPU &lt;CPU nanos of this process so far, or -1&gt;
 * HTTP &lt;SDK HTTP exchanges&gt; &lt;nanos in them&gt;              (only with -Dbench.httpTimer=true, see {@link HttpTimer})
 * OPERATIONS &lt;Service.Operation=count,...&gt;                    (likewise)
 * </pre>
 * {@code BENCH_SPAWN_NANOS} is the parent's {@link System#nanoTime()} just before it started
 * this JVM; on Linux both read the same monotonic clock, so the difference is the JVM's own
 * start-up. (ManagementFactory would tell the JVM start too, but costs a cold start of its own.)
 * The parent measures the wall time until it reads the RESPONSE line.
 *
 * <p>A typed handler ({@link RequestHandler}) gets its input deserialized, and its output
 * serialized, with the Jackson of the artifact, as the runtime does with its own. A handler
 * that throws produces Lambda's error document, as the runtime would report it.
 *
 * <p>Nothing here uses lambdas or records, and the root pom compiles string concatenation
 * without invokedynamic: the runner should add as little bootstrap work as possible to the
 * cold start it measures.
 */
public final class Runner {

    private Runner() {
    }

    public static void main(String[] args) throws IOException {
        long start = System.nanoTime();
        PrintStream out = System.out;
        if (args.length != 2) {
            System.err.println("usage: Runner <handler class> <event.json>");
            System.exit(2);
            return;
        }
        String spawn = System.getenv("BENCH_SPAWN_NANOS");
        Object handler;
        try {
            handler = construct(args[0]);
        } catch (Throwable e) {
            Throwable cause = unwrap(e);
            out.println("INIT_ERROR " + describe(cause));
            out.flush();
            cause.printStackTrace();
            System.exit(1);
            return;
        }
        long constructed = System.nanoTime();
        Constructed.mark();
        out.println("CONSTRUCTED " + (constructed - start));
        out.flush();

        byte[] event;
        try (InputStream in = new FileInputStream(args[1])) {
            event = in.readAllBytes();
        }
        long invokeStart = System.nanoTime();
        byte[] response;
        String error = null;
        try {
            response = invoke(handler, event, new BenchContext());
        } catch (Throwable e) {
            Throwable cause = unwrap(e);
            response = errorDocument(cause);
            error = describe(cause);
            cause.printStackTrace();
        }
        long done = System.nanoTime();
        out.println("RESPONSE " + response.length + " " + (done - start) + " " + (spawn == null ? -1 : done - Long.parseLong(spawn.trim())));
        out.flush();
        Responded.mark();
        if (spawn != null) {
            out.println("MAIN " + (start - Long.parseLong(spawn.trim())));
        }
        out.println("INVOKED " + (done - invokeStart));
        if (error != null) {
            out.println("ERROR " + oneLine(error.getBytes(StandardCharsets.UTF_8), 600));
        }
        out.println("BODY " + oneLine(response, 600));
        out.println("CPU " + cpuNanos());
        httpStats(out);
        out.flush();
        System.exit(0);
    }

    /** As the Lambda runtime builds a handler: load and initialise the class, public no-arg constructor. */
    static Object construct(String className) throws ReflectiveOperationException {
        Class<?> type = Class.forName(className);
        return type.getConstructor().newInstance();
    }

    /** One invocation with a JSON event; returns the response bytes as the runtime would send them. */
    public static byte[] invoke(Object handler, byte[] event, Context context) throws Exception {
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(event), response, context);
            return response.toByteArray();
        }
        if (handler instanceof RequestHandler) {
            Method method = typedMethod(handler.getClass());
            Object input = Jackson.read(event, method.getParameterTypes()[0]);
            Object result = method.invoke(handler, input, context);
            return Jackson.write(result);
        }
        throw new IllegalArgumentException(handler.getClass().getName() + " is neither a RequestStreamHandler nor a RequestHandler");
    }

    /**
     * For warm measurements in a benchmark's own JVM: the event deserialized once, and a call
     * that runs only the handler (the runtime's (de)serialization is not handler time). The
     * supplier returns the handler's response object (bytes for a stream handler).
     */
    public static java.util.function.Supplier<Object> prepare(Object handler, byte[] event) throws Exception {
        return new PreparedCall(handler, event);
    }

    /** The response object of a typed handler as JSON, as the runtime would serialize it. */
    public static byte[] serialize(Object response) throws Exception {
        return response instanceof byte[] bytes ? bytes : Jackson.write(response);
    }

    /** The typed {@code handleRequest(I, Context)}, not the erased bridge method. */
    static Method typedMethod(Class<?> type) {
        Method fallback = null;
        for (Method m : type.getMethods()) {
            if (m.getName().equals("handleRequest") && m.getParameterCount() == 2 && m.getParameterTypes()[1] == Context.class) {
                if (!m.isBridge()) {
                    return m;
                }
                fallback = m;
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException(type.getName() + " has no handleRequest(input, Context)");
        }
        return fallback;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof InvocationTargetException || t instanceof ExceptionInInitializerError) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Throwable e) {
        return e.getClass().getName() + ": " + e.getMessage();
    }

    /** What the Lambda runtime reports for an unhandled exception. */
    private static byte[] errorDocument(Throwable e) {
        StringBuilder doc = new StringBuilder("{\"errorMessage\":");
        quote(doc, String.valueOf(e.getMessage()));
        doc.append(",\"errorType\":");
        quote(doc, e.getClass().getName());
        doc.append(",\"stackTrace\":[");
        StackTraceElement[] frames = e.getStackTrace();
        for (int i = 0; i < Math.min(5, frames.length); i++) {
            if (i > 0) {
                doc.append(',');
            }
            quote(doc, frames[i].toString());
        }
        doc.append("]}");
        return doc.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static String oneLine(byte[] bytes, int max) {
        String text = new String(bytes, 0, Math.min(bytes.length, max * 4), StandardCharsets.UTF_8);
        StringBuilder line = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && line.length() < max; i++) {
            char c = text.charAt(i);
            line.append(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
        }
        if (bytes.length > line.length()) {
            line.append(" ...");
        }
        return line.toString();
    }

    /**
     * With {@code -Dbench.httpTimer=true} (and HttpTimer registered through the SDK's global
     * interceptor file on the class path): the AWS calls the main thread made, and their time.
     */
    static void httpStats(PrintStream out) {
        if (Boolean.getBoolean("bench.httpTimer")) {
            out.println("HTTP " + HttpTimer.calls() + " " + HttpTimer.nanos());
            out.println("OPERATIONS " + HttpTimer.operations());
        }
    }

    /** After the measurement only: /proc read through ProcessHandle. */
    static long cpuNanos() {
        java.util.Optional<java.time.Duration> cpu = ProcessHandle.current().info().totalCpuDuration();
        return cpu.isPresent() ? cpu.get().toNanos() : -1;
    }

    /** Loaded right after the handler is constructed: marks the split in a -Xlog:class+load log. */
    static final class Constructed {
        private Constructed() {
        }

        static void mark() {
        }
    }

    /** Loaded right after the response: marks the end of the invocation in a -Xlog:class+load log. */
    static final class Responded {
        private Responded() {
        }

        static void mark() {
        }
    }

    /** The artifact's Jackson, by reflection (the runner itself has no dependencies). */
    static final class Jackson {
        private static Object mapper;

        private static synchronized Object mapper() throws ReflectiveOperationException {
            if (mapper == null) {
                Class<?> type = Class.forName("com.fasterxml.jackson.databind.ObjectMapper");
                Object m = type.getConstructor().newInstance();
                Class<?> feature = Class.forName("com.fasterxml.jackson.databind.DeserializationFeature");
                Object failOnUnknown = feature.getField("FAIL_ON_UNKNOWN_PROPERTIES").get(null);
                type.getMethod("configure", feature, boolean.class).invoke(m, failOnUnknown, false);
                mapper = m;
            }
            return mapper;
        }

        static Object read(byte[] json, Class<?> type) throws ReflectiveOperationException {
            if (type == byte[].class) {
                return json;
            }
            if (type == String.class) {
                return new String(json, StandardCharsets.UTF_8);
            }
            Object m = mapper();
            return m.getClass().getMethod("readValue", byte[].class, Class.class).invoke(m, json, type);
        }

        static byte[] write(Object value) throws ReflectiveOperationException {
            Object m = mapper();
            return (byte[]) m.getClass().getMethod("writeValueAsBytes", Object.class).invoke(m, value);
        }
    }

    /** A prepared warm call: the same deserialized event each time. */
    static final class PreparedCall implements java.util.function.Supplier<Object> {
        private final Object handler;
        private final byte[] event;
        private final Method typed;
        private final Object input;
        private final Context context = new BenchContext();

        PreparedCall(Object handler, byte[] event) throws Exception {
            this.handler = handler;
            this.event = event;
            if (handler instanceof RequestStreamHandler) {
                this.typed = null;
                this.input = null;
            } else {
                this.typed = typedMethod(handler.getClass());
                this.input = Jackson.read(event, typed.getParameterTypes()[0]);
            }
        }

        @Override
        public Object get() {
            try {
                if (typed == null) {
                    ByteArrayOutputStream response = new ByteArrayOutputStream();
                    ((RequestStreamHandler) handler).handleRequest(new ByteArrayInputStream(event), response, context);
                    return response.toByteArray();
                }
                return typed.invoke(handler, input, context);
            } catch (InvocationTargetException e) {
                Throwable cause = unwrap(e);
                throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
            } catch (IOException | IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The context the runtime passes: names from the Lambda environment, a 30 s deadline, stderr logging. */
    static final class BenchContext implements Context {
        private final long deadline = System.currentTimeMillis() + 30_000;
        private final String name;

        BenchContext() {
            String n = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
            this.name = n == null ? "bench" : n;
        }

        @Override
        public String getAwsRequestId() {
            return "00000000-0000-4000-8000-000000000000";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/" + name;
        }

        @Override
        public String getLogStreamName() {
            return "bench";
        }

        @Override
        public String getFunctionName() {
            return name;
        }

        @Override
        public String getFunctionVersion() {
            return "1";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:eu-central-1:123456789012:function:" + name + ":live";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) Math.max(0, deadline - System.currentTimeMillis());
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return StderrLogger.INSTANCE;
        }
    }

    static final class StderrLogger implements LambdaLogger {
        static final StderrLogger INSTANCE = new StderrLogger();

        @Override
        public void log(String message) {
            System.err.println(message);
        }

        @Override
        public void log(byte[] message) {
            System.err.println(new String(message, StandardCharsets.UTF_8));
        }
    }
}
