package de.shopmigration.core.lambda;

import de.shopmigration.core.PermanentAwsFailure;
import de.shopmigration.core.TransientAwsFailure;
import de.shopmigration.core.json.Json;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The adapter every state-machine step shares: JSON in, JSON out through the one configured
 * {@link Json}, and AWS failures turned into the two error names the state machine's Retry and
 * Catch match (transient versus permanent).
 */
public abstract class JsonHandler implements RequestStreamHandler {

    @Override
    public final void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        JsonNode input = Json.read(in);
        long started = System.nanoTime();
        byte[] result;
        try {
            // Written out before the task counts as done: a result that cannot be serialised is the task's error.
            java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
            Object value = handle(input);
            Json.write(value == null ? Json.object() : value, buffer);
            result = buffer.toByteArray();
        } catch (SdkException e) {
            RuntimeException classified = classify(e);
            log(context, input, started, classified);
            throw classified;
        } catch (RuntimeException | Error e) {
            log(context, input, started, e);
            throw e;
        }
        log(context, input, started, null);
        out.write(result);
    }

    private void log(Context context, JsonNode input, long started, Throwable error) {
        if (context != null) {
            String function = context.getFunctionName() == null ? getClass().getSimpleName() : context.getFunctionName();
            // Standard output, not the LambdaLogger: under LogFormat JSON the Java runtime nests a
            // logger's text as a string in a JSON object of its own ("message"), where its fields
            // are no fields for Logs Insights; a JSON line on standard output stays as it is.
            System.out.println(TaskLog.line(function, input, (System.nanoTime() - started) / 1_000_000, error));
        }
    }

    protected abstract Object handle(JsonNode input);

    /**
     * Error codes that mean "try again later" but which the SDK does not count as throttling:
     * Route 53 answers PriorRequestNotComplete while an earlier change to the zone is applied.
     */
    private static final java.util.Set<String> TRANSIENT_CODES = java.util.Set.of("PriorRequestNotComplete", "Throttling");

    public static RuntimeException classify(SdkException e) {
        String what = e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                ? ase.awsErrorDetails().serviceName() + " " + ase.awsErrorDetails().errorCode() + ": "
                        + ase.awsErrorDetails().errorMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        boolean transientError = e.retryable() || unanswered(e)
                || e instanceof AwsServiceException ase && (ase.isThrottlingException() || ase.statusCode() >= 500
                        || ase.awsErrorDetails() != null && TRANSIENT_CODES.contains(ase.awsErrorDetails().errorCode()));
        return transientError ? new TransientAwsFailure(what, e) : new PermanentAwsFailure(what, e);
    }

    /**
     * The service never answered: the call timed out or the connection failed (the SDK reports
     * both as client exceptions that are not "retryable" once its own attempts are spent). A
     * network hiccup must not abort a migration, so the state machine tries the step again.
     */
    private static boolean unanswered(SdkException e) {
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        if (!(e instanceof SdkClientException)) {
            return false;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }
}
