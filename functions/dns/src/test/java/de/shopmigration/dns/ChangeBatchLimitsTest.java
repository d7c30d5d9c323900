package de.shopmigration.dns;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;

class ChangeBatchLimitsTest {

    private static List<Change> changes(int count, ChangeAction action, String value) {
        List<Change> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "host-" + i + ".shop.example";
            out.add(Change.builder().action(action).resourceRecordSet(r -> r.name(name).type("A").ttl(300L)
                    .resourceRecords(v -> v.value(value))).build());
        }
        return out;
    }

    @Test
    void anUpsertCountsTwiceTowardsTheThousandValuesOfOneBatch() {
        assertThatCode(() -> ChangePlanner.checkLimits("Z1", changes(500, ChangeAction.UPSERT, "203.0.113.10"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> ChangePlanner.checkLimits("Z1", changes(501, ChangeAction.UPSERT, "203.0.113.10")))
                .isInstanceOf(ChangeBatchTooLarge.class).hasMessageContaining("1002 record values").hasMessageContaining("Nothing was changed");
        assertThatCode(() -> ChangePlanner.checkLimits("Z1", changes(1000, ChangeAction.DELETE, "203.0.113.10"))).doesNotThrowAnyException();
    }

    @Test
    void theCharactersOfAllValuesAreLimitedToo() {
        String longValue = "2001:0db8:0000:0000:0000:0000:0000:0020";
        // 400 UPSERTs of 39 characters: 800 values (fine) but 31,200 characters (fine); 420: 32,760 (too many)
        assertThatCode(() -> ChangePlanner.checkLimits("Z1", changes(400, ChangeAction.UPSERT, longValue))).doesNotThrowAnyException();
        assertThatThrownBy(() -> ChangePlanner.checkLimits("Z1", changes(420, ChangeAction.UPSERT, longValue)))
                .isInstanceOf(ChangeBatchTooLarge.class).hasMessageContaining("32760 characters");
    }
}
