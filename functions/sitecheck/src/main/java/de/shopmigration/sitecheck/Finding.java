package de.shopmigration.sitecheck;

/**
 * One thing a site check found, for staff to read: how bad, on which URL (or host, for TLS),
 * and what, in a sentence.
 */
public record Finding(Severity severity, String where, String what) {

    /** Blocking stops the next step until staff fix it or override it; warnings are shown; info is the record. */
    public enum Severity {
        BLOCKING, WARNING, INFO
    }

    static Finding blocking(String where, String what) {
        return new Finding(Severity.BLOCKING, where, what);
    }

    static Finding warning(String where, String what) {
        return new Finding(Severity.WARNING, where, what);
    }

    static Finding info(String where, String what) {
        return new Finding(Severity.INFO, where, what);
    }
}
