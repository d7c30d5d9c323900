package de.shopmigration.core;

import de.shopmigration.core.lambda.Env;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * When a go-live may start and how long it occupies the provider, in Berlin time (template
 * parameters, defaults from the provider's plan): go-live days Monday to Thursday, office hours
 * 9:00 to 18:00, starts from 9:00 to 12:00 recommended, and a latest start so that the longest
 * planned downtime ({@link #LONGEST_DOWNTIME}, 2 hours) ends before closing (default 16:00).
 * Starts lie on a grid from opening time (every {@code grid}); a go-live occupies its slot, from
 * its start for {@code length}.
 *
 * <p>Capacity is counted per <em>cell</em>: a slot covers the cells from its start to its end,
 * and a booking takes a place in each of them ({@link GoLiveBookings}). Cells are UTC-aligned
 * pieces of at most an hour that every start falls on (Berlin's offsets are whole hours), so
 * two slots overlap exactly when they share a cell, also on daylight-saving days.
 *
 * @param days        the weekdays a go-live may start on
 * @param opens       the earliest start
 * @param closes      the end of office hours: the phase plan ends a go-live day here
 * @param recommendedFrom  recommended starts are at or after this
 * @param recommendedUntil ... and before this
 * @param latestStart the latest start (inclusive)
 * @param grid        the distance between two offered starts
 * @param length      how long a go-live occupies its slot (the plan's half day: 4 hours)
 */
public record OfficeHours(Set<DayOfWeek> days, LocalTime opens, LocalTime closes, LocalTime recommendedFrom,
                          LocalTime recommendedUntil, LocalTime latestStart, Duration grid, Duration length) {

    /** The plan: "the shop is down for 15 minutes to 2 hours". */
    public static final Duration LONGEST_DOWNTIME = Duration.ofHours(2);
    /** A transaction takes at most 100 writes (DynamoDB TransactWriteItems): one per cell. */
    public static final int MAX_CELLS = 100;

    public static final OfficeHours DEFAULT = new OfficeHours(
            EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY),
            LocalTime.of(9, 0), LocalTime.of(18, 0), LocalTime.of(9, 0), LocalTime.of(12, 0), LocalTime.of(16, 0),
            Duration.ofHours(1), Duration.ofHours(4));

    /** The environment variables, each with its template parameter (named in every error). */
    static final Map<String, String> PARAMETERS = Map.of(
            "GO_LIVE_DAYS", "GoLiveDays", "OFFICE_OPENS", "OfficeOpens", "OFFICE_CLOSES", "OfficeCloses",
            "RECOMMENDED_FROM", "RecommendedFrom", "RECOMMENDED_UNTIL", "RecommendedUntil",
            "LATEST_GO_LIVE_START", "LatestGoLiveStart", "SLOT_GRID_MINUTES", "SlotGridMinutes",
            "SLOT_LENGTH_MINUTES", "SlotLengthMinutes");

    public OfficeHours {
        days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
        check(!days.isEmpty(), "GO_LIVE_DAYS", "names no weekday");
        check(opens.isBefore(closes), "OFFICE_OPENS", "must be before the closing time " + closes);
        check(!recommendedFrom.isBefore(opens) && recommendedFrom.isBefore(recommendedUntil) && !recommendedUntil.isAfter(closes),
                "RECOMMENDED_FROM", "the recommended starts " + recommendedFrom + "–" + recommendedUntil + " must lie within "
                        + opens + "–" + closes);
        check(!latestStart.isBefore(opens) && latestStart.isBefore(closes), "LATEST_GO_LIVE_START",
                latestStart + " must lie from the opening time " + opens + " to before the closing time " + closes);
        long g = grid.toMinutes();
        check(g >= 5 && g <= 240 && (60 % g == 0 || g % 60 == 0), "SLOT_GRID_MINUTES",
                g + " must be 5 to 240 minutes and divide an hour (5, 10, 15, 20, 30) or be whole hours (60, 120, 180, 240)");
        long l = length.toMinutes();
        check(l >= 30 && l <= 720, "SLOT_LENGTH_MINUTES", l + " must be 30 to 720 minutes");
        long cell = cellMinutes(opens, grid, length);
        check(l / cell <= MAX_CELLS, "SLOT_LENGTH_MINUTES", l + " minutes are more than " + MAX_CELLS + " cells of " + cell + " minutes");
    }

    private static void check(boolean ok, String variable, String why) {
        if (!ok) {
            throw new InvalidConfiguration(variable, PARAMETERS.get(variable), why);
        }
    }

    /**
     * The deployment's office hours; absent variables keep the plan's defaults (the recommended
     * starts from opening, the latest start at closing minus the longest downtime). A bad value
     * stops the function's start.
     */
    public static OfficeHours from(Env env) {
        LocalTime opens = time(env, "OFFICE_OPENS", DEFAULT.opens);
        LocalTime closes = time(env, "OFFICE_CLOSES", DEFAULT.closes);
        LocalTime latest = env.optional("LATEST_GO_LIVE_START").isPresent() ? time(env, "LATEST_GO_LIVE_START", null)
                : closes.minus(LONGEST_DOWNTIME);
        return new OfficeHours(days(env), opens, closes, time(env, "RECOMMENDED_FROM", opens),
                time(env, "RECOMMENDED_UNTIL", DEFAULT.recommendedUntil), latest,
                Duration.ofMinutes(minutes(env, "SLOT_GRID_MINUTES", DEFAULT.grid)),
                Duration.ofMinutes(minutes(env, "SLOT_LENGTH_MINUTES", DEFAULT.length)));
    }

    private static LocalTime time(Env env, String name, LocalTime fallback) {
        String value = env.optional(name).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            if (value.strip().matches("([01][0-9]|2[0-3]):[0-5][0-9]")) {
                return LocalTime.parse(value.strip());
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new InvalidConfiguration(name, PARAMETERS.get(name), "\"" + value + "\" is not a time of day as HH:MM (e.g. 09:00)");
    }

    private static long minutes(Env env, String name, Duration fallback) {
        String value = env.optional(name).orElse(null);
        if (value == null) {
            return fallback.toMinutes();
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidConfiguration(name, PARAMETERS.get(name), "\"" + value + "\" is not a whole number of minutes");
        }
    }

    private static final List<String> WEEKDAYS = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");

    /** "MON-THU", "MON,TUE,WED,THU" or a mix ("MON-WED,FRI"). */
    static Set<DayOfWeek> days(Env env) {
        String value = env.optional("GO_LIVE_DAYS").orElse(null);
        if (value == null) {
            return DEFAULT.days;
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : value.toUpperCase(Locale.ROOT).split(",")) {
            String[] range = part.strip().split("-");
            int from = WEEKDAYS.indexOf(range[0].strip());
            int to = range.length == 2 ? WEEKDAYS.indexOf(range[1].strip()) : from;
            if (range.length > 2 || from < 0 || to < from) {
                throw new InvalidConfiguration("GO_LIVE_DAYS", "GoLiveDays",
                        "\"" + value + "\" is not a list of weekdays such as MON-THU or MON,TUE,WED,THU");
            }
            for (int d = from; d <= to; d++) {
                days.add(DayOfWeek.of(d + 1));
            }
        }
        return days;
    }

    /**
     * The cell size: the largest piece of an hour that every start (the opening time, the grid)
     * and every end (the slot length) falls on.
     */
    static long cellMinutes(LocalTime opens, Duration grid, Duration length) {
        long g = gcd(gcd(60, grid.toMinutes()), length.toMinutes());
        return opens.getMinute() == 0 ? g : gcd(g, opens.getMinute());
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    public Duration cell() {
        return Duration.ofMinutes(cellMinutes(opens, grid, length));
    }

    /**
     * Whether a go-live may start at this moment: on a go-live day, from opening to the latest
     * start, so the longest planned downtime ends in office hours. Public holidays are the
     * offer's concern ({@code HolidayRegion}).
     */
    public boolean allows(Instant start) {
        ZonedDateTime local = start.atZone(TimeFormats.BERLIN);
        LocalTime time = local.toLocalTime();
        return days.contains(local.getDayOfWeek()) && !time.isBefore(opens) && !time.isAfter(latestStart);
    }

    public boolean recommended(Instant start) {
        LocalTime time = start.atZone(TimeFormats.BERLIN).toLocalTime();
        return !time.isBefore(recommendedFrom) && time.isBefore(recommendedUntil);
    }

    /** The starts of a day on the grid (none on a day that is not a go-live day). */
    public List<Instant> starts(LocalDate day) {
        List<Instant> starts = new ArrayList<>();
        if (!days.contains(day.getDayOfWeek())) {
            return starts;
        }
        for (LocalTime t = opens; !t.isAfter(latestStart); t = t.plus(grid)) {
            starts.add(ZonedDateTime.of(day, t, TimeFormats.BERLIN).toInstant());
            if (t.plus(grid).isBefore(t)) {
                break;
            }
        }
        return starts;
    }

    public Instant end(Instant start) {
        return start.plus(length);
    }

    /** The cells a slot starting here occupies, in time order. */
    public List<Instant> cells(Instant start) {
        List<Instant> cells = new ArrayList<>();
        Duration cell = cell();
        for (Instant c = start; c.isBefore(end(start)); c = c.plus(cell)) {
            cells.add(c);
        }
        return cells;
    }

    /**
     * The go-live phase as planned: from the start for the slot's length, but not past closing
     * on that day (the provider watches the go-live in office hours).
     */
    public Instant plannedGoLiveEnd(Instant start) {
        ZonedDateTime local = start.atZone(TimeFormats.BERLIN);
        Instant closing = ZonedDateTime.of(local.toLocalDate(), closes, TimeFormats.BERLIN).toInstant();
        Instant end = end(start);
        return closing.isAfter(start) && closing.isBefore(end) ? closing : end;
    }

    /**
     * The office hours as texts say them ({goLiveDays}, {opens}, {closes}, {latestStart},
     * {recommendedFrom}, {recommendedUntil}, {slotLength}), so no text names hours the
     * deployment does not keep.
     */
    public Map<String, String> values(Language language) {
        boolean german = language == Language.DE;
        java.time.format.DateTimeFormatter time = java.time.format.DateTimeFormatter.ofPattern("H:mm");
        List<DayOfWeek> sorted = days.stream().sorted().toList();
        java.time.format.TextStyle style = java.time.format.TextStyle.FULL;
        java.util.function.Function<DayOfWeek, String> name = d -> d.getDisplayName(style, language.locale());
        String dayText;
        if (sorted.size() > 2 && sorted.get(sorted.size() - 1).getValue() - sorted.get(0).getValue() == sorted.size() - 1) {
            dayText = name.apply(sorted.get(0)) + (german ? " bis " : " to ") + name.apply(sorted.get(sorted.size() - 1));
        } else if (sorted.size() == 1) {
            dayText = name.apply(sorted.get(0));
        } else {
            List<String> names = sorted.stream().map(name).toList();
            dayText = String.join(", ", names.subList(0, names.size() - 1)) + (german ? " oder " : " or ") + names.get(names.size() - 1);
        }
        long minutes = length.toMinutes();
        String lengthText = minutes % 60 != 0 ? TimeFormats.duration(length, language)
                : minutes / 60 + (german ? (minutes == 60 ? " Stunde" : " Stunden") : (minutes == 60 ? " hour" : " hours"));
        return Map.of("goLiveDays", dayText, "opens", time.format(opens), "closes", time.format(closes),
                "latestStart", time.format(latestStart), "recommendedFrom", time.format(recommendedFrom),
                "recommendedUntil", time.format(recommendedUntil), "slotLength", lengthText);
    }

    /**
     * Whether a slot has room: every cell it covers holds fewer than {@code capacity}
     * migrations, or already holds this one (its current booking, or a retry).
     *
     * @param holders the migrations holding each cell (absent = none)
     */
    public boolean hasRoom(Instant start, Map<Instant, ? extends java.util.Collection<String>> holders, int capacity, String self) {
        for (Instant cell : cells(start)) {
            java.util.Collection<String> held = holders.get(cell);
            if (held != null && !held.contains(self) && held.size() >= capacity) {
                return false;
            }
        }
        return true;
    }
}
