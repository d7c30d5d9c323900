package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
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
                return new LambdaFront.Reply(500, "application/x-amz-json-1.0",
                        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"injected\"}"
                                .getBytes(StandardCharsets.UTF_8));
            }
            return null;
        });
        try {
            String arn = cloud.startMigration(id, input("once", FAST, null));
            Mailbox mail = cloud.mailbox();
            Mailbox.Mail copy = upToTheInitialCopy(id, Map.of());

            assertThat(injected.get()).as("the marker write failed every time the SDK tried it").isGreaterThanOrEqualTo(3);
            assertThat(mail.forMigration(id)).filteredOn(m -> m.kind().equals("CODE_FREEZE")).hasSize(1);
            boolean retried = false;
            try (SfnClient sfn = cloud.sfn()) {
                for (HistoryEvent e : sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(1000)).events()) {
                    if (e.type() == HistoryEventType.TASK_FAILED
                            && e.taskFailedEventDetails().error().equals("de.shopmigration.core.TransientAwsFailure")) {
                        retried = true;
                    }
                }
            }
            assertThat(retried).as("the notice step failed once and was retried").isTrue();

            abortToEnd(copy);
        } finally {
            faults.close();
        }
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
        AutoCloseable faults = cloud.front().inject(new LambdaFront.Faults() {
            @Override
            public LambdaFront.Reply intercept(String method, String path, java.util.List<String> auth, byte[] body) {
                return null;
            }

            @Override
            public LambdaFront.Reply lost(String method, String path, byte[] requestBody, int status, byte[] responseBody) {
                String text = new String(requestBody, StandardCharsets.UTF_8);
                if (status == 200 && text.contains("MIGRATION#" + id) && text.contains("EMAIL#CODE_FREEZE")
                        && text.contains("claimant") && lost.getAndIncrement() == 0) {
                    return new LambdaFront.Reply(500, "application/x-amz-json-1.0",
                            "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"answer lost (injected)\"}"
                                    .getBytes(StandardCharsets.UTF_8));
                }
                return null;
            }
        });
        try {
            cloud.startMigration(id, input("once-2", FAST, null));
            Mailbox mail = cloud.mailbox();
            Mailbox.Mail copy = upToTheInitialCopy(id, Map.of());

            assertThat(mail.forMigration(id)).filteredOn(m -> m.kind().equals("CODE_FREEZE")).hasSize(1);
            assertThat(lost.get()).as("the claim was stored, its answer lost, and the claim sent again").isEqualTo(2);

            abortToEnd(copy);
        } finally {
            faults.close();
        }
    }
}
