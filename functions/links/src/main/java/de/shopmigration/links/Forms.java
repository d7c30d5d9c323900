package de.shopmigration.links;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationRequest;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.SitePages;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.TypedText;
import de.shopmigration.core.mail.Messages;
import de.shopmigration.core.mail.Texts;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fields each link page asks for, and their server-side checks: one message per field,
 * in the page's language; entered values are kept on error.
 */
public final class Forms {

    private static final Pattern VERSION = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){0,2}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ()/.-]{4,28}[0-9]");
    /**
     * A size in GB as people write it: digits with up to three decimals, point or comma, no
     * exponent. DynamoDB stores numbers of at most 38 digits between 1E-130 and 1E+126; "1e-200"
     * would be refused there after the customer was told it was accepted.
     */
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,6}([.,]\\d{1,3})?");
    private static final List<String> SHOP_SYSTEMS = List.of("MAGENTO", "SHOPWARE", "WOOCOMMERCE", "OXID", "OTHER");
    private static final List<String> DATABASES = List.of("MYSQL", "MARIADB", "POSTGRESQL", "OTHER");
    private static final List<String> EMAIL_HOSTING = List.of("CURRENT_PROVIDER", "EXTERNAL", "NONE");
    private static final List<String> TLS = List.of("LETS_ENCRYPT", "PURCHASED", "NONE");

    private Forms() {
    }

    /** The empty fields of a purpose's page, with the values the record suggests. */
    public static List<Field> fields(Purpose purpose, MigrationRecord record, Texts t, String provider) {
        return switch (purpose) {
            case QUESTIONNAIRE -> questionnaire(record, t, provider);
            case PROBLEMS_FOUND, GO_LIVE_PROBLEMS, REPORT_ERROR ->
                    List.of(Field.of("description", t.get("field.description.label"), Field.Kind.TEXTAREA, true, 5000));
            case COPY_FAILED, CANCEL_BOOKING -> List.of(Field.of("reason", t.get("field.reason.label"), Field.Kind.TEXTAREA, true, 2000));
            case SITE_OVERRIDE -> List.of(Field.of("reason", t.get("field.overrideReason.label"), Field.Kind.TEXTAREA, true, 2000));
            case ROLLBACK_DNS -> List.of(Field.of("note", t.get("field.rollbackNote.label"), Field.Kind.TEXTAREA, false, 2000));
            // The customer reads only the message meant for them; the reason stays with the team.
            case ABORT -> {
                Map<String, String> values = Messages.values(record.request(), provider);
                yield List.of(
                        Field.of("reason", t.get("field.reason.internal.label"), Field.Kind.TEXTAREA, true, 2000)
                                .hint(t.get("field.reason.internal.hint", values)),
                        Field.of("customerMessage", t.get("field.customerMessage.label", values), Field.Kind.TEXTAREA, false, 2000)
                                .hint(t.get("field.customerMessage.hint", values)));
            }
            // The customer reads it word for word in the "fixed" email; the page says so.
            case REPORT_FIXED -> {
                Map<String, String> customer = Map.of("customerName", record.request().customer().name());
                yield List.of(Field.of("note", t.get("field.note.label", customer), Field.Kind.TEXTAREA, false, 2000)
                        .hint(t.get("field.note.hint", customer)));
            }
            case COPY_DONE -> CopyForm.fields(record, t);
            case BOOK_SLOT, REBOOK -> List.of(Field.of("slot", t.get("field.slot.label"), Field.Kind.RADIO, true, 40)
                    .options(slotOptions(record, t)));
            default -> List.of();
        };
    }

    private static List<Field> questionnaire(MigrationRecord record, Texts t, String provider) {
        List<Field> f = new ArrayList<>();
        f.add(Field.of("currentProvider", t.get("field.currentProvider.label"), Field.Kind.TEXT, true, 100));
        f.add(Field.of("access", t.get("field.access.label"), Field.Kind.TEXTAREA, false, 1000).hint(t.get("field.access.hint")));
        f.add(select("shopSystem", SHOP_SYSTEMS, t));
        f.add(Field.of("shopVersion", t.get("field.shopVersion.label"), Field.Kind.TEXT, true, 40));
        f.add(Field.of("phpVersion", t.get("field.phpVersion.label"), Field.Kind.TEXT, true, 10)
                .hint(t.get("field.phpVersion.hint")).rule(Field.Rule.VERSION));
        f.add(select("databaseEngine", DATABASES, t));
        f.add(Field.of("databaseSizeGb", t.get("field.databaseSizeGb.label"), Field.Kind.NUMBER, true, 12).rule(Field.Rule.DECIMAL));
        f.add(Field.of("fileSizeGb", t.get("field.fileSizeGb.label"), Field.Kind.NUMBER, true, 12).rule(Field.Rule.DECIMAL));
        List<MigrationRequest.Domain> domains = record.request().domains();
        for (int i = 0; i < domains.size(); i++) {
            MigrationRequest.Domain d = domains.get(i);
            f.add(Field.of("dns" + i, t.get("field.dns.label", Map.of("domain", d.name())), Field.Kind.TEXT, true, 100)
                    .value(d.inRoute53() ? provider + " (Route 53)" : null));
        }
        f.add(Field.of("interfaces", t.get("field.interfaces.label"), Field.Kind.TEXTAREA, false, 2000));
        f.add(Field.of("interfacesAllowlist", t.get("field.interfacesAllowlist.label"), Field.Kind.CHECKBOX, false, 5));
        f.add(Field.of("cronJobs", t.get("field.cronJobs.label"), Field.Kind.TEXTAREA, false, 2000));
        // What the site check fetches besides the home pages and the sitemap, and looks for on the pages.
        f.add(Field.of(SitePages.PAGES, t.get("field.importantPages.label"), Field.Kind.TEXTAREA, false, 2000)
                .hint(t.get("field.importantPages.hint", Map.of("max", Integer.toString(SitePages.MAX_PAGES))))
                .rule(Field.Rule.PAGE_LIST).hosts(SitePages.hosts(record.request())));
        f.add(Field.of(SitePages.MARKER, t.get("field.markerText.label"), Field.Kind.TEXT, false, SitePages.MAX_MARKER)
                .hint(t.get("field.markerText.hint")));
        f.add(select("emailHosting", EMAIL_HOSTING, t));
        f.add(select("tlsCertificates", TLS, t));
        f.add(Field.of("contactName", t.get("field.contactName.label"), Field.Kind.TEXT, true, 100).value(record.request().customer().name()));
        f.add(Field.of("contactPhone", t.get("field.contactPhone.label"), Field.Kind.TEL, true, 30).rule(Field.Rule.PHONE));
        f.add(Field.of("preferredWindows", t.get("field.preferredWindows.label"), Field.Kind.TEXTAREA, false, 500));
        f.add(Field.of("optimisationOrdered", t.get("field.optimisationOrdered.label"), Field.Kind.CHECKBOX, false, 5)
                .value(Boolean.toString(record.request().optimisationOrdered())));
        f.add(Field.of("notes", t.get("field.notes.label"), Field.Kind.TEXTAREA, false, 2000));
        return f;
    }

    private static Field select(String name, List<String> values, Texts t) {
        List<Field.Option> options = new ArrayList<>();
        options.add(new Field.Option("", t.get("option.choose"), null, null));
        values.forEach(v -> options.add(new Field.Option(v, t.get("option." + name + "." + v), null, null)));
        return Field.of(name, t.get("field." + name + ".label"), Field.Kind.SELECT, true, 40).options(options);
    }

    static List<Field.Option> slotOptions(MigrationRecord record, Texts t) {
        java.time.format.DateTimeFormatter day = java.time.format.DateTimeFormatter.ofPattern(
                t.language() == de.shopmigration.core.Language.DE ? "EEEE, d. MMMM yyyy" : "EEEE d MMMM yyyy",
                t.language().locale()).withZone(TimeFormats.BERLIN);
        java.time.format.DateTimeFormatter time = java.time.format.DateTimeFormatter.ofPattern("HH:mm").withZone(TimeFormats.BERLIN);
        List<Field.Option> options = new ArrayList<>();
        for (MigrationRecord.GoLiveSlot s : record.slotOffer()) {
            options.add(new Field.Option(s.start().toString(),
                    time.format(s.start()) + " – " + time.format(s.end()) + (t.language() == de.shopmigration.core.Language.DE ? " Uhr" : ""),
                    s.recommended() ? t.get("page.slot.recommended") : null, day.format(s.start())));
        }
        return options;
    }

    /** Fields with the posted values and, where a check failed, its message. */
    public record Checked(List<Field> fields, boolean ok) {
        public Map<String, String> values() {
            Map<String, String> v = new LinkedHashMap<>();
            fields.forEach(f -> v.put(f.name(), f.value()));
            return v;
        }
    }

    public static Checked check(List<Field> spec, Map<String, String> posted, Texts t) {
        return check(spec, posted, t, false);
    }

    /** @param documentationAddresses whether addresses of the documentation blocks count as public (the local cloud) */
    public static Checked check(List<Field> spec, Map<String, String> posted, Texts t, boolean documentationAddresses) {
        List<Field> out = new ArrayList<>();
        for (Field f : spec) {
            String raw = posted.get(f.name());
            boolean lines = f.kind() == Field.Kind.TEXTAREA;
            String value = f.kind() == Field.Kind.CHECKBOX ? Boolean.toString("true".equals(raw) || "on".equals(raw))
                    : raw == null ? "" : raw.strip();
            // A one-line field holds no line break (a posted one could forge lines in an email);
            // control and bidi-control characters go wherever they come from.
            boolean broken = !lines && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0);
            value = TypedText.clean(value, lines).strip();
            out.add(f.value(value).error(broken ? t.get("validation.singleLine") : error(f, value, t, documentationAddresses)));
        }
        out = CopyForm.requireAccess(out, t);
        return new Checked(out, out.stream().allMatch(f -> f.error() == null));
    }

    private static String error(Field f, String value, Texts t, boolean documentationAddresses) {
        if (f.kind() == Field.Kind.CHECKBOX) {
            return null;
        }
        boolean choice = f.kind() == Field.Kind.SELECT || f.kind() == Field.Kind.RADIO;
        if (value.isEmpty()) {
            return !f.required() ? null : choice ? t.get(f.kind() == Field.Kind.RADIO ? "validation.slot" : "validation.choice")
                    : t.get("validation.required");
        }
        if (value.length() > f.maxLength()) {
            return t.get("validation.tooLong", Map.of("max", Integer.toString(f.maxLength())));
        }
        if (choice && f.options().stream().noneMatch(o -> o.value().equals(value) && !o.value().isEmpty())) {
            return t.get(f.kind() == Field.Kind.RADIO ? "validation.slot" : "validation.choice");
        }
        return switch (f.rule()) {
            case VERSION -> VERSION.matcher(value).matches() ? null : t.get("validation.version");
            case PHONE -> PHONE.matcher(value).matches() ? null : t.get("validation.phone");
            case DECIMAL -> decimal(value, 0, 100_000, t);
            case SIZE, COUNT -> CopyForm.figureError(f.rule(), value, t);
            case WEB_ADDRESS -> CopyForm.urlError(value, t, documentationAddresses);
            case PUBLIC_IP -> CopyForm.ipError(value, t, documentationAddresses);
            case LOGIN_NAME -> CopyForm.loginError(value, t);
            case PAGE_LIST -> pagesError(value, f.hosts(), t);
            case NONE -> null;
        };
    }

    /**
     * Too many pages, or one message per line that names no page on the host names, each naming
     * its line (counted as the field shows it, blank lines included).
     */
    private static String pagesError(String value, List<String> hosts, Texts t) {
        List<String> pages = SitePages.lines(value);
        if (pages.size() > SitePages.MAX_PAGES) {
            return t.get("validation.pages.tooMany", Map.of("max", Integer.toString(SitePages.MAX_PAGES),
                    "count", Integer.toString(pages.size())));
        }
        List<String> messages = new ArrayList<>();
        List<String> lines = value.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int number = i + 1;
            SitePages.problem(line, hosts).ifPresent(p -> messages.add(t.get("validation.pages." + p.name(), Map.of(
                    "line", Integer.toString(number), "page", shortened(line), "max", Integer.toString(SitePages.MAX_PATH),
                    "domains", String.join(", ", hosts)))));
        }
        return messages.isEmpty() ? null : String.join(" ", messages);
    }

    /** A line as a message quotes it: at most 60 characters. */
    private static String shortened(String line) {
        if (line.length() <= 60) {
            return line;
        }
        return line.substring(0, Character.isHighSurrogate(line.charAt(58)) ? 58 : 59) + "…";
    }

    private static String decimal(String value, double min, double max, Texts t) {
        if (!DECIMAL.matcher(value).matches()) {
            return t.get("validation.number");
        }
        try {
            BigDecimal d = new BigDecimal(value.replace(',', '.'));
            return d.doubleValue() < min || d.doubleValue() > max
                    ? t.get("validation.range", Map.of("min", fmt(min), "max", fmt(max))) : null;
        } catch (NumberFormatException e) {
            return t.get("validation.number");
        }
    }

    private static String fmt(double d) {
        return d == Math.floor(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** The questionnaire answers as stored in the record (numbers normalised, flags as booleans). */
    public static ObjectNode answers(Checked checked, MigrationRecord record) {
        ObjectNode a = Json.object();
        List<MigrationRequest.Domain> domains = record.request().domains();
        ObjectNode dns = Json.object();
        for (Field f : checked.fields()) {
            String v = f.value();
            if (f.name().startsWith("dns")) {
                dns.put(domains.get(Integer.parseInt(f.name().substring(3))).name(), v);
            } else if (f.kind() == Field.Kind.CHECKBOX) {
                a.put(f.name(), f.checked());
            } else if (f.rule() == Field.Rule.DECIMAL) {
                a.put(f.name(), new BigDecimal(v.replace(',', '.')));
            } else if (f.rule() == Field.Rule.PAGE_LIST && !v.isEmpty()) {
                a.put(f.name(), String.join("\n", SitePages.lines(v)));
            } else if (!v.isEmpty()) {
                a.put(f.name(), v);
            }
        }
        a.set("dnsProviders", dns);
        return a;
    }
}
