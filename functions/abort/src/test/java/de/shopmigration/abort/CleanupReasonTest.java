package de.shopmigration.abort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.shopmigration.core.json.Json;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.lambda.Collaborators;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which reason an abort gets: what staff or the abort path stored beats the execution's status. */
class CleanupReasonTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private static MigrationRecord record(String abortRequest, String failure) {
        MigrationRecord priming = Collaborators.primingRecord();
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(priming);
        if (abortRequest != null) {
            node.set("abortRequest", Json.read(abortRequest));
        }
        if (failure != null) {
            node.set("failure", Json.read(failure));
        }
        return Json.convert(node, MigrationRecord.class);
    }

    @Test
    void aStaffAbortByLinkKeepsTheReasonStaffTyped() {
        MigrationRecord.Abort reason = Cleanup.reason(record(
                "{\"reason\":\"Kunde hat den Umzug verschoben\",\"by\":\"staff\",\"at\":\"2026-01-05T08:00:00Z\"}",
                "{\"error\":\"States.Timeout\",\"cause\":\"late\"}"), "ABORTED", NOW);
        assertThat(reason).isEqualTo(new MigrationRecord.Abort("Kunde hat den Umzug verschoben", "staff", NOW));
    }

    @Test
    void aCaughtLambdaFailureBecomesItsExceptionNameAndMessageByTheSystem() {
        MigrationRecord.Abort reason = Cleanup.reason(record(null, "{\"error\":\"de.shopmigration.dns.DnsMismatch\",\"cause\":"
                + Json.write(Json.tree("{\"errorMessage\":\"Route 53 refused\",\"errorType\":\"de.shopmigration.dns.DnsMismatch\"}")) + "}"),
                "ABORTED", NOW);
        assertThat(reason).isEqualTo(new MigrationRecord.Abort("DnsMismatch: Route 53 refused", "system", NOW));
        assertThat(reason.technical()).isTrue();
    }

    @Test
    void aCauseThatIsNotJsonIsKeptAsItIs() {
        assertThat(Cleanup.reason(record(null, "{\"error\":\"States.Timeout\",\"cause\":\"{not json\"}"), "ABORTED", NOW).reason())
                .isEqualTo("Timeout: {not json");
    }

    @Test
    void withoutAnythingStoredTheExecutionsStatusSaysWhoEndedIt() {
        assertThat(Cleanup.reason(record(null, null), "ABORTED", NOW))
                .isEqualTo(new MigrationRecord.Abort("The execution was stopped in the AWS console", "staff (console)", NOW));
        assertThat(Cleanup.reason(record(null, null), "TIMED_OUT", NOW).by()).isEqualTo("system");
        assertThat(Cleanup.reason(record(null, null), "FAILED", NOW).reason()).isEqualTo("The execution ended with status FAILED");
    }

    @Test
    void anUnknownOperationOrAnEventWithoutExecutionNameIsAClearError() {
        AbortHandler handler = new AbortHandler(null, null);
        assertThatThrownBy(() -> handler.handle(Json.read("{\"operation\":\"UNDO\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BEGIN or FINISH");
        assertThatThrownBy(() -> handler.handle(Json.read("{\"operation\":\"BEGIN\",\"event\":{\"detail\":{}}}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event.detail.name");
    }
}
