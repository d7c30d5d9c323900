package de.shopmigration.core;

import de.shopmigration.core.store.Items;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The state machine writes the migration record itself ({@code dynamodb:updateItem} tasks): its
 * keys, update expressions and attribute names must be the ones {@link Items} defines, or a
 * change of the layout would leave the state machine writing somewhere else. Reads the ASL
 * source as text, one task block at a time.
 */
class ItemsInTheStateMachineTest {

    private static final List<Path> SOURCES = List.of(Path.of("../../statemachine.asl.yaml"), Path.of("../../cleanup.asl.yaml"));
    private static final Pattern TASK = Pattern.compile(
            "Resource: arn:\\$\\{Partition}:states:::dynamodb:(\\w+)\\n(.*?)\\n\\s+ResultPath:", Pattern.DOTALL);

    record DynamoTask(String action, String pk, String sk, String update, String condition, List<String> names) {
    }

    private static List<DynamoTask> tasks() throws IOException {
        List<DynamoTask> tasks = new ArrayList<>();
        for (Path source : SOURCES) {
            Matcher m = TASK.matcher(Files.readString(source));
            while (m.find()) {
                String block = m.group(2);
                List<String> names = new ArrayList<>();
                Matcher n = Pattern.compile("'#\\w+': (\\w+)").matcher(block);
                while (n.find()) {
                    names.add(n.group(1));
                }
                tasks.add(new DynamoTask(m.group(1), field(block, "pk:\\s+S\\.\\$: "), field(block, "sk:\\s+S: "),
                        field(block, "UpdateExpression: "), field(block, "ConditionExpression: "), names));
            }
        }
        return tasks;
    }

    private static String field(String block, String label) {
        Matcher m = Pattern.compile(label + "(.+)").matcher(block);
        return m.find() ? m.group(1).strip().replaceAll("^'(.*)'$", "$1") : null;
    }

    @Test
    void theStateMachinesUpdatesUseTheRecordsKeyAndTheNamesItemsDefines() throws IOException {
        List<DynamoTask> tasks = tasks();
        assertThat(tasks).as("dynamodb tasks in the ASL source").hasSizeGreaterThanOrEqualTo(3);
        Set<String> used = new HashSet<>();
        for (DynamoTask task : tasks) {
            assertThat(task.action()).as(task.toString()).isEqualTo("updateItem");
            assertThat(task.pk()).as(task.toString()).isEqualTo("States.Format('" + Items.MIGRATION + "{}', $.migrationId)");
            assertThat(task.sk()).as(task.toString()).isEqualTo(Items.RECORD);
            assertThat(Items.StateMachine.UPDATES).as(task.toString()).contains(task.update());
            assertThat(Items.StateMachine.CONDITIONS).as(task.toString()).contains(task.condition());
            assertThat(task.names()).as(task.toString()).allMatch(Items.StateMachine.STATUS::equals);
            used.add(task.update());
        }
        assertThat(used).as("every update Items names for the state machine is one it makes").containsExactlyInAnyOrderElementsOf(
                Items.StateMachine.UPDATES);
    }

    @Test
    void theAttributesTheStateMachineWritesAreTheRecordsOwn() {
        Set<String> components = new HashSet<>();
        Arrays.stream(MigrationRecord.class.getRecordComponents()).forEach(c -> components.add(c.getName()));
        assertThat(List.of(Items.StateMachine.CURRENT_PHASE, Items.StateMachine.PHASE_LOG, Items.StateMachine.STATUS,
                Items.StateMachine.CLOSED_AT, Items.StateMachine.FAILURE)).allMatch(components::contains);
    }

    @Test
    void aTaskWithAnotherKeyWouldBeFound() {
        Matcher m = TASK.matcher("""
                      Resource: arn:${Partition}:states:::dynamodb:updateItem
                      Parameters:
                        Key:
                          pk:
                            S.$: States.Format('MIGRATIONS#{}', $.migrationId)
                      ResultPath: null
                """);
        assertThat(m.find()).isTrue();
        assertThat(field(m.group(2), "pk:\\s+S\\.\\$: ")).isNotEqualTo("States.Format('" + Items.MIGRATION + "{}', $.migrationId)");
    }
}
