package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployed state machine files are what their YAML sources say, and each task retries and catches only what it can raise. */
class AslSourceTest {

    @Test
    void theDeployedFilesAreWhatTheirSourcesGive() throws IOException {
        for (Map.Entry<String, String> pair : AslSource.FILES.entrySet()) {
            assertThat(Files.readString(Repo.root().resolve(pair.getValue()), StandardCharsets.UTF_8))
                    .as(pair.getValue() + " differs from " + pair.getKey() + ": edit the source and run `make asl`")
                    .isEqualTo(AslSource.generate(Repo.root().resolve(pair.getKey())));
        }
    }

    /**
     * An error named in a task's Retry or Catch that is one of ours must be a class the task's
     * function can throw: in core (every function has it) or in the function's own package.
     */
    @Test
    void eachTaskRetriesAndCatchesOnlyErrorsItsFunctionCanRaise() throws Exception {
        SamTemplate template = SamTemplate.load(Repo.root().resolve("template.yaml"));
        List<String> checked = new ArrayList<>();
        for (String file : AslSource.FILES.values()) {
            JsonNode machine = new ObjectMapper().readTree(Repo.root().resolve(file).toFile());
            for (Map.Entry<String, JsonNode> state : TemplateAndStateMachineTest.allStates(machine).entrySet()) {
                String function = state.getValue().path("Parameters").path("FunctionName").asText();
                if (!function.startsWith("${") || !function.endsWith("FunctionArn}")) {
                    continue;
                }
                String logicalId = function.substring(2, function.length() - "Arn}".length());
                String handler = String.valueOf(SamTemplate.properties(template.resource(logicalId)).get("Handler"));
                String ownPackage = handler.substring(0, handler.lastIndexOf('.', handler.indexOf("::")));
                for (String field : List.of("Retry", "Catch")) {
                    for (JsonNode policy : state.getValue().path(field)) {
                        for (JsonNode error : policy.path("ErrorEquals")) {
                            String name = error.asText();
                            if (!name.startsWith("de.shopmigration.")) {
                                continue;
                            }
                            Class<?> type = Class.forName(name);
                            assertThat(RuntimeException.class).as(name).isAssignableFrom(type);
                            assertThat(type.getPackageName()).as(file + ": '" + state.getKey() + "' (" + logicalId + ") " + field + " " + name)
                                    .isIn("de.shopmigration.core", ownPackage);
                            checked.add(state.getKey() + " " + name);
                        }
                    }
                }
            }
        }
        assertThat(checked).as("the copy tasks retry an unavailable webhook")
                .anyMatch(c -> c.endsWith("de.shopmigration.copy.CopyWebhookUnavailable"));
        assertThat(checked).filteredOn(c -> c.endsWith("CopyWebhookUnavailable")).hasSize(2);
    }

    @Test
    void aPolicyNameTheSourceDoesNotDeclareOrAPolicyNoStateUsesIsRefused(@TempDir Path dir) throws IOException {
        String head = """
                Policies:
                  Retry:
                    lambda: {ErrorEquals: [Lambda.Unknown], MaxAttempts: 2}
                  Catch:
                    abort: {ErrorEquals: [States.ALL], Next: Stop}
                Machine:
                  StartAt: Go
                  States:
                    Stop: {Type: Fail}
                """;
        Path unknown = dir.resolve("unknown.asl.yaml");
        Files.writeString(unknown, head + "    Go: {Type: Task, Resource: x, Retry: [lamda], Catch: [abort], End: true}\n");
        assertThatThrownBy(() -> AslSource.generate(unknown)).hasMessageContaining("'Go'").hasMessageContaining("'lamda'");
        Path unused = dir.resolve("unused.asl.yaml");
        Files.writeString(unused, head + "    Go: {Type: Task, Resource: x, Retry: [lambda], End: true}\n");
        assertThatThrownBy(() -> AslSource.generate(unused)).hasMessageContaining("Catch.abort");
        Path fine = dir.resolve("fine.asl.yaml");
        Files.writeString(fine, head + "    Go: {Type: Task, Resource: x, Retry: [lambda, {ErrorEquals: [Own], MaxAttempts: 1}], Catch: [abort], End: true}\n");
        JsonNode go = new ObjectMapper().readTree(AslSource.generate(fine)).path("States").path("Go");
        assertThat(go.path("Retry").get(0).path("MaxAttempts").asInt()).isEqualTo(2);
        assertThat(go.path("Retry").get(1).path("ErrorEquals").get(0).asText()).isEqualTo("Own");
        assertThat(go.path("Catch").get(0).path("Next").asText()).isEqualTo("Stop");
    }
}
