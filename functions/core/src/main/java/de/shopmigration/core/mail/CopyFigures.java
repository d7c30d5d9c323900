package de.shopmigration.core.mail;

import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.TimeFormats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The figures of a finished copy as email facts, for the staff who have to judge them. */
public final class CopyFigures {

    private CopyFigures() {
    }

    public static List<EmailContent.Fact> facts(MigrationRecord.CopyResult copy, Texts texts) {
        List<EmailContent.Fact> facts = new ArrayList<>();
        if (copy == null) {
            return facts;
        }
        if (copy.files() != null) {
            facts.add(new EmailContent.Fact(texts.get("copy.fact.files"), String.format(locale(texts), "%,d", copy.files())));
        }
        if (copy.bytes() != null) {
            facts.add(new EmailContent.Fact(texts.get("copy.fact.bytes"), TimeFormats.bytes(copy.bytes(), texts.language())));
        }
        if (copy.tables() != null) {
            facts.add(new EmailContent.Fact(texts.get("copy.fact.tables"), Long.toString(copy.tables())));
        }
        if (copy.databaseBytes() != null) {
            facts.add(new EmailContent.Fact(texts.get("copy.fact.databaseBytes"), TimeFormats.bytes(copy.databaseBytes(), texts.language())));
        }
        if (copy.durationSeconds() != null) {
            facts.add(new EmailContent.Fact(texts.get("copy.fact.duration"),
                    TimeFormats.duration(Duration.ofSeconds(copy.durationSeconds()), texts.language())));
        }
        return facts;
    }

    private static java.util.Locale locale(Texts texts) {
        return texts.language() == de.shopmigration.core.Language.DE ? java.util.Locale.GERMANY : java.util.Locale.UK;
    }
}
