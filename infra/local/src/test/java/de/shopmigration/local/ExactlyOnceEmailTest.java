package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * A step that sent its email and then failed is retried by the state machine; the retry finds
 * the email's marker and sends nothing. Forced here by failing the write that records the sent
 * email (DynamoDB answers 500 every time, so the SDK's own retries are spent too).
 */
class ExactlyOnceEmailTest extends CloudTest {

    @Test
    void aRetriedStepDoesNotSendItsEmailAgain() throws Exception {
        String id = "M-ONCE-1";
        AtomicInteger injected = new AtomicInteger();
        AutoCloseable faults = cloud.front().inject((method, path, auth, body) -> {
            String text = new String(body, StandardCharsets.UTF_8);
            boolean target = text.contains("MIGRATION#" + id) && text.contains("EMAIL#CODE_FREEZE") && text.contains("messageId");
            if (target) {
                injected.incrementAndGet();
                return internalError("injected");
            }
            return null;
        });
        codeFreezeSentOnce(id, "once", faults, arn -> {
            assertThat(injected.get()).as("the marker write failed every time the SDK tried it").isGreaterThanOrEqualTo(3);
            assertThat(aStepFailedAndWasRetried(arn)).as("the notice step failed once and was retried").isTrue();
        });
    }

    /**
     * DynamoDB stores an email's claim but its answer is lost (to the caller it looks like a
     * timeout), so the SDK sends the same claim again. That retry must recognise its own claim:
     * taken for someone else's, the email would never be sent and the customer never asked.
     */
    @Test
    void aClaimWhoseAnswerWasLostStillSendsTheEmailOnce() throws Exception {
        String id = "M-ONCE-2";
        AtomicInteger lost = new AtomicInteger();
        AutoCloseable faults = afterMoto((text, status) -> {
            if (status == 200 && text.contains("MIGRATION#" + id) && text.contains("EMAIL#CODE_FREEZE")
                    && text.contains("claimant") && lost.getAndIncrement() == 0) {
                return internalError("answer lost (injected)");
            }
            return null;
        });
        codeFreezeSentOnce(id, "once-2", faults, arn -> {
            assertThat(lost.get()).as("the claim was stored, its answer lost, and the claim sent again").isEqualTo(2);
        });
    }

    /**
     * The claim is stored every time but every answer is lost, so the SDK gives up and the step
     * fails. The claim is given back (only its own, only while unsent), and the retried step
     * sends the email: left in place, it would have passed for an email already sent.
     */
    @Test
    void aClaimThatFailedForTheCallerIsGivenBackAndTheRetrySends() throws Exception {
        String id = "M-ONCE-3";
        AtomicInteger lost = new AtomicInteger();
        AtomicInteger released = new AtomicInteger();
        AutoCloseable faults = afterMoto((text, status) -> {
            if (!text.contains("MIGRATION#" + id) || !text.contains("EMAIL#CODE_FREEZE")) {
                return null;
            }
            if (!text.contains("\"Item\"") && text.contains("claimant = :me")) {
                released.incrementAndGet();
                return null;
            }
            if (status == 200 && text.contains("claimedAt") && released.get() == 0) {
                lost.incrementAndGet();
                return internalError("answer lost (injected)");
            }
            return null;
        });
        codeFreezeSentOnce(id, "once-3", faults, arn -> {
            assertThat(lost.get()).as("every attempt of the SDK stored the claim and lost its answer").isGreaterThanOrEqualTo(3);
            assertThat(released.get()).as("the failed claim was given back").isGreaterThanOrEqualTo(1);
            assertThat(aStepFailedAndWasRetried(arn)).as("the notice step failed and was retried").isTrue();
        });
    }

    private boolean aStepFailedAndWasRetried(String arn) {
        try (SfnClient sfn = cloud.sfn()) {
            return sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(1000)).events().stream()
                    .anyMatch(e -> e.type() == HistoryEventType.TASK_FAILED
                            && e.taskFailedEventDetails().error().equals("de.shopmigration.core.TransientAwsFailure"));
        }
    }

    /** Runs the migration up to the initial copy with the faults in place; the code-freeze email went out once. */
    private void codeFreezeSentOnce(String id, String zone, AutoCloseable faults, java.util.function.Consumer<String> check) throws Exception {
        try (faults) {
            String arn = cloud.startMigration(id, input(zone, FAST, null));
            Mailbox.Mail copy = upToTheInitialCopy(id, Map.of());
            assertThat(cloud.mailbox().forMigration(id)).filteredOn(m -> m.kind().equals("CODE_FREEZE")).hasSize(1);
            check.accept(arn);
            abortToEnd(copy);
        }
    }

    private static LambdaFront.Reply internalError(String message) {
        return new LambdaFront.Reply(500, "application/x-amz-json-1.0",
                ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"" + message + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** Faults that see moto's answer first: {@code instead} returns the answer the caller gets instead, or null. */
    private AutoCloseable afterMoto(java.util.function.BiFunction<String, Integer, LambdaFront.Reply> instead) {
        return cloud.front().inject(new LambdaFront.Faults() {
            @Override
            public LambdaFront.Reply intercept(String method, String path, java.util.List<String> auth, byte[] body) {
                return null;
            }

            @Override
            public LambdaFront.Reply lost(String method, String path, byte[] requestBody, int status, byte[] responseBody) {
                return instead.apply(new String(requestBody, StandardCharsets.UTF_8), status);
            }
        });
    }
}
