package de.shopmigration.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.InvalidMigrationRequest;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.Language;
import de.shopmigration.core.MigrationRequest;
import de.shopmigration.core.PublicAddress;
import de.shopmigration.core.Timing;
import de.shopmigration.core.TypedText;
import de.shopmigration.core.Validation;
import de.shopmigration.core.mail.CustomerEmail;
import de.shopmigration.core.mail.EmailAddress;
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
 *
 * <p>The input's shape (types, required fields, lengths, ranges, patterns, unknown fields) is
 * the JSON Schema's alone ({@link InputSchema}), which every parse runs first. This class adds
 * what a schema cannot say: a public address, a hosted zone this deployment may change, host
 * names in one spelling and each listed once, no control characters in any text, and the rules
 * between fields. Where it reads a field the schema refused, it reads leniently and says nothing:
 * the schema's error names that field.
 */
public final class RequestParser {

    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?\\.)+(?!\\d+$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** Keeps each zone's change batch (A and AAAA, UPSERT counting twice) inside Route 53's 1,000 values. */
    private static final int MAX_HOSTS_PER_ZONE = 100;
    /**
     * Host names that move in one migration, all domains together: what the record keeps of
     * each (its original records) must fit DynamoDB's 400 KB item with room to spare
     * (RecordSizeTest), and a shop moves a handful.
     */
    public static final int MAX_HOSTS_PER_MIGRATION = 40;

    private final InputSchema schema;
    private final InputSchema.Rule migrationId;
    private final Set<String> allowedZones;
    private final boolean documentationAddresses;

    /**
     * @param allowedZones           hosted zones this deployment may change; empty means any
     * @param documentationAddresses whether the documentation blocks (198.51.100.0/24, ...) count
     *                               as public: only the sandbox and the tests say yes
     */
    public RequestParser(InputSchema schema, Set<String> allowedZones, boolean documentationAddresses) {
        this.schema = schema;
        this.migrationId = schema.rule("/properties/migrationId");
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

    /**
     * Checks {@code input} against the schema, then reads it into {@code v}: each bad field is
     * named once, by this class's words where it has some, else by the schema's. The result is
     * only meaningful when {@code v.ok()}.
     */
    public MigrationRequest parse(JsonNode input, String executionName, Validation v) {
        Validation shape = new Validation();
        schema.check(input, shape);
        MigrationRequest request = new Reading(shape, v).request(input, executionName);
        shape.errors().stream().filter(e -> !v.has(e.field())).forEach(e -> v.error(e.field(), e.message()));
        return request;
    }

    /** One input's reading: what the schema refused ({@code shape}) and what this class adds ({@code v}). */
    private final class Reading {

        private final Validation shape;
        private final Validation v;

        Reading(Validation shape, Validation v) {
            this.shape = shape;
            this.v = v;
        }

        /** Whether the schema took the field: a semantic check needs a well-shaped value to look at. */
        private boolean shaped(String field) {
            return !shape.has(field);
        }

        MigrationRequest request(JsonNode input, String executionName) {
            if (input == null || !input.isObject()) {
                // The schema says so too; this message is the one staff have always read.
                v.error("(input)", "must be a JSON object");
                return null;
            }
            controlCharacters(input, "");
            String id = text(input, "migrationId");
            if (id == null) {
                // The schema checks a migrationId in the input; the execution name it never sees.
                id = executionName;
                if (!migrationId.matches(id)) {
                    v.error("migrationId", migrationId.message());
                }
            } else if (executionName != null && !id.equals(executionName)) {
                v.error("migrationId", "must equal the execution name \"" + executionName + "\" (start the execution with name = migration id)");
            }

            MigrationRequest.Customer customer = customer(input.path("customer"));
            MigrationRequest.Staff staff = staff(input.get("staff"));
            String shopName = optionalText(input, "shopName");
            String newIp = text(input, "newIp");
            if (newIp != null && shaped("newIp") && !PublicAddress.isPublic(newIp, documentationAddresses)) {
                v.error("newIp", newIp + " is not a public address; visitors could not reach the shop there");
            }
            String newIpv6 = text(input, "newIpv6");
            if (newIpv6 != null && shaped("newIpv6")) {
                // The schema allowed only hex digits, colons and dots: no DNS lookup can follow.
                if (!isIpv6(newIpv6)) {
                    v.error("newIpv6", "\"" + clip(newIpv6) + "\" is not an IPv6 address");
                } else if (!PublicAddress.isPublic(newIpv6, documentationAddresses)) {
                    v.error("newIpv6", newIpv6 + " is not a public address; visitors could not reach the shop there");
                }
            }
            JsonNode ttl = input.path("targetTtl");
            int targetTtl = ttl.isIntegralNumber() && shaped("targetTtl") ? ttl.asInt() : 300;
            boolean optimisation = input.path("optimisationOrdered").asBoolean(false);
            List<MigrationRequest.Domain> domains = domains(input.path("domains"));
            Timing timing = timing(input.path("timing"));
            MigrationRequest.Copy copy = copy(input.path("copy"));
            return new MigrationRequest(id, customer, staff, shopName, domains, newIp, newIpv6, targetTtl, optimisation, timing, copy);
        }

        /**
         * No text of the input may hold a control character, a line break or a bidi control: they
         * would reach pages, emails and the PDF (a U+202E shows "gnp.exe" as "exe.png").
         */
        private void controlCharacters(JsonNode node, String path) {
            if (node.isTextual()) {
                TypedText.controlCharacter(node.asText()).ifPresent(problem -> v.error(path.isEmpty() ? "(input)" : path, problem));
            } else if (node.isObject()) {
                node.properties().forEach(e -> controlCharacters(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey()));
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    controlCharacters(node.get(i), path + "[" + i + "]");
                }
            }
        }

        private MigrationRequest.Customer customer(JsonNode node) {
            if (!node.isObject()) {
                return null;
            }
            String name = text(node, "name");
            if (name == null && shaped("customer.name")) {
                // Blanks only: the schema's minLength counts them as a name.
                v.error("customer.name", "is required");
            }
            String company = optionalText(node, "company");
            String email = email(node, "customer.email");
            String languageCode = text(node, "language");
            Language language = shaped("customer.language") && languageCode != null ? Language.ofCode(languageCode) : null;
            String zone = text(node, "timeZone");
            if (zone != null && shaped("customer.timeZone")) {
                try {
                    zone = java.time.ZoneId.of(zone).getId();
                } catch (java.time.DateTimeException e) {
                    v.error("customer.timeZone", "\"" + clip(zone) + "\" is not a time zone such as Europe/Berlin");
                    zone = null;
                }
            }
            return new MigrationRequest.Customer(name, company, email, language, zone);
        }

        private MigrationRequest.Staff staff(JsonNode node) {
            if (node == null || !node.isObject()) {
                return null;
            }
            String name = optionalText(node, "name");
            String email = email(node, "staff.email");
            if (email == null && text(node, "email") == null && shaped("staff.email")) {
                // The schema lets a staff object go without an address; the workflow cannot.
                v.error("staff.email", "is required");
            }
            return new MigrationRequest.Staff(name, email);
        }

        private List<MigrationRequest.Domain> domains(JsonNode node) {
            List<MigrationRequest.Domain> domains = new ArrayList<>();
            if (!node.isArray() || !shaped("domains")) {
                return domains;
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < node.size(); i++) {
                String at = "domains[" + i + "]";
                JsonNode d = node.get(i);
                String name = hostname(text(d, "name"));
                if (name == null || !shaped(at + ".name")) {
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
                if (zone != null && shaped(at + ".hostedZoneId")) {
                    zone = zone.replace("/hostedzone/", "");
                    if (!allowedZones.isEmpty() && !allowedZones.contains(zone)) {
                        v.error(at + ".hostedZoneId", zone + " is not one of the hosted zones this deployment may change ("
                                + String.join(", ", allowedZones.stream().sorted().toList()) + ")");
                    }
                }
                domains.add(new MigrationRequest.Domain(name, zone, records(d.get("records"), name, at)));
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

        /** The host names that move with a domain: the listed ones, or the domain and its www. */
        private List<String> records(JsonNode r, String name, String at) {
            List<String> records = new ArrayList<>();
            if (r == null || r.isNull()) {
                records.add(name);
                records.add("www." + name);
                return List.copyOf(records);
            }
            if (!r.isArray() || !shaped(at + ".records")) {
                return List.of();
            }
            for (int j = 0; j < r.size(); j++) {
                String field = at + ".records[" + j + "]";
                String host = hostname(r.get(j).isTextual() ? r.get(j).asText() : null);
                if (!shaped(field)) {
                    continue;
                }
                if (host == null || !HOSTNAME.matcher(host).matches()) {
                    v.error(field, "must be a host name" + (host == null ? "" : asciiHint(host)));
                } else if (!host.equals(name) && !host.endsWith("." + name)) {
                    v.error(field, host + " is not in " + name);
                } else if (!records.contains(host)) {
                    records.add(host);
                }
            }
            return List.copyOf(records);
        }

        /** The plan's delays with the input's overrides; the schema has checked names and ranges. */
        private Timing timing(JsonNode node) {
            if (!node.isObject()) {
                return Timing.DEFAULTS;
            }
            ObjectNode values = (ObjectNode) Json.tree(Timing.DEFAULTS);
            node.properties().forEach(e -> {
                if (values.has(e.getKey()) && e.getValue().isIntegralNumber() && shaped("timing." + e.getKey())) {
                    values.set(e.getKey(), e.getValue());
                }
            });
            return Json.convert(values, Timing.class);
        }

        private MigrationRequest.Copy copy(JsonNode node) {
            if (!node.isObject()) {
                return null;
            }
            MigrationRequest.Location source = location(node.path("source"), "copy.source");
            MigrationRequest.Location target = location(node.path("target"), "copy.target");
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

        private MigrationRequest.Location location(JsonNode node, String at) {
            if (!node.isObject()) {
                return null;
            }
            String files = text(node, "files");
            if (files != null && shaped(at + ".files") && (files.contains("/../") || files.endsWith("/.."))) {
                // Climbing out with ".." is what the schema's pattern does not rule out.
                v.error(at + ".files", "\"" + clip(files) + "\" is not an absolute path or user@host:/path without \"..\"");
                files = null;
            }
            JsonNode db = node.path("database");
            // A database the schema refused still counts as named: "on both sides" is then not the problem.
            MigrationRequest.Database database = db.isMissingNode() || db.isNull() ? null
                    : new MigrationRequest.Database(text(db, "name"), text(db, "connection"));
            return new MigrationRequest.Location(files, database);
        }

        /** What SES can send to; the address's shape is the schema's. */
        private String email(JsonNode node, String field) {
            String email = text(node, field.substring(field.lastIndexOf('.') + 1));
            if (email == null || email.length() > CustomerEmail.MAX_LENGTH) {
                // Too long is the schema's to say; the IDNA encoding is not run on such a text.
                return null;
            }
            java.util.Optional<String> unsendable = EmailAddress.problem(email);
            if (unsendable.isPresent()) {
                v.error(field, unsendable.get());
                return null;
            }
            return email;
        }
    }

    private static String optionalText(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            return null;
        }
        String text = value.asText().strip();
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
     * the holds on domain names compare (DomainHolds): an internationalised name must be
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

    /** Only for text of hex digits, colons and dots (the schema's pattern), which never triggers a DNS lookup. */
    private static boolean isIpv6(String text) {
        if (!text.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(text) instanceof java.net.Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String clip(String value) {
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }
}
