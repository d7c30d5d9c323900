package de.shopmigration.core;

import de.shopmigration.core.store.DomainHolds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A domain or moving host of the request is being moved by another running migration. The
 * state machine ends at its first state with this error (nothing written, sent or changed); the
 * message names the other migration, so staff know which one to finish or abort first.
 */
public final class DomainHeldByAnotherMigration extends RuntimeException {

    private final List<DomainHolds.Hold> held;

    public DomainHeldByAnotherMigration(String migrationId, List<DomainHolds.Hold> held) {
        super(message(migrationId, held));
        this.held = List.copyOf(held);
    }

    /** Each name another migration holds, with its holder. */
    public List<DomainHolds.Hold> held() {
        return held;
    }

    private static String message(String migrationId, List<DomainHolds.Hold> held) {
        Map<String, List<DomainHolds.Hold>> byHolder = new LinkedHashMap<>();
        held.forEach(h -> byHolder.computeIfAbsent(h.holder(), k -> new java.util.ArrayList<>()).add(h));
        String who = byHolder.entrySet().stream()
                .map(e -> String.join(", ", e.getValue().stream().map(DomainHolds.Hold::name).toList())
                        + " by migration " + e.getKey() + " (since " + e.getValue().get(0).since() + ")")
                .collect(Collectors.joining("; "));
        String holders = String.join(" and ", byHolder.keySet());
        return "Migration " + migrationId + " refused: another migration is still moving these names: " + who
                + ". Two migrations of one name at once would take the TTLs the first one lowered for the originals."
                + " Start this migration again, under a new execution name, once " + holders
                + (byHolder.size() == 1 ? " has" : " have") + " ended (completed, or aborted and cleaned up).";
    }
}
