package de.shopmigration.core;

import java.util.Locale;

/** The customers are German; English is the second language. */
public enum Language {
    DE(Locale.GERMANY), EN(Locale.UK);

    private final Locale locale;

    Language(Locale locale) {
        this.locale = locale;
    }

    public Locale locale() {
        return locale;
    }

    /** Stored and shown as "de" / "en", as in the execution input ({@link LanguageAdapter}). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Language ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
