package de.shopmigration.links;

import de.shopmigration.core.Link;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Staff abort: the reason goes into the record, then the execution is stopped, exactly as
 * a stop in the console would; the EventBridge rule on the stopped execution runs the one
 * cleanup. This works at any point of the migration, waiting or not.
 */
final class StaffAbort {

    private final Collaborators services;
    private final Supplier<SfnClient> sfn;
    private final Optional<String> stateMachineArn;
    private final PageViews views;
    private final PageAudit audit;

    StaffAbort(Collaborators services, Supplier<SfnClient> sfn, Optional<String> stateMachineArn, PageViews views, PageAudit audit) {
        this.services = services;
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
        this.views = views;
        this.audit = audit;
    }

    HttpResult abort(Link link, MigrationRecord record, Forms.Checked checked, LinkPages.Request request, Instant now, Texts t) {
        if (!services.store().links().use(link, request.sourceIp(), now)) {
            return views.message(409, t.language(), "error.used", record, "info", link);
        }
        String reason = checked.values().get("reason");
        String customerMessage = checked.values().get("customerMessage");
        services.store().records().requestAbort(record.migrationId(), new MigrationRecord.Abort(reason, "staff", now,
                customerMessage == null || customerMessage.isBlank() ? null : customerMessage));
        audit.audit(record, "staff", "abort requested", reason, request, now);
        String executionArn = stateMachineArn.orElseThrow(() -> new de.shopmigration.core.MissingConfiguration("STATE_MACHINE_ARN"))
                .replace(":stateMachine:", ":execution:") + ":" + record.migrationId();
        try {
            sfn.get().stopExecution(b -> b.executionArn(executionArn).error("MigrationAborted").cause(reason));
        } catch (software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException e) {
            // Nothing to stop: the cleanup still runs from the record's abort request when the rule fires.
        }
        return views.message(200, t.language(), "page.done.ABORT", record, "success", link);
    }
}
