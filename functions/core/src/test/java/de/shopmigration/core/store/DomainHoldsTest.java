package de.shopmigration.core.store;

import de.shopmigration.core.DomainHeldByAnotherMigration;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.TransientAwsFailure;
import de.shopmigration.core.lambda.Collaborators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The decisions of {@link DomainHolds} that need no DynamoDB: what a cancelled transaction means
 * (which names a parsed request holds: the intake's RequestParserTest). The emulator tests
 * (HeldDomainTest) prove the holds work.
 */
class DomainHoldsTest {

    private final DomainHolds holds = new DomainHolds(null, "table");
    private final TransactionCanceledException cancelled = (TransactionCanceledException) TransactionCanceledException.builder()
            .message("Transaction cancelled").build();

    @Test
    void aNameAnotherMigrationHoldsIsRefusedNamingItAndWhatItHolds() {
        List<CancellationReason> reasons = List.of(
                CancellationReason.builder().code("None").build(),
                held("shop.example", "M-FIRST", "2026-03-02T09:00:00Z"),
                held("www.shop.example", "M-FIRST", "2026-03-02T09:00:00Z"));
        RuntimeException refusal = holds.refusal("M-SECOND", List.of("api.shop.example", "shop.example", "www.shop.example"), reasons, cancelled);
        assertThat(refusal).isInstanceOf(DomainHeldByAnotherMigration.class)
                .hasMessageContaining("Migration M-SECOND refused")
                .hasMessageContaining("shop.example, www.shop.example by migration M-FIRST (since 2026-03-02T09:00:00Z)")
                .hasMessageContaining("once M-FIRST has ended");
        assertThat(((DomainHeldByAnotherMigration) refusal).held()).extracting(DomainHolds.Hold::holder).containsOnly("M-FIRST");
    }

    @Test
    void namesHeldByTwoMigrationsNameBoth() {
        RuntimeException refusal = holds.refusal("M-3", List.of("a.example", "b.example"),
                List.of(held("a.example", "M-1", "2026-03-02T09:00:00Z"), held("b.example", "M-2", "2026-03-02T10:00:00Z")), cancelled);
        assertThat(refusal).hasMessageContaining("a.example by migration M-1").hasMessageContaining("b.example by migration M-2")
                .hasMessageContaining("once M-1 and M-2 have ended");
    }

    @Test
    void aConflictWithAConcurrentTransactionIsRetriedNotRefused() {
        RuntimeException outcome = holds.refusal("M-2", List.of("shop.example"),
                List.of(CancellationReason.builder().code("TransactionConflict").build()), cancelled);
        assertThat(outcome).isInstanceOf(TransientAwsFailure.class);
    }

    @Test
    void anyOtherCancellationIsPassedOnUnchanged() {
        RuntimeException outcome = holds.refusal("M-2", List.of("shop.example"),
                List.of(CancellationReason.builder().code("ValidationError").build()), cancelled);
        assertThat(outcome).isSameAs(cancelled);
    }

    @Test
    void namesAreGivenBackOnlyOnceTheMigrationHasEnded() {
        MigrationRecord running = Collaborators.primingRecord();
        assertThatThrownBy(() -> holds.release(running)).isInstanceOf(DomainHolds.MigrationStillRunning.class)
                .hasMessageContaining("is RUNNING");
    }

    private static CancellationReason held(String name, String holder, String since) {
        return CancellationReason.builder().code("ConditionalCheckFailed").item(Map.of(
                "pk", AttributeValue.fromS("HOLD#" + name), "sk", AttributeValue.fromS("HOLD"), "name", AttributeValue.fromS(name),
                "holder", AttributeValue.fromS(holder), "since", AttributeValue.fromS(Instant.parse(since).toString()))).build();
    }
}
