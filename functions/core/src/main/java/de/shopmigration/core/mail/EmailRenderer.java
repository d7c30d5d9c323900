package de.shopmigration.core.mail;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import de.shopmigration.core.TypedText;
import java.util.List;
import java.util.Map;

/** Renders one {@link EmailContent} as HTML (auto-escaped template) and as plain text. */
public final class EmailRenderer {

    private static final TemplateEngine ENGINE =
            TemplateEngine.createPrecompiled(null, ContentType.Html, null, "de.shopmigration.core.templates");

    private EmailRenderer() {
    }

    public static String html(EmailContent content, String lang, String provider) {
        StringOutput out = new StringOutput();
        ENGINE.render("mail.jte", Map.of("content", content, "lang", lang, "provider", provider), out);
        return out.toString();
    }

    public static String text(EmailContent content) {
        StringBuilder out = new StringBuilder();
        out.append(content.heading()).append("\n\n");
        content.paragraphs().forEach(p -> out.append(wrap(p)).append("\n\n"));
        if (content.important() != null) {
            out.append(wrap("!! " + content.important())).append("\n\n");
        }
        List<EmailContent.Fact> facts = content.facts().stream().filter(f -> !f.quoted()).toList();
        if (!facts.isEmpty()) {
            facts.forEach(f -> out.append(oneLine(f.label())).append(": ").append(oneLine(f.value())).append('\n'));
            out.append('\n');
        }
        if (content.guide() != null) {
            guide(content.guide(), out);
        }
        content.actions().forEach(a -> out.append(a.label()).append(":\n").append(a.url()).append("\n\n"));
        // What others typed comes after our actions, every line quoted: it cannot pose as one.
        for (EmailContent.Fact f : content.facts()) {
            if (f.quoted()) {
                out.append(oneLine(f.quotedFrom())).append(" (").append(oneLine(f.label())).append("):\n");
                String typed = TypedText.clean(f.value() == null ? "" : f.value(), true);
                for (String line : typed.split("\n", -1)) {
                    out.append("> ").append(line).append('\n');
                }
                out.append('\n');
            }
        }
        content.notes().forEach(n -> out.append(wrap(n)).append("\n\n"));
        out.append(content.signature()).append("\n\n-- \n").append(wrap(content.footer())).append('\n');
        return out.toString();
    }

    /** Numbered steps; the lines to copy are indented, each on its own line and never wrapped. */
    private static void guide(Guide guide, StringBuilder out) {
        out.append(guide.heading()).append('\n').append("-".repeat(guide.heading().length())).append("\n\n");
        if (guide.lead() != null) {
            out.append(wrap(guide.lead())).append("\n\n");
        }
        int n = 0;
        for (Guide.Step step : guide.steps()) {
            String number = ++n + ". ";
            out.append(number).append(wrap(step.text()).replace("\n", "\n" + " ".repeat(number.length()))).append("\n\n");
            if (!step.lines().isEmpty()) {
                step.lines().forEach(line -> out.append("      ").append(oneLine(line)).append('\n'));
                out.append('\n');
            }
        }
    }

    private static String oneLine(String text) {
        return text == null ? "" : TypedText.clean(text, false);
    }

    /** Wraps at 72 columns for mail readers that do not; URLs are never broken. */
    static String wrap(String paragraph) {
        StringBuilder out = new StringBuilder();
        int column = 0;
        for (String word : paragraph.split(" ")) {
            if (column > 0 && column + 1 + word.length() > 72) {
                out.append('\n');
                column = 0;
            } else if (column > 0) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
        }
        return out.toString();
    }
}
