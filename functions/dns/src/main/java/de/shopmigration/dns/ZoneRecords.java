package de.shopmigration.dns;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/** A hosted zone's record sets as listed, one per name and type: the simple one where a name has several. */
record ZoneRecords(Map<RecordKey, ResourceRecordSet> byKey) {

    static ZoneRecords of(List<ResourceRecordSet> listed) {
        Map<RecordKey, ResourceRecordSet> sets = new HashMap<>();
        for (ResourceRecordSet set : listed) {
            RecordKey key = RecordKey.of(set.name(), set.typeAsString());
            if (set.setIdentifier() == null || !sets.containsKey(key)) {
                sets.put(key, set);
            }
        }
        return new ZoneRecords(sets);
    }

    ResourceRecordSet get(RecordKey key) {
        return byKey.get(key);
    }

    /** A set's values sorted, as the originals are stored, so the two compare as lists. */
    static List<String> values(ResourceRecordSet set) {
        return set.resourceRecords().stream().map(ResourceRecord::value).sorted().toList();
    }
}
