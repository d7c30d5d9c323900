package de.shopmigration.links;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.links.WrittenFigures.Problem;
import de.shopmigration.links.WrittenFigures.Read;
import de.shopmigration.links.WrittenFigures.Refused;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Figures as staff write them on the copy form, including every ambiguous case and how it is decided. */
class WrittenFiguresTest {

    @ParameterizedTest(name = "size \"{0}\" = {1} bytes")
    @CsvSource(delimiter = '|', value = {
            "12 GB            | 12000000000",
            "12GB             | 12000000000",
            "12 gb            | 12000000000",
            "1,5 GB           | 1500000000",
            "1.5 GB           | 1500000000",
            "1,25 TB          | 1250000000000",
            "800 MB           | 800000000",
            "3,5 kB           | 3500",
            "0,500 GB         | 500000000",
            "1.234,5 MB       | 1234500000",
            "1,234.5 MB       | 1234500000",
            "1.000.000 KB     | 1000000000",
            "1 GiB            | 1073741824",
            "1,5 MiB          | 1572864",
            "2 TiB            | 2199023255552",
            "1,0000001 KB     | 1000",
            "0,0005 KB        | 1",
            "12884901888      | 12884901888",
            "12.884.901.888   | 12884901888",
            "12 884 901 888   | 12884901888",
            "12'884'901'888   | 12884901888",
            "48.213           | 48213",
            "48,213           | 48213",
            "512 B            | 512",
            "512 Bytes        | 512",
            "0                | 0",
            "9223372036854775807 | 9223372036854775807"})
    void sizesAsPeopleWriteThemAreStoredInBytes(String written, long bytes) {
        assertThat(WrittenFigures.size(written)).isEqualTo(new Read(bytes));
    }

    @ParameterizedTest(name = "size \"{0}\" refused: {1}")
    @CsvSource(delimiter = '|', value = {
            // A lone mark before three digits, with a unit: 1500 GB in German, 1.5 GB in English.
            "1.500 GB         | AMBIGUOUS",
            "1,500 GB         | AMBIGUOUS",
            "12,345 MB        | AMBIGUOUS",
            // Without a unit it is bytes, and bytes are whole.
            "1,5              | UNIT_NEEDED_FOR_FRACTION",
            "12.5             | UNIT_NEEDED_FOR_FRACTION",
            "1234.567         | UNIT_NEEDED_FOR_FRACTION",
            // du -h prints G for 1024³, du --si for 1000³: a bare letter is not taken.
            "12 G             | UNKNOWN_UNIT",
            "12 Gigs          | UNKNOWN_UNIT",
            "1.2.3            | GROUPING",
            "1.234 567        | GROUPING",
            "1.234.56         | GROUPING",
            "12 34            | GROUPING",
            "1234.567.890     | GROUPING",
            "viel             | NOT_A_NUMBER",
            "-5 GB            | NOT_A_NUMBER",
            "1e9              | NOT_A_NUMBER",
            "GB               | NOT_A_NUMBER",
            "''               | NOT_A_NUMBER",
            "12 GB 3          | NOT_A_NUMBER",
            "９ GB            | NOT_A_NUMBER",
            "9223372036854775808 | TOO_LARGE",
            "99999999 TB      | TOO_LARGE"})
    void ambiguousOrUnreadableSizesAreRefusedWithTheReason(String written, Problem problem) {
        assertThat(WrittenFigures.size(written)).isEqualTo(new Refused(problem));
    }

    @ParameterizedTest(name = "count \"{0}\" = {1}")
    @CsvSource(delimiter = '|', value = {
            "48213            | 48213",
            "48.213           | 48213",
            "48,213           | 48213",
            "48 213           | 48213",
            "1.234.567        | 1234567",
            "1,234,567        | 1234567",
            "312              | 312",
            "007              | 7",
            "0                | 0"})
    void countsTakeThousandsSeparators(String written, long count) {
        assertThat(WrittenFigures.count(written)).isEqualTo(new Read(count));
    }

    @ParameterizedTest(name = "count \"{0}\" refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "1,5              | FRACTION",
            "48.21            | FRACTION",
            "0.500            | FRACTION",
            "1.234,5          | FRACTION",
            "1234.567         | FRACTION",
            "48.2134          | FRACTION",
            "1.23.456         | GROUPING",
            "48213 Dateien    | NOT_A_NUMBER",
            "12 GB            | NOT_A_NUMBER",
            "zwölf            | NOT_A_NUMBER",
            "99999999999999999999 | TOO_LARGE"})
    void countsAreWhole(String written, Problem problem) {
        assertThat(WrittenFigures.count(written)).isEqualTo(new Refused(problem));
    }

    @ParameterizedTest(name = "\"{0}\" with {1}")
    @CsvSource(delimiter = '|', value = {
            "'12\u00a0GB'     | 12000000000",
            "'48\u202f213'    | 48213",
            "'  1,5 GB  '     | 1500000000"})
    void noBreakAndThinSpacesAreSpaces(String written, long value) {
        assertThat(WrittenFigures.size(written)).isEqualTo(new Read(value));
    }
}
