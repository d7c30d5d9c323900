package de.shopmigration.core.mail;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
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
        if (!content.facts().isEmpty()) {
            content.facts().forEach(f -> out.append(f.label()).append(": ").append(f.value()).append('\n'));
            out.append('\n');
        }
        content.actions().forEach(a -> out.append(a.label()).append(":\n").append(a.url()).append("\n\n"));
        content.notes().forEach(n -> out.append(wrap(n)).append("\n\n"));
        out.append(content.signature()).append("\n\n-- \n").append(wrap(content.footer())).append('\n');
        return out.toString();
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
