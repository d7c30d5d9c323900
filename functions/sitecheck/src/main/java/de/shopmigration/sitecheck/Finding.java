package de.shopmigration.sitecheck;

import de.shopmigration.core.Audience;
import de.shopmigration.core.Language;
import de.shopmigration.core.mail.Texts;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing a site check found, for staff to read: how bad, on which URL (or host, for TLS),
 * and what: a text key ({@code finding.<key>} in the texts) with its values, so staff read it
 * in their own language.
 */
public record Finding(Severity severity, String where, String key, Map<String, String> values) {

    /** Blocking stops the next step until staff fix it or override it; warnings are shown; info is the record. */
    public enum Severity {
        BLOCKING, WARNING, INFO
    }

    public Finding {
        values = Map.copyOf(values);
    }

    /** What was found, in a sentence in the language of {@code texts}. */
    public String what(Texts texts) {
        return texts.get("finding." + key, values);
    }

    /** What was found, in English (for tests and the audit trail's detail). */
    public String what() {
        return what(Texts.of(Language.EN, Audience.STAFF));
    }

    static Finding blocking(String where, String key, String... namesAndValues) {
        return new Finding(Severity.BLOCKING, where, key, map(namesAndValues));
    }

    static Finding warning(String where, String key, String... namesAndValues) {
        return new Finding(Severity.WARNING, where, key, map(namesAndValues));
    }

    static Finding info(String where, String key, String... namesAndValues) {
        return new Finding(Severity.INFO, where, key, map(namesAndValues));
    }

    private static Map<String, String> map(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put(namesAndValues[i], String.valueOf(namesAndValues[i + 1]));
        }
        return values;
    }
}
