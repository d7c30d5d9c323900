package de.shopmigration.links;


import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.Link;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.store.RecordStore;
import de.shopmigration.core.store.WaitStore.Use;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.Step;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.Wait;
import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * Answers to a wait: the answer is stored together with using the link, and only then handed
 * to the waiting task in the state machine (or, when Step Functions does not answer, to the
 * delivery function in the background). Also the copy wait's heartbeat.
 */
final class Decisions {

    private final Collaborators services;
    /** Only a decision, a heartbeat or an abort talks to Step Functions; a page view never does. */
    private final Supplier<SfnClient> sfn;
    /** Takes a stored answer to Step Functions in the background when the page's own hand-over fails. */
    private final Supplier<LambdaClient> lambda;
    private final Optional<String> deliveryFunction;
    private final PageViews views;
    private final PageAudit audit;

    Decisions(Collaborators services, Supplier<SfnClient> sfn, Supplier<LambdaClient> lambda, Optional<String> deliveryFunction,
              PageViews views, PageAudit audit) {
        this.services = services;
        this.sfn = sfn;
        this.lambda = lambda;
        this.deliveryFunction = deliveryFunction;
        this.views = views;
        this.audit = audit;
    }

    /** Stores the answer with the link's use and the wait's decision, then tells the state machine. */
    HttpResult decide(Link link, MigrationRecord record, Forms.Checked checked, LinkPages.Request request, Instant now, Texts t,
                      String actor, Optional<Runnable> onRefused) {
        Map<String, String> values = checked.values();
        Use use = answer(link, record, values, request, now, actor);
        if (!(use instanceof Use.Accepted)) {
            onRefused.ifPresent(Runnable::run);
        }
        Purpose purpose = link.purpose();
        return switch (use) {
            case Use.Accepted accepted -> views.message(200, t.language(), doneKey(purpose, record), record, "success", link,
                    values.containsKey("slot") ? Map.of("slot", TimeFormats.human(Instant.parse(values.get("slot")), t.language())) : Map.of());
            case Use.LinkAlreadyUsed used -> views.message(409, t.language(), "error.used", record, "info", link);
            case Use.WaitAlreadyDecided decided -> views.message(409, t.language(), "error.decided", record, "info", link);
            case Use.Gone gone -> views.message(410, t.language(), "error.expired", record, "error", link);
        };
    }

    /**
     * The confirmation of a decision: what was decided (its title) and what happens next, which
     * for passed tests depends on whether an ordered optimisation is still to come.
     */
    static String doneKey(Purpose purpose, MigrationRecord record) {
        if (purpose == Purpose.TESTS_PASSED && record.answers() != null && record.answers().path("optimisationOrdered").asBoolean(false)
                && record.decisions().stream().noneMatch(d -> Step.OPTIMISATION.name().equals(d.step()))) {
            return "page.done.TESTS_PASSED.optimisation";
        }
        return "page.done." + purpose.name();
    }

