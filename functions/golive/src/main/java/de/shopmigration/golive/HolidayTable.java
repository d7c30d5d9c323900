package de.shopmigration.golive;

import de.focus_shift.jollyday.core.CalendarHierarchy;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A country's public holidays as jollyday computes them, written at build time for a range of
 * years and every subdivision, so the first slot offer does not pay for jollyday's XML holiday
 * data (JAXB: some 550 classes and 200 ms on a cold start). Days outside the years written, or
 * a subdivision the table does not know, are left to jollyday.
 *
 * <p>Format (UTF-8 text): {@code years 2025 2045}, {@code regions - bw by ...} ("-" is the
 * country without a subdivision, nested subdivisions are joined by "-"), then one line per day
 * that is a holiday somewhere: the date and the regions where it is one.
 */
final class HolidayTable {

    static final String NATIONWIDE = "-";

    private final int firstYear;
    private final int lastYear;
    private final Set<String> regions;
    private final Map<LocalDate, Set<String>> days;

    private HolidayTable(int firstYear, int lastYear, Set<String> regions, Map<LocalDate, Set<String>> days) {
        this.firstYear = firstYear;
        this.lastYear = lastYear;
        this.regions = regions;
        this.days = days;
    }

    /** The table the build wrote for a country, if it wrote one. */
    static Optional<HolidayTable> of(String country) {
        try (InputStream in = HolidayTable.class.getResourceAsStream("/holidays/" + country + ".txt")) {
            return in == null ? Optional.empty() : Optional.of(read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HolidayTable read(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String[] years = reader.readLine().split(" ");
        Set<String> regions = Set.of(reader.readLine().substring("regions ".length()).split(" "));
        Map<LocalDate, Set<String>> days = new HashMap<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            int space = line.indexOf(' ');
            days.put(LocalDate.parse(line.substring(0, space)), Set.of(line.substring(space + 1).split(" ")));
        }
        return new HolidayTable(Integer.parseInt(years[1]), Integer.parseInt(years[2]), regions, days);
    }

    /** @return whether the day is a holiday in the region, or empty when the table does not cover it */
    Optional<Boolean> isHoliday(LocalDate day, String region) {
        if (day.getYear() < firstYear || day.getYear() > lastYear || !regions.contains(region)) {
            return Optional.empty();
        }
        return Optional.of(days.getOrDefault(day, Set.of()).contains(region));
    }

    static String region(String... subdivisions) {
        return subdivisions.length == 0 ? NATIONWIDE : String.join("-", subdivisions);
    }

    /** Build step: {@code HolidayTable <directory> <country> <first year> <last year>}. */
    public static void main(String[] args) throws IOException {
        String country = args[1];
        int first = Integer.parseInt(args[2]);
        int last = Integer.parseInt(args[3]);
        HolidayManager manager = HolidayManager.getInstance(ManagerParameters.create(country));
        List<List<String>> regions = new ArrayList<>();
        regions.add(List.of());
        collect(manager.getCalendarHierarchy(), new ArrayList<>(), regions);
        StringBuilder out = new StringBuilder("years " + first + " " + last + "\nregions");
        regions.forEach(r -> out.append(' ').append(region(r.toArray(String[]::new))));
        out.append('\n');
        for (LocalDate day = LocalDate.of(first, 1, 1); day.getYear() <= last; day = day.plusDays(1)) {
            StringBuilder where = new StringBuilder();
            for (List<String> r : regions) {
                String[] path = r.toArray(String[]::new);
                if (manager.isHoliday(day, path)) {
                    where.append(' ').append(region(path));
                }
            }
            if (!where.isEmpty()) {
                out.append(day).append(where).append('\n');
            }
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(country + ".txt"), out, StandardCharsets.UTF_8);
    }

    private static void collect(CalendarHierarchy node, List<String> path, List<List<String>> regions) {
        for (Map.Entry<String, CalendarHierarchy> child : node.getChildren().entrySet()) {
            List<String> next = new ArrayList<>(path);
            next.add(child.getKey().toLowerCase(java.util.Locale.ROOT));
            regions.add(next);
            collect(child.getValue(), next, regions);
        }
    }
}
