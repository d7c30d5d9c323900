package de.shopmigration.core.store;

import de.shopmigration.core.Retention;
import de.shopmigration.core.links.RandomIds;

import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The stores over the one table, built together: one per kind of item ({@link Items} has the
 * layout, {@link Table} the shared plumbing). Hands them out and holds no logic of its own.
 */
public final class MigrationStore {

    private final Table table;
    private final RecordStore records;
    private final DnsProgress dns;
    private final WaitStore waits;
    private final LinkStore links;
    private final DocumentStore documents;
    private final EmailLedger emails;
    private final AuditTrail audit;
    private final ErrorReports errorReports;
    private final Rejections rejections;
    private final DomainHolds domainHolds;
    private final DataExpiry expiry;
    private final GoLiveBookings bookings;
    private final SiteChecks siteChecks;

    public MigrationStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, new RandomIds());
    }

    /** @param uniqueIds the audit keys' random part (a source renewed after SnapStart restores) */
    public MigrationStore(DynamoDbClient dynamo, String table, Supplier<String> uniqueIds) {
        this(dynamo, table, uniqueIds, Retention.DEFAULT);
    }

    /** @param retention how long items are kept (the table's time to live) */
    public MigrationStore(DynamoDbClient dynamo, String table, Supplier<String> uniqueIds, Retention retention) {
        this.table = new Table(dynamo, table);
        this.domainHolds = new DomainHolds(this.table);
        this.records = new RecordStore(this.table, domainHolds);
        this.dns = new DnsProgress(records);
        this.links = new LinkStore(this.table);
        this.waits = new WaitStore(this.table, records, links);
        this.documents = new DocumentStore(this.table);
        this.emails = new EmailLedger(this.table);
        this.audit = new AuditTrail(this.table, uniqueIds, retention);
        this.errorReports = new ErrorReports(this.table, links, uniqueIds);
        this.rejections = new Rejections(this.table, retention);
        this.expiry = new DataExpiry(this.table, records, retention);
        this.bookings = new GoLiveBookings(this.table, retention);
        this.siteChecks = new SiteChecks(this.table);
    }

    /** The table itself, for tests and tools that look at raw items. */
    public Table table() {
        return table;
    }

    /** The migration record. */
    public RecordStore records() {
        return records;
    }

    /** What the DNS steps note in the record. */
    public DnsProgress dns() {
        return dns;
    }

    /** The waits for answers, and deciding them. */
    public WaitStore waits() {
        return waits;
    }

    /** The links, and the staff calendar's link in use. */
    public LinkStore links() {
        return links;
    }

    /** The documents attached to emails. */
    public DocumentStore documents() {
        return documents;
    }

    /** The emails' send-once claims, and the bounces and complaints. */
    public EmailLedger emails() {
        return emails;
    }

    /** The audit trail. */
    public AuditTrail audit() {
        return audit;
    }

    /** The customer's error reports, items of their own. */
    public ErrorReports errorReports() {
        return errorReports;
    }

    /** Which running migration holds each domain name. */
    public DomainHolds domainHolds() {
        return domainHolds;
    }

    /** When the items of an ended migration are deleted (the table's time to live). */
    public DataExpiry expiry() {
        return expiry;
    }

    /** The go-live bookings across migrations: places in time (capacity by overlap) and the staff calendar's index. */
    public GoLiveBookings bookings() {
        return bookings;
    }

    /** Rejected requests, aggregated per reason and source. */
    public Rejections rejections() {
        return rejections;
    }

    /** The automatic checks of the shop's pages and the watch after the go-live. */
    public SiteChecks siteChecks() {
        return siteChecks;
    }
}