    /**
     * Records an answer to a wait: the decision (and what the purpose stores with it) goes into
     * the record in the same transaction that uses the link; the state machine hears of it
     * only afterwards.
     */
    Use answer(Link link, MigrationRecord record, Map<String, String> values, LinkPages.Request request, Instant now, String actor) {
        Purpose purpose = link.purpose();
        Wait wait = services.store().waits().find(record.migrationId(), link.waitKey()).orElseThrow();
        ObjectNode output = Json.object().put("decision", purpose.decision());
        String description = values.getOrDefault("description", values.get("reason"));
        if (description != null && !description.isEmpty()) {
            output.put(values.containsKey("description") ? "description" : "reason", description);
        } else {
            description = null;
        }
        RecordStore.Answer change = RecordStore.Answer.of(new MigrationRecord.Decision(wait.step().name(), wait.round(),
                purpose.decision(), MigrationRecord.summary(description), actor, now));
        switch (purpose) {
            case QUESTIONNAIRE -> {
                ObjectNode answers = Forms.answers(new Forms.Checked(Forms.fields(purpose, record, views.texts(purpose, record),
                        views.provider()).stream().map(f -> f.value(values.get(f.name()))).toList(), true), record);
                change = change.withAnswers(answers);
                output.put("optimisationOrdered", answers.path("optimisationOrdered").asBoolean(false));
            }
            case MAINTENANCE_ON -> {
                change = change.withDowntimeStarted(new MigrationRecord.Downtime(now, null, null));
            }
            case COPY_DONE, COPY_FAILED -> {
                MigrationRecord.CopyResult copy = CopyForm.result(wait.step(), purpose, values, now);
                output.setAll((ObjectNode) Json.tree(copy));
                output.put("decision", purpose.decision());
                // Staff may correct the test access with any copy they confirm; the callback carries none.
                change = change.withCopy(copy, CopyForm.access(values, now).orElse(null));
            }
            case BOOK_SLOT, REBOOK -> {
                Instant start = Instant.parse(values.get("slot"));
                output.put("slotStart", start.toString());
                output.put("slotEnd", services.officeHours().end(start).toString());
                // The places the booking took, so the go-live function stores exactly what to give back.
                services.officeHours().cells(start).forEach(cell -> output.withArray("slotCells").add(cell.toString()));
            }
            default -> {
            }
        }
        Use use = services.store().waits().answer(link, Json.write(output), actor, request.sourceIp(), now, change);
        if (use instanceof Use.Accepted accepted) {
            services.metrics().waitAnswered(record.migrationId(), wait.step(),
                    wait.openedAt() == null ? java.time.Duration.ZERO : java.time.Duration.between(wait.openedAt(), now));
            try {
                deliver(accepted.decided(), Json.write(output));
                audit.audit(record, actor, purpose.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                        + " (" + wait.step().name() + " round " + wait.round() + ")", description, request, now);
            } catch (SdkException afterStored) {
                // The answer is stored: the page must say so, or the person sends it again and is
                // told it was already done. The wait's next entry finds the stored decision.
                warn(record.migrationId(), "answer stored, hand-over or audit failed: " + afterStored.getClass().getSimpleName());
            }
        } else if (use instanceof Use.LinkAlreadyUsed) {
            redeliver(link);
        }
        return use;
    }

    /**
     * A used link is sent again: its answer may be stored while the state machine never heard
     * of it (the first click's delivery failed and its page said "try again"). Hand the stored
     * answer over again; a task that already has it refuses the token, which changes nothing.
     */
    void redeliver(Link link) {
        if (link.waitKey() != null) {
            services.store().waits().find(link.migrationId(), link.waitKey()).filter(Wait::resolved)
                    .ifPresent(decided -> deliver(decided, decided.output()));
        }
    }

    /**
     * Hands the decision to the waiting task. If the token went stale (the wait timed out for a
     * reminder and is being re-entered), the re-entered wait finds the stored decision and
     * delivers it itself; nothing is lost either way. If Step Functions cannot be reached (a
     * timeout, throttling), the answer is stored already: the hand-over goes on in the
     * background, an asynchronous invocation of the delivery function that Lambda retries, and
     * the person is not asked to click again.
     */
    private void deliver(Wait wait, String output) {
        try {
            sfn.get().sendTaskSuccess(b -> b.taskToken(wait.taskToken()).output(output));
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
            // Stale token: the wait's next entry delivers the stored decision.
        } catch (SdkException unreachable) {
            handOver(wait, unreachable);
        }
    }

    private void handOver(Wait wait, SdkException cause) {
        String function = deliveryFunction.orElseThrow(() -> cause);
        String event = Json.write(Json.object().put("operation", "DELIVER").put("migrationId", wait.migrationId()).put("waitKey", wait.key()));
        lambda.get().invoke(b -> b.functionName(function).invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String(event)));
        services.store().audit().add(wait.migrationId(), new AuditEntry(services.clock().instant(), "system",
                "decision handed over in the background", wait.key() + ": Step Functions did not answer (" + cause.getClass().getSimpleName() + ")", null));
    }

    /** Resets the heartbeat clock of a copy wait; a stale token means the wait is being re-entered, which resets it anyway. */
    void heartbeat(Wait wait) {
        try {
            sfn.get().sendTaskHeartbeat(b -> b.taskToken(wait.taskToken()));
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
            // The next entry of the wait starts a fresh heartbeat clock.
        }
    }

    /** One JSON line to the function's log; never the link, the token or what was typed. */
    private static void warn(String migrationId, String message) {
        System.err.println(Json.write(Json.object().put("level", "WARN").put("migrationId", migrationId).put("message", message)));
    }
}
