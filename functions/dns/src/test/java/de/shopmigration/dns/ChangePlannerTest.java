package de.shopmigration.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.shopmigration.core.MigrationRecord.RecordOriginal;
import de.shopmigration.core.MigrationRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/** The planner alone: recorded originals and zone listings in, change batches (or a refusal) out. */
class ChangePlannerTest {

    private static final String SHOP = "shop.example";
    private static final String WWW = "www.shop.example";
    private static final String OLD = "192.0.2.10";
    private static final String OLD6 = "2001:db8::10";
    private static final String NEW = "203.0.113.10";
    private static final String NEW6 = "2001:db8:ffff::10";
    private static final String BY_HAND = "198.51.100.7";
    private static final int TARGET_TTL = 60;
    private static final ChangePlanner.Target BOTH = new ChangePlanner.Target(NEW, NEW6);
    private static final ChangePlanner.Target NO_IPV6 = new ChangePlanner.Target(NEW, null);

    // ---- the four moves ----

    enum Move { LOWER, SWITCH, RESTORE, ROLLBACK, ROLLBACK_AFTER_SWITCH, SWITCH_BACK }

    /** One row: the recorded originals, what the zones hold now, and the changes expected, in order, one string each. */
    record MoveCase(String name, Move move, ChangePlanner.Target target, List<RecordOriginal> originals,
                    Map<String, List<ResourceRecordSet>> zones, List<String> expected, int switchedBack) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<MoveCase> moves() {
        return Stream.of(
                // lower
                new MoveCase("lower: a record above the target gets the target TTL and keeps its values", Move.LOWER, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1", set(SHOP, "A", 3600, OLD)),
                        List.of("Z1 UPSERT shop.example. A 60 [192.0.2.10]"), 0),
                new MoveCase("lower: the values written are the zone's now, not the recorded ones", Move.LOWER, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1", set(SHOP, "A", 3600, BY_HAND)),
                        List.of("Z1 UPSERT shop.example. A 60 [198.51.100.7]"), 0),
                new MoveCase("lower: several values go in sorted", Move.LOWER, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, "192.0.2.1", "192.0.2.2")),
                        zones("Z1", set(SHOP, "A", 3600, "192.0.2.2", "192.0.2.1")),
                        List.of("Z1 UPSERT shop.example. A 60 [192.0.2.1, 192.0.2.2]"), 0),
                new MoveCase("lower: a record whose original TTL is at the target already is left", Move.LOWER, BOTH,
                        List.of(original("Z1", SHOP, "A", 60, OLD)), zones("Z1", set(SHOP, "A", 60, OLD)), List.of(), 0),
                new MoveCase("lower: a record an earlier attempt lowered is left", Move.LOWER, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1", set(SHOP, "A", 60, OLD)), List.of(), 0),
                new MoveCase("lower: a record missing from the zone is left", Move.LOWER, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1"), List.of(), 0),
                new MoveCase("lower: A and AAAA of two zones, one batch per zone in the originals' order", Move.LOWER, BOTH,
                        List.of(original("Z2", WWW, "A", 300, OLD), original("Z1", SHOP, "A", 3600, OLD),
                                original("Z2", WWW, "AAAA", 300, OLD6)),
                        zones("Z1", set(SHOP, "A", 3600, OLD), "Z2", set(WWW, "A", 300, OLD), set(WWW, "AAAA", 300, OLD6)),
                        List.of("Z2 UPSERT www.shop.example. A 60 [192.0.2.10]", "Z2 UPSERT www.shop.example. AAAA 60 [2001:db8::10]",
                                "Z1 UPSERT shop.example. A 60 [192.0.2.10]"), 0),
                // switch
                new MoveCase("switch: DELETE the recorded values, CREATE the new address, at the target TTL", Move.SWITCH, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1", set(SHOP, "A", 60, OLD)),
                        List.of("Z1 DELETE shop.example. A 60 [192.0.2.10]", "Z1 CREATE shop.example. A 60 [203.0.113.10]"), 0),
                new MoveCase("switch: a record whose original TTL was below the target keeps it", Move.SWITCH, BOTH,
                        List.of(original("Z1", SHOP, "A", 30, OLD)), zones("Z1", set(SHOP, "A", 30, OLD)),
                        List.of("Z1 DELETE shop.example. A 30 [192.0.2.10]", "Z1 CREATE shop.example. A 30 [203.0.113.10]"), 0),
                new MoveCase("switch: AAAA goes to the new IPv6 address", Move.SWITCH, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD), original("Z1", SHOP, "AAAA", 3600, OLD6)),
                        zones("Z1", set(SHOP, "A", 60, OLD), set(SHOP, "AAAA", 60, OLD6)),
                        List.of("Z1 DELETE shop.example. A 60 [192.0.2.10]", "Z1 CREATE shop.example. A 60 [203.0.113.10]",
                                "Z1 DELETE shop.example. AAAA 60 [2001:db8::10]", "Z1 CREATE shop.example. AAAA 60 [2001:db8:ffff::10]"), 0),
                new MoveCase("switch: without a new IPv6 address the AAAA record is only deleted", Move.SWITCH, NO_IPV6,
                        List.of(original("Z1", SHOP, "AAAA", 3600, OLD6)), zones("Z1", set(SHOP, "AAAA", 60, OLD6)),
                        List.of("Z1 DELETE shop.example. AAAA 60 [2001:db8::10]"), 0),
                new MoveCase("switch: a record recorded at the new address is left", Move.SWITCH, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, NEW)), zones("Z1", set(SHOP, "A", 60, NEW)), List.of(), 0),
                new MoveCase("switch: a record already switched (a retry) is left", Move.SWITCH, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1", set(SHOP, "A", 60, NEW)), List.of(), 0),
                new MoveCase("switch: an AAAA already deleted (a retry without IPv6) is left", Move.SWITCH, NO_IPV6,
                        List.of(original("Z1", SHOP, "AAAA", 3600, OLD6)), zones("Z1"), List.of(), 0),
                new MoveCase("switch: a record missing from the zone is still swapped, so Route 53 refuses the zone", Move.SWITCH, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1"),
                        List.of("Z1 DELETE shop.example. A 60 [192.0.2.10]", "Z1 CREATE shop.example. A 60 [203.0.113.10]"), 0),
                new MoveCase("switch: a record changed by hand is swapped against the recorded values", Move.SWITCH, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1", set(SHOP, "A", 60, BY_HAND)),
                        List.of("Z1 DELETE shop.example. A 60 [192.0.2.10]", "Z1 CREATE shop.example. A 60 [203.0.113.10]"), 0),
                new MoveCase("switch: a zone switched by an earlier attempt gets no batch, the other one does", Move.SWITCH, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD), original("Z2", WWW, "A", 3600, OLD)),
                        zones("Z1", set(SHOP, "A", 60, NEW), "Z2", set(WWW, "A", 60, OLD)),
                        List.of("Z2 DELETE www.shop.example. A 60 [192.0.2.10]", "Z2 CREATE www.shop.example. A 60 [203.0.113.10]"), 0),
                // restore
                new MoveCase("restore: the original TTL comes back with the zone's values", Move.RESTORE, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1", set(SHOP, "A", 60, NEW)),
                        List.of("Z1 UPSERT shop.example. A 3600 [203.0.113.10]"), 0),
                new MoveCase("restore: a record at its original TTL is left", Move.RESTORE, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1", set(SHOP, "A", 3600, NEW)), List.of(), 0),
                new MoveCase("restore: a record missing from the zone is left", Move.RESTORE, BOTH,
                        List.of(original("Z1", SHOP, "AAAA", 3600, OLD6)), zones("Z1"), List.of(), 0),
                // roll back
                new MoveCase("roll back: a switched record goes back, DELETE at its TTL now, CREATE at the original", Move.ROLLBACK_AFTER_SWITCH,
                        BOTH, List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1", set(SHOP, "A", 60, NEW)),
                        List.of("Z1 DELETE shop.example. A 60 [203.0.113.10]", "Z1 CREATE shop.example. A 3600 [192.0.2.10]"), 1),
                new MoveCase("roll back: a lowered record gets its TTL back with its values", Move.ROLLBACK, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1", set(SHOP, "A", 60, OLD)),
                        List.of("Z1 UPSERT shop.example. A 3600 [192.0.2.10]"), 0),
                new MoveCase("switch back: the old address again, at the lowered TTL", Move.SWITCH_BACK, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1", set(SHOP, "A", 60, NEW)),
                        List.of("Z1 DELETE shop.example. A 60 [203.0.113.10]", "Z1 CREATE shop.example. A 60 [192.0.2.10]"), 1),
                new MoveCase("switch back: a record changed by hand since the switch is left alone, TTL too", Move.SWITCH_BACK, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1", set(SHOP, "A", 60, BY_HAND)), List.of(), 0),
                new MoveCase("switch back: a record below the lowered TTL keeps its own", Move.SWITCH_BACK, BOTH,
                        List.of(original("Z1", SHOP, "A", 30, OLD)), zones("Z1", set(SHOP, "A", 30, NEW)),
                        List.of("Z1 DELETE shop.example. A 30 [203.0.113.10]", "Z1 CREATE shop.example. A 30 [192.0.2.10]"), 1),
                new MoveCase("roll back: an untouched record is left", Move.ROLLBACK, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1", set(SHOP, "A", 3600, OLD)), List.of(), 0),
                new MoveCase("roll back: a record recorded at the new address only gets its TTL back", Move.ROLLBACK_AFTER_SWITCH, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, NEW)), zones("Z1", set(SHOP, "A", 60, NEW)),
                        List.of("Z1 UPSERT shop.example. A 3600 [203.0.113.10]"), 0),
                new MoveCase("roll back: a record changed by hand is not swapped back, only its TTL", Move.ROLLBACK_AFTER_SWITCH, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1", set(SHOP, "A", 60, BY_HAND)),
                        List.of("Z1 UPSERT shop.example. A 3600 [198.51.100.7]"), 0),
                new MoveCase("roll back: an AAAA the switch deleted is created again", Move.ROLLBACK, NO_IPV6,
                        List.of(original("Z1", SHOP, "AAAA", 3600, OLD6)), zones("Z1"),
                        List.of("Z1 CREATE shop.example. AAAA 3600 [2001:db8::10]"), 1),
                new MoveCase("roll back: a missing A record is left while the switch is not in sync", Move.ROLLBACK, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1"), List.of(), 0),
                new MoveCase("roll back: a missing A record is created again once the switch was in sync", Move.ROLLBACK_AFTER_SWITCH, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD)), zones("Z1"),
                        List.of("Z1 CREATE shop.example. A 3600 [192.0.2.10]"), 1),
                new MoveCase("roll back: two records of two zones, counted one by one", Move.ROLLBACK_AFTER_SWITCH, BOTH,
                        List.of(original("Z1", SHOP, "A", 3600, OLD), original("Z2", WWW, "A", 300, OLD)),
                        zones("Z1", set(SHOP, "A", 60, NEW), "Z2", set(WWW, "A", 60, NEW)),
                        List.of("Z1 DELETE shop.example. A 60 [203.0.113.10]", "Z1 CREATE shop.example. A 3600 [192.0.2.10]",
                                "Z2 DELETE www.shop.example. A 60 [203.0.113.10]", "Z2 CREATE www.shop.example. A 300 [192.0.2.10]"), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("moves")
    void eachMovePlansTheChangesOfItsTable(MoveCase c) {
        ChangePlanner.Plan plan = plan(c.move(), c.target(), c.originals(), indexed(c.zones()));
        assertThat(rendered(plan)).containsExactlyElementsOf(c.expected());
        assertThat(plan.switchedBack()).isEqualTo(c.switchedBack());
    }

    private static ChangePlanner.Plan plan(Move move, ChangePlanner.Target target, List<RecordOriginal> originals,
                                           Map<String, ZoneRecords> zones) {
        return switch (move) {
            case LOWER -> ChangePlanner.lower(originals, zones, TARGET_TTL);
            case SWITCH -> ChangePlanner.switchTo(originals, zones, target, TARGET_TTL);
            case RESTORE -> ChangePlanner.restore(originals, zones);
            case ROLLBACK -> ChangePlanner.rollback(originals, zones, target, false);
            case ROLLBACK_AFTER_SWITCH -> ChangePlanner.rollback(originals, zones, target, true);
            case SWITCH_BACK -> ChangePlanner.switchBack(originals, zones, target, TARGET_TTL);
        };
    }

    // ---- which zones the switch reads ----

    record ZonesCase(String name, ChangePlanner.Target target, List<RecordOriginal> originals, List<String> zones) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ZonesCase> zonesToSwitch() {
        return Stream.of(
                new ZonesCase("each zone once, in the order the originals name them", BOTH,
                        List.of(original("Z2", WWW, "A", 300, OLD), original("Z1", SHOP, "A", 300, OLD), original("Z2", WWW, "AAAA", 300, OLD6)),
                        List.of("Z2", "Z1")),
                new ZonesCase("a zone whose records are recorded at the new address is not read", BOTH,
                        List.of(original("Z1", SHOP, "A", 300, NEW), original("Z2", WWW, "A", 300, OLD)), List.of("Z2")),
                new ZonesCase("an AAAA record is read when there is no new IPv6 address (it goes)", NO_IPV6,
                        List.of(original("Z1", SHOP, "AAAA", 300, OLD6)), List.of("Z1")),
                new ZonesCase("no originals, no zone", BOTH, List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zonesToSwitch")
    void theSwitchReadsOnlyTheZonesItMayChange(ZonesCase c) {
        assertThat(ChangePlanner.zonesToSwitch(c.originals(), c.target())).containsExactlyElementsOf(c.zones());
    }

    // ---- phase 1's survey of the zones: what moves, what is skipped ----

    record SurveyCase(String name, List<String> hosts, List<ResourceRecordSet> zone, List<String> found, List<String> skipped) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<SurveyCase> surveys() {
        return Stream.of(
                new SurveyCase("A and AAAA of each host are found with TTL and sorted values", List.of(SHOP, WWW),
                        List.of(set(SHOP, "A", 3600, "192.0.2.2", "192.0.2.1"), set(SHOP, "AAAA", 300, OLD6), set(WWW, "A", 300, OLD)),
                        List.of("shop.example|A: Z1 shop.example A 3600 [192.0.2.1, 192.0.2.2]",
                                "shop.example|AAAA: Z1 shop.example AAAA 300 [2001:db8::10]",
                                "www.shop.example|A: Z1 www.shop.example A 300 [192.0.2.10]"), List.of()),
                new SurveyCase("the zone's names match whatever their case and final dot", List.of(WWW),
                        List.of(ResourceRecordSet.builder().name("WWW.Shop.Example.").type("A").ttl(300L).resourceRecords(value(OLD)).build()),
                        List.of("www.shop.example|A: Z1 www.shop.example A 300 [192.0.2.10]"), List.of()),
                new SurveyCase("a host without an A record is reported, a missing AAAA is not", List.of(SHOP, WWW),
                        List.of(set(SHOP, "A", 300, OLD)), List.of("shop.example|A: Z1 shop.example A 300 [192.0.2.10]"),
                        List.of("www.shop.example|A: no record")),
                new SurveyCase("an alias record has no TTL of its own", List.of(SHOP),
                        List.of(ResourceRecordSet.builder().name(SHOP + ".").type("A")
                                .aliasTarget(t -> t.hostedZoneId("Z1").dnsName("lb.example.").evaluateTargetHealth(false)).build()),
                        List.of(), List.of("shop.example|A: alias record, no TTL of its own")),
                new SurveyCase("a routing policy record is left to staff", List.of(SHOP),
                        List.of(routed(SHOP, "eu", OLD), routed(SHOP, "us", BY_HAND)),
                        List.of(), List.of("shop.example|A: routing policy record, change it by hand")),
                new SurveyCase("a simple record next to routing policy records of the same name is the one that moves", List.of(SHOP),
                        List.of(routed(SHOP, "eu", BY_HAND), set(SHOP, "A", 300, OLD)), List.of("shop.example|A: Z1 shop.example A 300 [192.0.2.10]"), List.of()),
                new SurveyCase("a record with exactly the most values a record keeps moves", List.of(SHOP),
                        List.of(set(SHOP, "A", 300, addresses(ChangePlanner.MAX_VALUES_PER_RECORD))),
                        List.of("shop.example|A: Z1 shop.example A 300 " + Arrays.toString(addresses(ChangePlanner.MAX_VALUES_PER_RECORD))), List.of()),
                new SurveyCase("a record with one value more is left to staff", List.of(SHOP),
                        List.of(set(SHOP, "A", 300, addresses(ChangePlanner.MAX_VALUES_PER_RECORD + 1))),
                        List.of(), List.of("shop.example|A: more than 8 values, change it by hand")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surveys")
    void phaseOneFindsTheMovingRecordsAndSaysWhyOthersStay(SurveyCase c) {
        MigrationRequest.Domain domain = new MigrationRequest.Domain(SHOP, "Z1", c.hosts());
        ChangePlanner.Survey survey = ChangePlanner.survey(List.of(domain), Map.of("Z1", ZoneRecords.of(c.zone())));
        assertThat(survey.found().entrySet().stream().map(e -> e.getKey() + ": " + rendered(e.getValue())).toList())
                .containsExactlyElementsOf(c.found());
        assertThat(survey.skipped()).containsExactlyElementsOf(c.skipped());
    }

    @Test
    void storedOriginalsWinOverTheZoneAndRecordsAtTheTargetAreSkipped() {
        RecordOriginal stored = original("Z1", SHOP, "A", 3600, OLD);
        ChangePlanner.Survey survey = new ChangePlanner.Survey(
                new LinkedHashMap<>(Map.of("shop.example|A", original("Z1", SHOP, "A", 60, OLD))), List.of("www.shop.example|A: no record"));
        Map<String, RecordOriginal> all = survey.storedWith(Map.of("shop.example|A", stored));
        assertThat(all).containsExactly(Map.entry("shop.example|A", stored));
        assertThat(ChangePlanner.withTtlSkips(survey.skipped(), all, TARGET_TTL)).containsExactly("www.shop.example|A: no record");
        assertThat(ChangePlanner.withTtlSkips(survey.skipped(), survey.found(), TARGET_TTL))
                .containsExactly("www.shop.example|A: no record", "shop.example|A: TTL 60 s is already at or below 60 s");
    }

    // ---- Route 53's limits per batch, through the moves ----

    /** One row: a move over {@code records} single-value records in one zone (plus an optional extra original), under or over a limit. */
    record LimitCase(String name, Move move, ChangePlanner.Target target, List<RecordOriginal> originals,
                     Map<String, List<ResourceRecordSet>> zones, String refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<LimitCase> limits() {
        return Stream.of(
                // values: an UPSERT counts twice
                lowering("lower: 500 UPSERTs are exactly 1000 values", 500, 12, null),
                lowering("lower: 501 UPSERTs are 1002 values, one batch too large", 501, 12, "1002 record values"),
                switching("switch: 500 DELETE+CREATE pairs are exactly 1000 values", 500, null),
                switching("switch: 500 pairs and one AAAA deleted are 1001 values", 500, original("Z1", "h-aaaa.shop.example", "AAAA", 300, OLD6)),
                rollingBack("roll back: 500 records swapped back are exactly 1000 values", 500, null),
                rollingBack("roll back: one more record is 1002 values", 501, "1002 record values"),
                restoring("restore: 500 UPSERTs are exactly 1000 values", 500, null),
                restoring("restore: 501 UPSERTs are 1002 values", 501, "1002 record values"),
                // characters: 400 UPSERTs of 40 characters are exactly 32,000
                lowering("lower: 400 UPSERTs of 40 characters are exactly 32000 characters", 400, 40, null),
                new LimitCase("lower: one character more is 32002 characters", Move.LOWER, BOTH,
                        concat(lowered(399, 40).originals(), List.of(original("Z1", "long.shop.example", "A", 3600, value(41, 0)))),
                        Map.of("Z1", concat(lowered(399, 40).zone(), List.of(set("long.shop.example", "A", 3600, value(41, 0))))),
                        "32002 characters"),
                // the limits hold per zone's batch, not per move
                new LimitCase("lower: two zones with 1000 values each are two batches within the limit", Move.LOWER, BOTH,
                        concat(lowered(500, 12).originals(), inZone("Z2", lowered(500, 12).originals())),
                        Map.of("Z1", lowered(500, 12).zone(), "Z2", lowered(500, 12).zone()), null),
                new LimitCase("lower: the first zone over the limit is the one named", Move.LOWER, BOTH,
                        concat(lowered(500, 12).originals(), inZone("Z2", lowered(501, 12).originals())),
                        Map.of("Z1", lowered(500, 12).zone(), "Z2", lowered(501, 12).zone()), "zone Z2 has 1002 record values"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limits")
    void aBatchOverRouteFiftyThreesLimitsIsRefusedBeforeAnythingIsSent(LimitCase c) {
        if (c.refusal() == null) {
            ChangePlanner.Plan plan = plan(c.move(), c.target(), c.originals(), indexed(c.zones()));
            assertThat(plan.batches()).isNotEmpty().allSatisfy((zone, changes) -> assertThat(changes).isNotEmpty());
        } else {
            assertThatThrownBy(() -> plan(c.move(), c.target(), c.originals(), indexed(c.zones())))
                    .isInstanceOf(ChangeBatchTooLarge.class).hasMessageContaining(c.refusal()).hasMessageContaining("Nothing was changed");
        }
    }

    private record Records(List<RecordOriginal> originals, List<ResourceRecordSet> zone) {
    }

    /** {@code count} A records in Z1 at TTL 3600 and still there, each with one value of {@code length} characters. */
    private static Records lowered(int count, int length) {
        List<RecordOriginal> originals = new ArrayList<>();
        List<ResourceRecordSet> zone = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String host = "h" + i + ".shop.example";
            originals.add(original("Z1", host, "A", 3600, value(length, i)));
            zone.add(set(host, "A", 3600, value(length, i)));
        }
        return new Records(originals, zone);
    }

    private static LimitCase lowering(String name, int count, int length, String refusal) {
        Records r = lowered(count, length);
        return new LimitCase(name, Move.LOWER, BOTH, r.originals(), Map.of("Z1", r.zone()), refusal);
    }

    private static LimitCase switching(String name, int count, RecordOriginal extra) {
        Records r = lowered(count, 12);
        List<RecordOriginal> originals = extra == null ? r.originals() : concat(r.originals(), List.of(extra));
        List<ResourceRecordSet> zone = extra == null ? r.zone() : concat(r.zone(), List.of(set(extra.name(), extra.type(), 60, OLD6)));
        return new LimitCase(name, Move.SWITCH, NO_IPV6, originals, Map.of("Z1", zone), extra == null ? null : "1001 record values");
    }

    private static LimitCase rollingBack(String name, int count, String refusal) {
        Records r = lowered(count, 12);
        List<ResourceRecordSet> switched = r.zone().stream().map(s -> set(s.name(), "A", 60, NEW)).toList();
        return new LimitCase(name, Move.ROLLBACK_AFTER_SWITCH, BOTH, r.originals(), Map.of("Z1", switched), refusal);
    }

    private static LimitCase restoring(String name, int count, String refusal) {
        Records r = lowered(count, 12);
        List<ResourceRecordSet> lowered = r.zone().stream().map(s -> set(s.name(), "A", 60, NEW)).toList();
        return new LimitCase(name, Move.RESTORE, BOTH, r.originals(), Map.of("Z1", lowered), refusal);
    }

    private static List<RecordOriginal> inZone(String zoneId, List<RecordOriginal> originals) {
        return originals.stream().map(o -> new RecordOriginal(zoneId, o.name(), o.type(), o.ttl(), o.values())).toList();
    }

    // ---- helpers ----

    /** A value of exactly {@code length} characters: the planner counts characters, it does not parse addresses. */
    private static String value(int length, int i) {
        String n = Integer.toString(i);
        return "10." + "0".repeat(length - 3 - n.length()) + n;
    }

    private static String[] addresses(int count) {
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            out[i] = "192.0.2." + (i + 1);
        }
        Arrays.sort(out);
        return out;
    }

    private static RecordOriginal original(String zoneId, String name, String type, long ttl, String... values) {
        return new RecordOriginal(zoneId, name, type, ttl, List.of(values));
    }

    private static ResourceRecordSet set(String name, String type, long ttl, String... values) {
        return ResourceRecordSet.builder().name(name.endsWith(".") ? name : name + ".").type(type).ttl(ttl).resourceRecords(value(values)).build();
    }

    private static ResourceRecordSet routed(String name, String id, String value) {
        return ResourceRecordSet.builder().name(name + ".").type("A").setIdentifier(id).weight(1L).ttl(60L).resourceRecords(value(value)).build();
    }

    private static List<ResourceRecord> value(String... values) {
        return Stream.of(values).map(v -> ResourceRecord.builder().value(v).build()).toList();
    }

    private static Map<String, List<ResourceRecordSet>> zones(Object... zoneIdsAndSets) {
        Map<String, List<ResourceRecordSet>> zones = new LinkedHashMap<>();
        String zoneId = null;
        for (Object o : zoneIdsAndSets) {
            if (o instanceof String id) {
                zoneId = id;
                zones.put(id, new ArrayList<>());
            } else {
                zones.get(zoneId).add((ResourceRecordSet) o);
            }
        }
        return zones;
    }

    private static Map<String, ZoneRecords> indexed(Map<String, List<ResourceRecordSet>> zones) {
        Map<String, ZoneRecords> out = new LinkedHashMap<>();
        zones.forEach((id, sets) -> out.put(id, ZoneRecords.of(sets)));
        return out;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> rendered(ChangePlanner.Plan plan) {
        List<String> out = new ArrayList<>();
        plan.batches().forEach((zoneId, changes) -> changes.forEach(c -> out.add(zoneId + " " + rendered(c))));
        return out;
    }

    private static String rendered(Change c) {
        ResourceRecordSet r = c.resourceRecordSet();
        return c.actionAsString() + " " + r.name() + " " + r.typeAsString() + " " + r.ttl() + " "
                + r.resourceRecords().stream().map(ResourceRecord::value).toList();
    }

    private static String rendered(RecordOriginal o) {
        return o.zoneId() + " " + o.name() + " " + o.type() + " " + o.ttl() + " " + o.values();
    }
}
