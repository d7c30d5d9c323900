package de.shopmigration.links;

import java.util.List;

/** What the page templates render; built by {@link Pages}, escaped by the templates. */
public final class Views {

    private Views() {
    }

    /** The frame every page shares. {@code statusUrl} may be null (staff pages, error pages). */
    public record Frame(String lang, String provider, String lead, String title, String footer,
                        String statusUrl, String statusLabel, String requiredLabel) {
    }

    public record FormView(Frame frame, List<String> intro, String important, String notice, String errorSummary,
                           List<Field> fields, String submitLabel, boolean danger) {
    }

    /** kind: success, error or info (styles the box). */
    public record MessageView(Frame frame, String kind, List<String> text) {
    }

    public record PhaseRow(int number, String name, String planned, String actual, String state, String stateClass) {
    }

    public record Fact(String label, String value) {
    }

    /**
     * @param warning     what the customer must know first (our emails do not reach them), or null
     * @param checksTitle the heading of the automatic site checks; {@code checks} one line per kind and the watch, empty before the first run
     */
    public record StatusView(Frame frame, List<String> phaseHeadings, List<PhaseRow> phases, String nowHeading,
                             String now, List<Fact> facts, String warning, String checksTitle, List<Fact> checks) {
    }
}
