package de.shopmigration.core.mail;

import java.util.List;

/**
 * What an email says, independent of its HTML and plain-text forms: both are rendered from
 * this, so they never drift apart.
 */
public record EmailContent(
        String subject,
        String heading,
        List<String> paragraphs,
        List<Fact> facts,
        String important,
        List<Action> actions,
        List<String> notes,
        String signature,
        String footer) {

    public record Fact(String label, String value) {
    }

    /** A link button. Primary actions are the decision asked for; secondary ones are options. */
    public record Action(String label, String url, boolean primary) {
    }
}
