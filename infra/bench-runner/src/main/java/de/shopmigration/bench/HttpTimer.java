package de.shopmigration.bench;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Time the calling thread spends in SDK HTTP exchanges: from just before the request is sent
 * (after marshalling and signing) until the response headers are in, per attempt, plus the time
 * blocked reading the response body (the SDK reads it while unmarshalling, after the headers).
 * A warm benchmark subtracts it from the handler time to get the handler's own time.
 *
 * <p>Registered only where a benchmark asks for it, through the SDK's global interceptor file
 * ({@code software/amazon/awssdk/global/handlers/execution.interceptors}) on the class path of
 * an isolated class loader; the jar does not carry that file, so cold starts never load this.
 */
public final class HttpTimer implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("BenchHttpTimerStarted");
    private static final ThreadLocal<long[]> TOTALS = new ThreadLocal<long[]>() {
        @Override
        protected long[] initialValue() {
            return new long[2];
        }
    };
    private static final ThreadLocal<Map<String, Integer>> OPERATIONS = ThreadLocal.withInitial(TreeMap::new);

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        if (started != null) {
            long[] totals = TOTALS.get();
            totals[0] += System.nanoTime() - started;
            totals[1]++;
            OPERATIONS.get().merge(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1, Integer::sum);
        }
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Optional<InputStream> body = context.responseBody();
        return body.isPresent() ? Optional.<InputStream>of(new TimedBody(body.get())) : body;
    }

    /** Counts the time spent blocked in reads of a response body as HTTP time of the reading thread. */
    static final class TimedBody extends FilterInputStream {
        TimedBody(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            long started = System.nanoTime();
            try {
                return super.read();
            } finally {
                TOTALS.get()[0] += System.nanoTime() - started;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long started = System.nanoTime();
            try {
                return super.read(b, off, len);
            } finally {
                TOTALS.get()[0] += System.nanoTime() - started;
            }
        }
    }

    /** Starts counting afresh for the calling thread. */
    public static void reset() {
        long[] totals = TOTALS.get();
        totals[0] = 0;
        totals[1] = 0;
        OPERATIONS.get().clear();
    }

    /** Nanos spent in HTTP exchanges on this thread since {@link #reset}. */
    public static long nanos() {
        return TOTALS.get()[0];
    }

    /** The HTTP exchanges on this thread since {@link #reset}, by operation: "DynamoDb.GetItem=3,Route53.ChangeResourceRecordSets=1". */
    public static String operations() {
        StringBuilder line = new StringBuilder();
        OPERATIONS.get().forEach((operation, count) -> line.append(line.isEmpty() ? "" : ",").append(operation).append('=').append(count));
        return line.toString();
    }

    /** HTTP exchanges (attempts) on this thread since {@link #reset}. */
    public static long calls() {
        return TOTALS.get()[1];
    }
}
