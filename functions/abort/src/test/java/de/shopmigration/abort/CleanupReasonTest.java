package de.shopmigration.abort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.shopmigration.core.Json;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.Services;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which reason an abort gets: what staff or the abort path stored beats the execution's status. */
class CleanupReasonTest {

    private static final Cleanup.Reason CONSOLE = Cleanup.Reason.ended("ABORTED");

    private static MigrationRecord record(String abortRequest, String failure) {
        MigrationRecord priming = Services.primingRecord();
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
        Cleanup.Reason reason = Cleanup.Reason.of(record(
                "{\"reason\":\"Kunde hat den Umzug verschoben\",\"by\":\"staff\",\"at\":\"2026-01-05T08:00:00Z\"}",
                "{\"error\":\"States.Timeout\",\"cause\":\"late\"}"), CONSOLE);
        assertThat(reason).isEqualTo(new Cleanup.Reason("Kunde hat den Umzug verschoben", "staff"));
    }

    @Test
    void aCaughtLambdaFailureBecomesItsExceptionNameAndMessageByTheSystem() {
        Cleanup.Reason reason = Cleanup.Reason.of(record(null, "{\"error\":\"de.shopmigration.dns.DnsMismatch\",\"cause\":"
                + Json.write(Json.tree("{\"errorMessage\":\"Route 53 refused\",\"errorType\":\"de.shopmigration.dns.DnsMismatch\"}")) + "}"),
                CONSOLE);
        assertThat(reason).isEqualTo(new Cleanup.Reason("DnsMismatch: Route 53 refused", "system"));
        assertThat(new MigrationRecord.Abort(reason.text(), reason.by(), Instant.EPOCH).technical()).isTrue();
    }

    @Test
    void aCauseThatIsNotJsonIsKeptAsItIs() {
        assertThat(Cleanup.Reason.of(record(null, "{\"error\":\"States.Timeout\",\"cause\":\"{not json\"}"), CONSOLE).text())
                .isEqualTo("Timeout: {not json");
    }

    @Test
    void withoutAnythingStoredTheExecutionsStatusSaysWhoEndedIt() {
        assertThat(Cleanup.Reason.of(record(null, null), CONSOLE)).isEqualTo(new Cleanup.Reason("The execution was stopped in the AWS console", "staff (console)"));
        assertThat(Cleanup.Reason.ended("TIMED_OUT").by()).isEqualTo("system");
        assertThat(Cleanup.Reason.ended("FAILED").text()).isEqualTo("The execution ended with status FAILED");
    }

    @Test
    void anUnknownOperationOrAnEventWithoutExecutionNameIsAClearError() {
        AbortHandler handler = new AbortHandler((Cleanup) null);
        assertThatThrownBy(() -> handler.handle(Json.read("{\"operation\":\"UNDO\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BEGIN or FINISH");
        assertThatThrownBy(() -> handler.handle(Json.read("{\"operation\":\"BEGIN\",\"event\":{\"detail\":{}}}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event.detail.name");
    }
}
