package de.shopmigration.core.store;

import de.shopmigration.core.Retention;

import static de.shopmigration.core.store.AttributeValues.n;
import static de.shopmigration.core.store.AttributeValues.s;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Rejected requests (forged, unknown, expired links; refused callbacks) in a migration's audit
 * trail, without letting anyone who knows a migration id fill it: repeats of one reason from one
 * source are one item ({@code AUDIT#REJECT#reason#source}) with a count and the first and last
 * time seen; at most {@link #MAX_SOURCES} sources get an item of their own, the rest share one;
 * the request is stored normalised (method and route, never the token) and short; and a
 * container writes one source's repeats at most once a second, adding the ones it held back.
 */
public final class Rejections {

    public static final int MAX_SOURCES = 100;
    static final long WRITE_PAUSE_MILLIS = 1000;
    static final String OTHER_SOURCES = "(other sources)";
    private static final int MAX_PENDING_KEYS = 10_000;

    private final Table table;
    private final Retention retention;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private static final class Pending {
        final AtomicLong held = new AtomicLong();
        volatile long lastWrite;
    }

    Rejections(Table table, Retention retention) {
        this.retention = retention;
        this.table = table;
    }

    /**
     * @param reason  what was refused, a fixed text such as "link rejected: expired link"
     * @param request method and normalised path, e.g. "POST /m/M-1/{token}/callback"
     */
    public void record(String migrationId, String reason, String actor, String source, String request, Instant now) {
        String sourceKey = clip(source == null || source.isBlank() ? "unknown" : source, 64);
        String sk = Items.AUDIT_REJECT + slug(reason) + "#" + sourceKey;
        if (pending.size() > MAX_PENDING_KEYS) {
            pending.clear();
        }
        Pending p = pending.computeIfAbsent(migrationId + "|" + sk, k -> new Pending());
        long nowMs = now.toEpochMilli();
        synchronized (p) {
            if (nowMs - p.lastWrite < WRITE_PAUSE_MILLIS) {
                p.held.incrementAndGet();
                return;
            }
            p.lastWrite = nowMs;
        }
        long count = p.held.getAndSet(0) + 1;
        write(migrationId, sk, sourceKey, reason, actor, clip(request, 160), count, now);
    }

    private void write(String migrationId, String sk, String source, String reason, String actor, String request, long count, Instant now) {
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> values = Map.of(":now", s(now.toString()), ":r", s(reason),
                ":a", s(actor), ":q", s(request), ":src", s(source), ":n", n(count),
                ":purge", n(retention.auditEntryUntil(now)));
        // Every attribute by placeholder: "request", "count", "action" and others are reserved words in DynamoDB.
        String update = "SET #first = if_not_exists(#first, :now), #at = :now, #action = :r, #actor = :a, #request = :q, #source = :src, #purge = :purge "
                + "ADD #count :n";
        Map<String, String> names = Map.of("#first", "firstSeen", "#at", "at", "#action", "action", "#actor", "actor",
                "#request", "request", "#source", "sourceIp", "#count", "count", "#purge", Retention.ATTRIBUTE);
        // A source seen before: its item counts on.
        if (table.updateIf(Items.key(migrationId, sk), b -> b.updateExpression(update)
                .conditionExpression("attribute_exists(sk)").expressionAttributeNames(names).expressionAttributeValues(values))) {
            return;
        }
        // A new source: it gets an item if the migration has fewer than MAX_SOURCES.
        try {
            table.transact(List.of(
                    table.updating(Items.key(migrationId, Items.REJECTED_SOURCES), u -> u
                            .updateExpression("ADD #sources :one SET #purge = :purge")
                            .conditionExpression("attribute_not_exists(#sources) OR #sources < :max")
                            .expressionAttributeNames(Map.of("#sources", "sources", "#purge", Retention.ATTRIBUTE))
                            .expressionAttributeValues(Map.of(":one", n(1), ":max", n(MAX_SOURCES), ":purge", values.get(":purge")))),
                    table.updating(Items.key(migrationId, sk), u -> u.updateExpression(update)
                            .expressionAttributeNames(names).expressionAttributeValues(values))));
        } catch (TransactionCanceledException full) {
            String shared = sk.substring(0, sk.lastIndexOf('#') + 1) + OTHER_SOURCES;
            Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> others = new java.util.HashMap<>(values);
            others.put(":src", s(OTHER_SOURCES));
            table.update(Items.key(migrationId, shared), b -> b.updateExpression(update)
                    .expressionAttributeNames(names).expressionAttributeValues(others));
        }
    }

    /** The audit entry an aggregate item reads as: its last time, and the count and first time in the detail. */
    static AuditEntry entry(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        String detail = item.get("count").n() + "× since " + item.get("firstSeen").s() + ": " + item.get("request").s();
        return new AuditEntry(Instant.parse(item.get("at").s()), item.get("actor").s(), item.get("action").s(), detail,
                item.get("sourceIp").s());
    }

    static boolean isAggregate(String sk) {
        return sk.startsWith(Items.AUDIT_REJECT);
    }

    /**
     * The request as it may be stored: the route with the token left out, at most a few
     * segments; nothing that a link's holder could use.
     */
    public static String normalise(String method, String path) {
        String[] segments = (path == null ? "" : path).split("/", -1);
        StringBuilder out = new StringBuilder(clip(method == null ? "?" : method, 8)).append(' ');
        int shown = 0;
        for (int i = 1; i < segments.length && shown < 4; i++, shown++) {
            String segment = i == 2 && "m".equals(segments[1]) ? clip(segments[i], 80) : i == 3 && "m".equals(segments[1]) ? "{token}"
                    : clip(segments[i], 24);
            out.append('/').append(segment.replaceAll("[^A-Za-z0-9._{}-]", "_"));
        }
        if (segments.length > 5) {
            out.append("/…");
        }
        return out.toString();
    }

    private static String slug(String reason) {
        return reason.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
