package de.shopmigration.links;

import java.util.List;

/** One form field as the page shows it: its rules, the value entered and the error, if any. */
public record Field(String name, String label, Kind kind, boolean required, int maxLength, String hint,
                    List<Option> options, String value, String error, Rule rule, List<String> hosts) {

    public enum Kind { TEXT, TEXTAREA, NUMBER, TEL, SELECT, CHECKBOX, RADIO }

    /** A choice; {@code group} lets radio buttons be grouped (slots by day). */
    public record Option(String value, String label, String badge, String group) {
    }

    /**
     * Extra checks beyond required and length. SIZE and COUNT read figures as people write them
     * ({@link WrittenFigures}); WEB_ADDRESS, PUBLIC_IP and LOGIN_NAME are the test access ({@link CopyForm});
     * PAGE_LIST is the site check's important pages, on the field's {@link #hosts}
     * ({@link de.shopmigration.core.SitePages}).
     */
    public enum Rule { NONE, VERSION, PHONE, DECIMAL, SIZE, COUNT, WEB_ADDRESS, PUBLIC_IP, LOGIN_NAME, PAGE_LIST }

    public Field {
        options = options == null ? List.of() : List.copyOf(options);
        rule = rule == null ? Rule.NONE : rule;
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    public static Field of(String name, String label, Kind kind, boolean required, int maxLength) {
        return new Field(name, label, kind, required, maxLength, null, List.of(), null, null, Rule.NONE, List.of());
    }

    public Field hint(String text) {
        return new Field(name, label, kind, required, maxLength, text, options, value, error, rule, hosts);
    }

    public Field options(List<Option> list) {
        return new Field(name, label, kind, required, maxLength, hint, list, value, error, rule, hosts);
    }

    public Field rule(Rule r) {
        return new Field(name, label, kind, required, maxLength, hint, options, value, error, r, hosts);
    }

    public Field value(String v) {
        return new Field(name, label, kind, required, maxLength, hint, options, v, error, rule, hosts);
    }

    public Field error(String e) {
        return new Field(name, label, kind, required, maxLength, hint, options, value, e, rule, hosts);
    }

    /** The host names a full address in a PAGE_LIST may name. */
    public Field hosts(List<String> names) {
        return new Field(name, label, kind, required, maxLength, hint, options, value, error, rule, names);
    }

    public boolean checked() {
        return "true".equals(value) || "on".equals(value);
    }

    /** The id of the element a label and an error message point to. */
    public String id() {
        return "f-" + name.replaceAll("[^A-Za-z0-9_-]", "_");
    }
}
