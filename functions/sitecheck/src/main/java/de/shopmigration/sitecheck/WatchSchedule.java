package de.shopmigration.sitecheck;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Supplier;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;

/**
 * The watch's clock: one EventBridge Scheduler schedule per migration in the stack's schedule
 * group, invoking the site check function every few minutes until the error window ends (then
 * Scheduler deletes it; the close-out and the cleanup delete it earlier). A schedule writes no
 * history events into the execution and costs nothing within Scheduler's free invocations.
 */
public final class WatchSchedule {

    /** Schedule names: 1–64 characters of letters, digits, '-', '_' and '.'. */
    static final int MAX_NAME = 64;

    private final Supplier<SchedulerClient> scheduler;
    private final String group;
    private final String targetArn;
    private final String roleArn;

    public WatchSchedule(Supplier<SchedulerClient> scheduler, String group, String targetArn, String roleArn) {
        this.scheduler = scheduler;
        this.group = group;
        this.targetArn = targetArn;
        this.roleArn = roleArn;
    }

    /** Creates the schedule unless it exists (a retried state); returns its name. */
    public String start(String migrationId, int minutes, Instant firstAt, Instant endsAt) {
        String name = name(migrationId);
        String input = "{\"operation\":\"WATCH\",\"migrationId\":\"" + migrationId + "\"}";
        try {
            scheduler.get().createSchedule(b -> b.name(name).groupName(group)
                    .description("Site watch of migration " + migrationId + " through the error window")
                    .scheduleExpression("rate(" + minutes + (minutes == 1 ? " minute)" : " minutes)"))
                    .startDate(firstAt).endDate(endsAt)
                    .flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF))
                    .actionAfterCompletion(ActionAfterCompletion.DELETE)
                    // A missed look is not worth a late one: the next comes within the interval.
                    .target(t -> t.arn(targetArn).roleArn(roleArn).input(input)
                            .retryPolicy(r -> r.maximumRetryAttempts(0).maximumEventAgeInSeconds(Math.max(60, minutes * 60)))));
        } catch (ConflictException e) {
            // created by an earlier attempt of the same state
        }
        return name;
    }

    /** Deletes the schedule; false when there was none (never started, ended, or deleted before). */
    public boolean stop(String migrationId) {
        try {
            scheduler.get().deleteSchedule(b -> b.name(name(migrationId)).groupName(group));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    /** {@code watch-<migration id>}; an id too long for Scheduler keeps its start and a hash of the whole. */
    static String name(String migrationId) {
        String plain = "watch-" + migrationId;
        if (plain.length() <= MAX_NAME) {
            return plain;
        }
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(migrationId.getBytes(StandardCharsets.UTF_8)));
            return plain.substring(0, MAX_NAME - 17) + "-" + hash.substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
