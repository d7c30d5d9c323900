package de.shopmigration.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordKeyTest {

    @Test
    void aZoneListingsNameFindsTheHostItWasAskedFor() {
        Map<RecordKey, String> zone = new HashMap<>();
        zone.put(RecordKey.of("WWW.Shop.example.", "A"), "listed");
        assertThat(zone.get(new RecordKey("www.shop.example", "A"))).isEqualTo("listed");
        assertThat(zone.get(new RecordKey("www.shop.example", "AAAA"))).isNull();
        assertThat(zone.get(new RecordKey("shop.example", "A"))).isNull();
    }

    @Test
    void keysOfTheSameHostAndTypeAreEqualAndOthersAreNot() {
        RecordKey key = new RecordKey("shop.example", "A");
        assertThat(key).isEqualTo(RecordKey.parse(key.key())).hasSameHashCodeAs(RecordKey.parse(key.key()));
        assertThat(key).isNotEqualTo(new RecordKey("shop.example", "AAAA")).isNotEqualTo(new RecordKey("www.shop.example", "A"))
                .isNotEqualTo(null).isNotEqualTo("shop.example|A");
    }
}
