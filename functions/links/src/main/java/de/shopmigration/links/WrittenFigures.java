package de.shopmigration.links;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes and counts as people write them on the copy form: "12 GB", "1,5 GB", "48.213",
 * "3 758 096 384". What is stored is always a whole number (bytes, files, tables, seconds).
 *
 * <p>The rules, chosen so that no reading is a guess:
 * <ul>
 * <li>Spaces and apostrophes only ever group thousands. A point or comma that appears more
 * than once groups thousands ("1.234.567"); with both, the last one is the decimal mark
 * ("1.234,5" and "1,234.5"). Groups after the first have exactly three digits.</li>
 * <li>A count, and a size without a unit (bytes), is whole: a single point or comma before
 * exactly three digits groups thousands ("48.213" is 48213), anything else is a fraction
 * and refused.</li>
 * <li>A size with a unit may have decimals ("1,5 GB", "1.25 TB"); a single point or comma
 * before exactly three digits ("1.500 GB") could be 1500 GB (German) or 1.5 GB (English) and
 * is refused with a request to write it unambiguously, unless the part before it is 0.</li>
 * <li>kB/KB, MB, GB, TB are steps of 1000, as the emails show sizes; KiB, MiB, GiB, TiB steps
 * of 1024. A bare "G" (du -h prints 1024ths, du --si 1000ths) is refused.</li>
 * </ul>
 */
final class WrittenFigures {

    /** The largest figure stored: what the copy tooling's callback may send too; DynamoDB takes 38 digits. */
    static final long MAX = Long.MAX_VALUE;

    private static final Pattern WRITTEN = Pattern.compile("([0-9]+(?:[.,' ][0-9]+)*)\\s*([A-Za-z]+)?");
    private static final Map<String, BigDecimal> UNITS = Map.ofEntries(
            Map.entry("b", BigDecimal.ONE), Map.entry("byte", BigDecimal.ONE), Map.entry("bytes", BigDecimal.ONE),
            Map.entry("kb", BigDecimal.TEN.pow(3)), Map.entry("mb", BigDecimal.TEN.pow(6)),
            Map.entry("gb", BigDecimal.TEN.pow(9)), Map.entry("tb", BigDecimal.TEN.pow(12)),
            Map.entry("kib", BigDecimal.valueOf(1024)), Map.entry("mib", BigDecimal.valueOf(1024).pow(2)),
            Map.entry("gib", BigDecimal.valueOf(1024).pow(3)), Map.entry("tib", BigDecimal.valueOf(1024).pow(4)));

    /** Why a figure was refused; each has its message on the form ({@code validation.figure.*}). */
    enum Problem { NOT_A_NUMBER, FRACTION, UNIT_NEEDED_FOR_FRACTION, AMBIGUOUS, GROUPING, UNKNOWN_UNIT, TOO_LARGE }

    /** What was read: the whole number, or why there is none. */
    sealed interface Reading permits Read, Refused {
    }

    record Read(long value) implements Reading {
    }

    record Refused(Problem problem) implements Reading {
    }

    private WrittenFigures() {
    }

    /** A size in bytes: a number with a unit, or a whole number of bytes. */
    static Reading size(String written) {
        Matcher m = WRITTEN.matcher(spaces(written));
        if (!m.matches()) {
            return new Refused(Problem.NOT_A_NUMBER);
        }
        boolean unit = m.group(2) != null;
        BigDecimal factor = unit ? UNITS.get(m.group(2).toLowerCase(Locale.ROOT)) : BigDecimal.ONE;
        if (factor == null) {
            return new Refused(Problem.UNKNOWN_UNIT);
        }
        try {
            // A size given with a unit is rounded to whole bytes; a size in bytes has no fraction to round.
            return whole(number(m.group(1), !unit).multiply(factor).setScale(0, RoundingMode.HALF_UP));
        } catch (Unreadable e) {
            return new Refused(e.problem == Problem.FRACTION ? Problem.UNIT_NEEDED_FOR_FRACTION : e.problem);
        }
    }

    /** A count (files, tables, seconds): whole, thousands may be grouped. */
    static Reading count(String written) {
        Matcher m = WRITTEN.matcher(spaces(written));
        if (!m.matches() || m.group(2) != null) {
            return new Refused(Problem.NOT_A_NUMBER);
        }
        try {
            return whole(number(m.group(1), true));
        } catch (Unreadable e) {
            return new Refused(e.problem);
        }
    }

    private static Reading whole(BigDecimal value) {
        return value.compareTo(BigDecimal.valueOf(MAX)) > 0 ? new Refused(Problem.TOO_LARGE) : new Read(value.longValueExact());
    }

    /** No-break and thin spaces group thousands like a space; a typed "12 GB" may carry any of them. */
    private static String spaces(String written) {
        return written == null ? "" : written.strip().replace('\u00a0', ' ').replace('\u202f', ' ').replace('\u2009', ' ')
                .replace('\u2019', '\'');
    }

    /** Digits that cannot be read as one number, and why. */
    private static final class Unreadable extends Exception {
        final Problem problem;

        Unreadable(Problem problem) {
            super(problem.name(), null, false, false);
            this.problem = problem;
        }
    }

    /**
     * The digits and marks of a number (as {@link #WRITTEN} matched them) as a BigDecimal.
     *
     * @param whole whether the figure has no fraction (a count, or bytes without a unit)
     */
    private static BigDecimal number(String text, boolean whole) throws Unreadable {
        String marks = text.replaceAll("[0-9]", "");
        if (marks.isEmpty()) {
            return new BigDecimal(text);
        }
        char last = marks.charAt(marks.length() - 1);
        int decimalAt = -1;
        if ((last == '.' || last == ',') && marks.indexOf(last) == marks.length() - 1) {
            int at = text.lastIndexOf(last);
            String before = text.substring(0, at);
            // Only a lone mark before exactly three digits, after one to three digits other than 0, can group thousands.
            boolean couldGroup = marks.length() == 1 && text.length() - at - 1 == 3 && before.length() <= 3 && !before.equals("0");
            if (!couldGroup) {
                decimalAt = at;
            } else if (!whole) {
                throw new Unreadable(Problem.AMBIGUOUS);
            }
        }
        if (decimalAt >= 0 && whole) {
            throw new Unreadable(Problem.FRACTION);
        }
        String integer = decimalAt < 0 ? text : text.substring(0, decimalAt);
        String[] groups = integer.split("[.,' ]", -1);
        if (groups.length > 1) {
            char grouping = integer.charAt(groups[0].length());
            if (groups[0].length() > 3 || integer.chars().anyMatch(c -> (c < '0' || c > '9') && c != grouping)) {
                throw new Unreadable(Problem.GROUPING);
            }
            for (int i = 1; i < groups.length; i++) {
                if (groups[i].length() != 3) {
                    throw new Unreadable(Problem.GROUPING);
                }
            }
        }
        String digits = String.join("", groups);
        return new BigDecimal(decimalAt < 0 ? digits : digits + "." + text.substring(decimalAt + 1));
    }
}
