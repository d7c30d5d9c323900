package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Every function writes one JSON line per task (and the link pages one per request) that a
 * query by migration id finds: function, step, outcome, duration, the error's type when it
 * failed; never a link, a task token, an address or what someone typed.
 */
class FunctionLogsTest extends CloudTest {

    /** The JSON lines the functions logged for this migration, as the harness received them. */
    private List<JsonNode> lines(String id) {
        List<JsonNode> out = new ArrayList<>();
        List<String> all;
        synchronized (shared.log) {
            all = new ArrayList<>(shared.log);
        }
        for (String line : all) {
            int json = line.indexOf("] {");
            if (line.startsWith("[") && json > 0) {
                JsonNode node = Json.read(line.substring(json + 2));
                // The metric lines (MetricLinesTest) share the log; here the task and page lines.
                if (id.equals(node.path("migrationId").asText()) && !node.has("_aws")) {
                    out.add(node);
                }
            }
        }
        return out;
    }

    private List<String> raw(String id) {
        synchronized (shared.log) {
            return shared.log.stream().filter(l -> l.contains("\"migrationId\":\"" + id + "\"")).toList();
        }
    }

    @Test
    void eachTaskAndPageLeavesOneQueryableLineWithoutSecretsOrPersonalData() throws Exception {
        String bad = "M-LOGS-BAD";
        cloud.awaitEnd(cloud.startMigration(bad, """
                {"customer": {"name": "", "email": "not-an-email", "language": "fr"}, "domains": [], "newIp": "300.1.1.1", "targetTtl": 5}
                """), WAIT);
        assertThat(lines(bad)).anySatisfy(l -> {
            assertThat(l.path("function").asText()).contains("Intake");
            assertThat(l.path("level").asText()).isEqualTo("ERROR");
            assertThat(l.path("outcome").asText()).isEqualTo("error");
            assertThat(l.path("errorType").asText()).isEqualTo("de.shopmigration.core.InvalidMigrationRequest");
        });
        assertThat(raw(bad)).noneMatch(l -> l.contains("not-an-email") || l.contains("300.1.1.1"));

        String id = "M-LOGS-1";
        String arn = cloud.startMigration(id, input("logs", FAST, null));
        Mailbox.Mail questionnaire = cloud.mailbox().await(id, "QUESTIONNAIRE", WAIT);
        String link = questionnaire.link("Fragebogen ausfüllen");
        answerQuestionnaire(questionnaire, Map.of("notes", "Geheime Notiz 4711"));
        cloud.mailbox().await(id, "CLUSTER_PREPARATION", WAIT);
        try (var sfn = cloud.sfn()) {
            sfn.stopExecution(b -> b.executionArn(arn).cause("test"));
        }
        assertThat(cloud.awaitEnd(arn, WAIT).status()).isEqualTo(ExecutionStatus.ABORTED);
        cloud.mailbox().await(m -> id.equals(m.migrationId()) && m.kind().equals("ABORTED"), WAIT, "the abort notice");

        // A task's line is written when it returns, just after the email it sent.
        long until = System.currentTimeMillis() + 30_000;
        while (lines(id).stream().noneMatch(l -> "ABORTED".equals(l.path("step").asText())) && System.currentTimeMillis() < until) {
            Thread.sleep(200);
        }
        List<JsonNode> lines = lines(id);
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.path("function").asText()).isNotBlank();
            assertThat(l.path("durationMs").isIntegralNumber()).as(l.toString()).isTrue();
            assertThat(l.path("level").asText()).isIn("INFO", "ERROR");
        });
        assertThat(lines).filteredOn(l -> l.path("message").asText().equals("task"))
                .extracting(l -> l.path("function").asText() + " " + l.path("step").asText() + " " + l.path("outcome").asText())
                .anyMatch(s -> s.contains("ask") && s.endsWith("QUESTIONNAIRE ok"))
                .anyMatch(s -> s.contains("ask") && s.endsWith("CLUSTER_PREPARATION ok"))
                .anyMatch(s -> s.startsWith("DnsFunction LOWER_TTL ok"))
                .anyMatch(s -> s.contains("Abort") && s.endsWith("START_CLEANUP ok"))
                .anyMatch(s -> s.contains("Notify") && s.endsWith("ABORTED ok"));
        assertThat(lines).filteredOn(l -> l.path("message").asText().equals("page"))
                .anySatisfy(l -> {
                    assertThat(l.path("method").asText()).isEqualTo("POST");
                    assertThat(l.path("status").asInt()).isEqualTo(200);
                });
        String token = link.substring(link.lastIndexOf('/') + 1);
        String linkId = token.substring(0, token.indexOf('.'));
        assertThat(raw(id)).isNotEmpty().noneMatch(l -> l.contains(linkId) || l.contains("taskToken") || l.contains("Geheime Notiz")
                || l.contains("erika@") || l.contains("Erika"));
    }
}
