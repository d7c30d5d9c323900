package de.shopmigration.core.mail;

import java.util.List;

/**
 * Instructions a reader follows in order, in an email or a document: a heading, a lead, and
 * numbered steps. A step may carry lines to be copied exactly as they are (an address,
 * hosts-file entries, a command): they are shown apart from the text, never wrapped or
 * translated, and only ever built from checked data (addresses, host names), not typed text.
 */
public record Guide(String heading, String lead, List<Step> steps) {

    public Guide {
        steps = List.copyOf(steps);
    }

    public record Step(String text, List<String> lines) {
        public Step {
            lines = List.copyOf(lines);
        }

        public Step(String text) {
            this(text, List.of());
        }

        /** The lines as one block, for a {@code pre} element. */
        public String block() {
            return String.join("\n", lines);
        }
    }
}
