package de.shopmigration.core.mail;

import java.util.List;

/**
 * What an email says, independent of its HTML and plain-text forms: both are rendered from
 * this, so they never drift apart. A {@link Guide} (may be null) comes after the facts, before
 * the actions.
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
        String footer,
        Guide guide) {

    /** A message without step-by-step instructions. */
    public EmailContent(String subject, String heading, List<String> paragraphs, List<Fact> facts, String important,
                        List<Action> actions, List<String> notes, String signature, String footer) {
        this(subject, heading, paragraphs, facts, important, actions, notes, signature, footer, null);
    }

    /**
     * A label and its value. {@code quotedFrom} is set for text someone else typed (a customer's
     * description, the copy tooling's reason): the plain-text part shows it after the actions,
     * every line quoted, so nothing typed can pass for one of our action lines.
     */
    public record Fact(String label, String value, String quotedFrom) {
        public Fact(String label, String value) {
            this(label, value, null);
        }

        /** Text typed by someone else; {@code from} says who, e.g. "Erika Mustermann schrieb". */
        public static Fact quoted(String label, String value, String from) {
            return new Fact(label, value, from);
        }

        public boolean quoted() {
            return quotedFrom != null;
        }

        /** The value's lines: the HTML part breaks them itself rather than trust a client's CSS. */
        public List<String> lines() {
            return List.of(value.split("\r?\n", -1));
        }
    }

    /** A link button. Primary actions are the decision asked for; secondary ones are options. */
    public record Action(String label, String url, boolean primary) {
    }
}
