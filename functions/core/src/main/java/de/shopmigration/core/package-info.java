/**
 * The domain shared by every function: the migration record and request, phases, steps, waits
 * and their links, the schedules and office hours, and the error types the state machines catch
 * by name (their names are part of the deployed definitions, so they stay in this package).
 * Beside it: {@code store} (the table), {@code lambda} (plumbing), {@code json}, {@code links}
 * (minting and signing) and {@code mail}.
 *
 * <p>The records that travel as JSON (the migration record as DynamoDB holds it, the request as
 * the execution input carries it) are listed here once: avaje-jsonb generates their adapters at
 * compile time, so binding them needs no reflection on a cold start.
 */
@io.avaje.jsonb.Json.Import({
        MigrationRecord.class,
        MigrationRecord.PhaseMark.class,
        MigrationRecord.RecordOriginal.class,
        MigrationRecord.DnsState.class,
        MigrationRecord.ExternalRecord.class,
        MigrationRecord.GoLiveSlot.class,
        MigrationRecord.Booking.class,
        MigrationRecord.Downtime.class,
        MigrationRecord.CopyResult.class,
        MigrationRecord.TestAccess.class,
        MigrationRecord.Decision.class,
        MigrationRecord.ErrorReport.class,
        MigrationRecord.Abort.class,
        MigrationRecord.Failure.class,
        MigrationRecord.EmailProblem.class,
        MigrationRecord.Unreachable.class,
        MigrationRequest.class,
        MigrationRequest.Customer.class,
        MigrationRequest.Staff.class,
        MigrationRequest.Domain.class,
        MigrationRequest.Copy.class,
        MigrationRequest.Location.class,
        MigrationRequest.Database.class,
        Timing.class,
        SiteCheckRun.class,
        SiteWatch.class})
package de.shopmigration.core;
