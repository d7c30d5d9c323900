package de.shopmigration.links;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/** Renders the precompiled, auto-escaping page templates. */
final class Pages {

    private static final TemplateEngine ENGINE =
            TemplateEngine.createPrecompiled(null, ContentType.Html, null, "de.shopmigration.links.templates");

    private Pages() {
    }

    static String form(Views.FormView view) {
        return render("form.jte", view);
    }

    static String message(Views.MessageView view) {
        return render("message.jte", view);
    }

    static String status(Views.StatusView view) {
        return render("status.jte", view);
    }

    private static String render(String template, Object view) {
        StringOutput out = new StringOutput();
        ENGINE.render(template, Map.of("view", view), out);
        return out.toString();
    }
}
