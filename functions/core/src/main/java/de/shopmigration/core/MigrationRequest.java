package de.shopmigration.core;

import java.util.List;

/**
 * A validated execution input: who the customer is, which domains move to which server, and
 * how long each wait lasts. Built only by the intake's RequestParser.
 */
public record MigrationRequest(
        String migrationId,
        Customer customer,
        Staff staff,
        String shopName,
        List<Domain> domains,
        String newIp,
        String newIpv6,
        int targetTtl,
        boolean optimisationOrdered,
        Timing timing,
        Copy copy) {

    /** @param timeZone IANA zone for the customer's local time (quiet hours); Europe/Berlin by default */
    public record Customer(String name, String company, String email, Language language, String timeZone) {
        public java.time.ZoneId zone() {
            return timeZone == null ? TimeFormats.BERLIN : java.time.ZoneId.of(timeZone);
        }
    }

    /** The responsible staff member; when absent, the deployment's staff address is used. */
    public record Staff(String name, String email) {
    }

    /**
     * A domain that moves. With a hosted zone id its DNS is in Route 53 and the workflow
     * changes it; without one the customer changes it by hand, following emailed instructions.
     */
    public record Domain(String name, String hostedZoneId, List<String> records) {
        public boolean inRoute53() {
            return hostedZoneId != null;
        }
    }

    /**
     * Where the copy tooling copies from and to. Only references travel: a path (local or
     * {@code user@host:/path}) and a database name with the name of a connection the tooling
     * knows; credentials stay with the tooling. Absent when staff copy by hand.
     */
    public record Copy(Location source, Location target) {
    }

    /** Files and/or a database; either may be absent. */
    public record Location(String files, Database database) {
    }

    public record Database(String name, String connection) {
    }

    public Language language() {
        return customer.language();
    }

    /** Every host name that moves, in the order of the request (the intake normalised and filled them in). */
    public List<String> hostsThatMove() {
        return domains.stream().flatMap(d -> d.records().stream()).distinct().toList();
    }

    public List<Domain> route53Domains() {
        return domains.stream().filter(Domain::inRoute53).toList();
    }

    public List<Domain> externalDomains() {
        return domains.stream().filter(d -> !d.inRoute53()).toList();
    }
}
