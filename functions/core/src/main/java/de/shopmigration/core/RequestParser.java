package de.shopmigration.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a raw execution input into a {@link MigrationRequest}, collecting every problem instead
 * of stopping at the first, so staff fix the input once.
 */
public final class RequestParser {

    private static final Pattern MIGRATION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{2,79}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\",;]+@[^@\\s<>\",;]+\\.[^@\\s<>\",;]{2,}");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?\\.)+(?!\\d+$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern ZONE_ID = Pattern.compile("(/hostedzone/)?[A-Z0-9]{1,32}");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    /** An absolute path or rsync's user@host:/path; no option-like start, no climbing out with "..". */
    private static final Pattern COPY_PATH = Pattern.compile("(/|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:/)[^\\p{Cntrl}]{0,1020}");
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_$]{1,64}");
    private static final Pattern CONNECTION_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int MAX_DOMAINS = 20;
    private static final int MAX_RECORDS_PER_DOMAIN = 20;
    /** Keeps each zone's change batch (A and AAAA, UPSERT counting twice) inside Route 53's 1,000 values. */
    private static final int MAX_HOSTS_PER_ZONE = 100;
    /**
     * Host names that move in one migration, all domains together: what the record keeps of
     * each (its original records) must fit DynamoDB's 400 KB item with room to spare
     * (RecordSizeTest), and a shop moves a handful.
     */
    public static final int MAX_HOSTS_PER_MIGRATION = 40;

    private final Set<String> allowedZones;
    private final boolean documentationAddresses;

    /** @param allowedZones hosted zones this deployment may change; empty means any. */
    public RequestParser(Set<String> allowedZones) {
        this(allowedZones, false);
    }

    /**
     * @param documentationAddresses whether the documentation blocks (198.51.100.0/24, ...) count
     *                               as public: only the sandbox and the tests say yes
     */
    public RequestParser(Set<String> allowedZones, boolean documentationAddresses) {
        this.allowedZones = Set.copyOf(allowedZones);
        this.documentationAddresses = documentationAddresses;
    }

    /**
     * @param executionName the Step Functions execution name, which is the migration id
     * @throws InvalidMigrationRequest naming every bad field
     */
    public MigrationRequest parse(JsonNode input, String executionName) {
        Validation v = new Validation();
        MigrationRequest request = parse(input, executionName, v);
        if (!v.ok()) {
            throw new InvalidMigrationRequest(v.errors());
        }
        return request;
    }

    /** Parses into {@code v}; the result is only meaningful when {@code v.ok()}. */
    public MigrationRequest parse(JsonNode input, String executionName, Validation v) {
        if (input == null || !input.isObject()) {
            v.error("(input)", "must be a JSON object");
            return null;
        }
        controlCharacters(input, "", v);
        String id = text(input, "migrationId");
        if (id == null) {
            id = executionName;
        } else if (executionName != null && !id.equals(executionName)) {
            v.error("migrationId", "must equal the execution name \"" + executionName + "\" (start the execution with name = migration id)");
        }
        if (id == null || !MIGRATION_ID.matcher(id).matches()) {
            v.error("migrationId", "must be 3 to 80 letters, digits, '-' or '_' (it is the execution name)");
        }

        MigrationRequest.Customer customer = customer(input.get("customer"), v);
        MigrationRequest.Staff staff = staff(input.get("staff"), v);
        String shopName = optionalText(input, "shopName", 200, v);
        String newIp = text(input, "newIp");
        if (newIp == null) {
            v.error("newIp", "is required: the IPv4 address of the new server");
        } else if (!IPV4.matcher(newIp).matches()) {
            v.error("newIp", "\"" + clip(newIp) + "\" is not an IPv4 address");
        } else if (!PublicAddress.isPublic(newIp, documentationAddresses)) {
            v.error("newIp", newIp + " is not a public address; visitors could not reach the shop there");
        }
        String newIpv6 = text(input, "newIpv6");
        if (newIpv6 != null && !isIpv6(newIpv6)) {
            v.error("newIpv6", "\"" + clip(newIpv6) + "\" is not an IPv6 address");
        } else if (newIpv6 != null && !PublicAddress.isPublic(newIpv6, documentationAddresses)) {
            v.error("newIpv6", newIpv6 + " is not a public address; visitors could not reach the shop there");
        }
        int targetTtl = 300;
        JsonNode ttl = input.get("targetTtl");
        if (ttl != null && !ttl.isNull()) {
            if (!ttl.isIntegralNumber() || ttl.asInt() < 60 || ttl.asInt() > 3600) {
                v.error("targetTtl", "must be a whole number of seconds between 60 and 3600");
            } else {
                targetTtl = ttl.asInt();
            }
        }
        boolean optimisation = false;
        JsonNode opt = input.get("optimisationOrdered");
        if (opt != null && !opt.isNull()) {
            if (!opt.isBoolean()) {
                v.error("optimisationOrdered", "must be true or false");
            } else {
                optimisation = opt.asBoolean();
            }
        }
        List<MigrationRequest.Domain> domains = domains(input.get("domains"), v);
        Timing timing = Timing.parse(input.get("timing"), v);
        MigrationRequest.Copy copy = copy(input.get("copy"), v);
        return new MigrationRequest(id, customer, staff, shopName, domains, newIp, newIpv6, targetTtl, optimisation, timing, copy);
    }

    /**
     * No text of the input may hold a control character, a line break or a bidi control: they
     * would reach pages, emails and the PDF (a U+202E shows "gnp.exe" as "exe.png").
     */
    private static void controlCharacters(JsonNode node, String path, Validation v) {
        if (node.isTextual()) {
            int c = TypedText.firstForbidden(node.asText(), false);
            if (c >= 0) {
                String hex = Integer.toHexString(c).toUpperCase(Locale.ROOT);
                v.error(path.isEmpty() ? "(input)" : path, "contains the control character U+" + "0000".substring(hex.length()) + hex);
            }
        } else if (node.isObject()) {
            node.properties().forEach(e -> controlCharacters(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), v));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                controlCharacters(node.get(i), path + "[" + i + "]", v);
            }
        }
    }

    private MigrationRequest.Customer customer(JsonNode node, Validation v) {
        if (node == null || !node.isObject()) {
            v.error("customer", "is required: {\"name\", \"email\", \"language\"}");
            return null;
        }
        String name = text(node, "name");
        if (name == null) {
            v.error("customer.name", "is required");
        } else if (name.length() > 200) {
            v.error("customer.name", "must be at most 200 characters");
        }
        String company = optionalText(node, "company", 200, v, "customer.company");
        String email = email(node, "customer.email", v, true);
        String languageCode = text(node, "language");
        Language language = null;
        if (languageCode == null) {
            v.error("customer.language", "is required: \"de\" or \"en\"");
        } else if (!languageCode.equals("de") && !languageCode.equals("en")) {
            v.error("customer.language", "\"" + clip(languageCode) + "\" is not supported: use \"de\" or \"en\"");
        } else {
            language = Language.ofCode(languageCode);
        }
        String zone = text(node, "timeZone");
        if (zone != null) {
            try {
                zone = java.time.ZoneId.of(zone).getId();
            } catch (java.time.DateTimeException e) {
                v.error("customer.timeZone", "\"" + clip(zone) + "\" is not a time zone such as Europe/Berlin");
                zone = null;
            }
        }
        return new MigrationRequest.Customer(name, company, email, language, zone);
    }

    private MigrationRequest.Staff staff(JsonNode node, Validation v) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            v.error("staff", "must be an object {\"name\", \"email\"}");
            return null;
        }
        String name = optionalText(node, "name", 200, v, "staff.name");
        String email = email(node, "staff.email", v, true);
        return new MigrationRequest.Staff(name, email);
    }

    private List<MigrationRequest.Domain> domains(JsonNode node, Validation v) {
        List<MigrationRequest.Domain> domains = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            v.error("domains", "is required: a list of at least one domain, e.g. [{\"name\": \"shop.example\", \"hostedZoneId\": \"Z123\"}]");
            return domains;
        }
        if (node.size() > MAX_DOMAINS) {
            v.error("domains", "at most " + MAX_DOMAINS + " domains per migration");
            return domains;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "domains[" + i + "]";
            JsonNode d = node.get(i);
            if (!d.isObject()) {
                v.error(at, "must be an object {\"name\", \"hostedZoneId\"?, \"records\"?}");
                continue;
            }
            String name = hostname(text(d, "name"));
            if (name == null) {
                v.error(at + ".name", "is required: the domain, e.g. \"shop.example\"");
                continue;
            }
            if (!HOSTNAME.matcher(name).matches()) {
                v.error(at + ".name", "\"" + clip(name) + "\" is not a domain name" + asciiHint(name));
                continue;
            }
            if (!seen.add(name)) {
                v.error(at + ".name", name + " is listed twice");
            }
            String zone = text(d, "hostedZoneId");
            if (zone != null) {
                if (!ZONE_ID.matcher(zone).matches()) {
                    v.error(at + ".hostedZoneId", "\"" + clip(zone) + "\" is not a Route 53 hosted zone id");
                } else {
                    zone = zone.replace("/hostedzone/", "");
                    if (!allowedZones.isEmpty() && !allowedZones.contains(zone)) {
                        v.error(at + ".hostedZoneId", zone + " is not one of the hosted zones this deployment may change ("
                                + String.join(", ", allowedZones.stream().sorted().toList()) + ")");
                    }
                }
            }
            List<String> records = new ArrayList<>();
            JsonNode r = d.get("records");
            if (r == null || r.isNull()) {
                records.add(name);
                records.add("www." + name);
            } else if (!r.isArray() || r.isEmpty() || r.size() > MAX_RECORDS_PER_DOMAIN) {
                v.error(at + ".records", "must be a list of 1 to " + MAX_RECORDS_PER_DOMAIN + " host names in " + name);
            } else {
                for (int j = 0; j < r.size(); j++) {
                    String host = hostname(r.get(j).isTextual() ? r.get(j).asText() : null);
                    if (host == null || !HOSTNAME.matcher(host).matches()) {
                        v.error(at + ".records[" + j + "]", "must be a host name" + (host == null ? "" : asciiHint(host)));
                    } else if (!host.equals(name) && !host.endsWith("." + name)) {
                        v.error(at + ".records[" + j + "]", host + " is not in " + name);
                    } else if (!records.contains(host)) {
                        records.add(host);
                    }
                }
            }
            domains.add(new MigrationRequest.Domain(name, zone, List.copyOf(records)));
        }
        int moving = domains.stream().mapToInt(d -> d.records().size()).sum();
        if (moving > MAX_HOSTS_PER_MIGRATION) {
            v.error("domains", moving + " host names would move; at most " + MAX_HOSTS_PER_MIGRATION + " per migration (split it into several)");
        }
        Map<String, Integer> hostsPerZone = new java.util.TreeMap<>();
        domains.stream().filter(MigrationRequest.Domain::inRoute53)
                .forEach(d -> hostsPerZone.merge(d.hostedZoneId(), d.records().size(), Integer::sum));
        hostsPerZone.forEach((zone, hosts) -> {
            if (hosts > MAX_HOSTS_PER_ZONE) {
                v.error("domains", hosts + " host names would move in hosted zone " + zone + "; at most " + MAX_HOSTS_PER_ZONE
                        + " per zone, so each step stays one Route 53 change batch");
            }
        });
        return domains;
    }

    private static MigrationRequest.Copy copy(JsonNode node, Validation v) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            v.error("copy", "must be an object {\"source\": {...}, \"target\": {...}}");
            return null;
        }
        MigrationRequest.Location source = location(node.get("source"), "copy.source", v);
        MigrationRequest.Location target = location(node.get("target"), "copy.target", v);
        if (source != null && target != null) {
            if ((source.files() == null) != (target.files() == null)) {
                v.error("copy", "name files on both sides or on neither");
            }
            if ((source.database() == null) != (target.database() == null)) {
                v.error("copy", "name a database on both sides or on neither");
            }
        }
        return new MigrationRequest.Copy(source, target);
    }

    private static MigrationRequest.Location location(JsonNode node, String at, Validation v) {
        if (node == null || !node.isObject()) {
            v.error(at, "is required: {\"files\": \"/srv/shop/\", \"database\": {\"name\": \"shop\", \"connection\": \"old\"}}");
            return null;
        }
        String files = text(node, "files");
        if (files != null && (!COPY_PATH.matcher(files).matches() || files.contains("/../") || files.endsWith("/.."))) {
            v.error(at + ".files", "\"" + clip(files) + "\" is not an absolute path or user@host:/path without \"..\"");
            files = null;
        }
        MigrationRequest.Database database = null;
        JsonNode db = node.get("database");
        if (db != null && !db.isNull()) {
            String name = db.isObject() ? text(db, "name") : null;
            String connection = db.isObject() ? text(db, "connection") : null;
            if (name == null || !DATABASE_NAME.matcher(name).matches()) {
                v.error(at + ".database.name", "must be a database name of letters, digits, '_' or '$'");
            }
            if (connection == null || !CONNECTION_NAME.matcher(connection).matches()) {
                v.error(at + ".database.connection", "must name a connection the copy tooling knows (letters, digits, '.', '_', '-')");
            }
            database = new MigrationRequest.Database(name, connection);
        }
        if (files == null && database == null && !v.has(at + ".files")) {
            v.error(at, "names neither files nor a database");
        }
        return new MigrationRequest.Location(files, database);
    }

    /**
     * A replacement for the customer's address (staff correcting a bounced one), checked exactly
     * as the intake checks {@code customer.email}: no control characters, the shape of an
     * address, and what SES can send to.
     *
     * @throws InvalidMigrationRequest naming the problem
     */
    public static String customerEmail(String email) {
        Validation v = new Validation();
        com.fasterxml.jackson.databind.node.ObjectNode customer = Json.object();
        if (email != null) {
            customer.put("email", email);
        }
        controlCharacters(customer, "customer", v);
        String checked = v.ok() ? email(customer, "customer.email", v, true) : null;
        if (!v.ok()) {
            throw new InvalidMigrationRequest(v.errors());
        }
        return checked;
    }

    private static String email(JsonNode node, String field, Validation v, boolean required) {
        String email = text(node, field.substring(field.lastIndexOf('.') + 1));
        if (email == null) {
            if (required) {
                v.error(field, "is required");
            }
            return null;
        }
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            v.error(field, "\"" + clip(email) + "\" is not an email address");
            return null;
        }
        java.util.Optional<String> unsendable = de.shopmigration.core.mail.EmailAddress.problem(email);
        if (unsendable.isPresent()) {
            v.error(field, unsendable.get());
            return null;
        }
        return email;
    }

    private static String optionalText(JsonNode node, String name, int max, Validation v) {
        return optionalText(node, name, max, v, name);
    }

    private static String optionalText(JsonNode node, String name, int max, Validation v, String field) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            v.error(field, "must be text");
            return null;
        }
        String text = value.asText().strip();
        if (text.length() > max) {
            v.error(field, "must be at most " + max + " characters");
            return null;
        }
        return text.isEmpty() ? null : text;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            return null;
        }
        return value.asText().strip();
    }

    /**
     * Names are kept in one spelling, lower-case ASCII, which is how Route 53 lists them and what
     * the holds on domain names compare ({@link DomainHolds}): an internationalised name must be
     * given in its Punycode (A-label) form rather than be converted here, so the customer's emails
     * and the DNS instructions show the same name staff entered.
     */
    private static String asciiHint(String name) {
        return name.chars().anyMatch(c -> c >= 0x80)
                ? "; write an internationalised domain in its ASCII (Punycode) form, e.g. xn--mller-shop-9db.de for müller-shop.de" : "";
    }

    private static String hostname(String raw) {
        if (raw == null) {
            return null;
        }
        String host = raw.strip().toLowerCase(Locale.ROOT);
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static boolean isIpv6(String text) {
        if (!text.contains(":") || !IPV6_CHARS.matcher(text).matches()) {
            return false;
        }
        try {
            // A literal with only hex digits, colons and dots never triggers a DNS lookup.
            return InetAddress.getByName(text) instanceof java.net.Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String clip(String value) {
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }
}
