package de.shopmigration.core;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Time formats the workflow shares: sortable keys, and the provider's local time for people. */
public final class TimeFormats {

    /** The provider's office hours, slots and every time shown to a person are in Berlin time. */
    public static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DE = DateTimeFormatter.ofPattern("EEEE, d. MMMM yyyy, HH:mm 'Uhr'", Locale.GERMANY).withZone(BERLIN);
    private static final DateTimeFormatter EN = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.UK).withZone(BERLIN);

    private TimeFormats() {
    }

    private static final DateTimeFormatter SHORT_DE = DateTimeFormatter.ofPattern("EE d.M., HH:mm", Locale.GERMANY).withZone(BERLIN);
    private static final DateTimeFormatter SHORT_EN = DateTimeFormatter.ofPattern("EEE d MMM, HH:mm", Locale.UK).withZone(BERLIN);

    /** A short moment for tables: weekday, date and time, Berlin time. */
    public static String brief(Instant instant, Language language) {
        return (language == Language.DE ? SHORT_DE : SHORT_EN).format(instant);
    }

    /** Fixed width, so string order is time order (sort keys). */
    public static String sortable(Instant instant) {
        return SORTABLE.format(instant);
    }

    /** A moment as a person reads it, in Berlin time, in their language. */
    public static String human(Instant instant, Language language) {
        return (language == Language.DE ? DE : EN).format(instant)
                + (language == Language.DE ? "" : " (Berlin time)");
    }

    /** A duration as people read it: "45 Sek.", "12 Min.", "2 Std. 14 Min." (English: "45 s", "12 min", "2 h 14 min"). */
    public static String duration(java.time.Duration d, Language language) {
        long minutes = Math.max(0, d.toMinutes());
        long seconds = Math.max(0, d.toSeconds());
        if (seconds < 60) {
            return seconds + (language == Language.DE ? " Sek." : " s");
        }
        String min = language == Language.DE ? " Min." : " min";
        if (minutes < 60) {
            return minutes + min;
        }
        long hours = minutes / 60;
        long rest = minutes % 60;
        return hours + (language == Language.DE ? " Std." : " h") + (rest > 0 ? " " + rest + min : "");
    }

    /** A byte count as people read it, in powers of 1,000 like disk vendors and rsync's -h. */
    public static String bytes(long bytes, Language language) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        String number = unit == 0 ? Long.toString(bytes) : String.format(language == Language.DE ? java.util.Locale.GERMANY : java.util.Locale.UK, "%.1f", value);
        return number + " " + units[unit];
    }

    /**
     * The state machine's {@code $$.State.EnteredTime} (ISO 8601, with offset); null when the
     * payload has none (an execution started before the field existed).
     */
    public static Instant parseEnteredTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return java.time.OffsetDateTime.parse(text).toInstant();
    }
}
