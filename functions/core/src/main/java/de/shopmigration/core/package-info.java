/**
 * The domain shared by every function: the migration record, its store, steps, links, timing.
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
        Timing.class})
package de.shopmigration.core;
