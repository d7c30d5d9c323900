package de.shopmigration.core;

import de.shopmigration.core.lambda.Collaborators;

import de.shopmigration.core.mail.EmailContent;
import de.shopmigration.core.mail.Notifier;
import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens the links of a wait: once per wait, whatever the number of retries and reminders, so
 * the first email's links keep working until someone answers.
 */
public final class WaitLinks {

    private final Collaborators services;

    public WaitLinks(Collaborators services) {
        this.services = services;
    }

    /** @return the URL of each link answering the wait, in the step's order. */
    public Map<Purpose, String> links(MigrationRecord record, Wait wait, Instant now) {
        Map<Purpose, String> ids = wait.linkIds().isEmpty() && !wait.step().answers().isEmpty()
                ? services.store().waits().settleLinkIds(record.migrationId(), wait.key(), proposedLinks(wait.step())) : wait.linkIds();
        Instant expires = now.plusSeconds(record.request().timing().linkValiditySeconds());
        Map<Purpose, String> urls = new LinkedHashMap<>();
        for (Purpose p : wait.step().answers()) {
            String id = ids.get(p);
            services.links().ensure(new Link(record.migrationId(), id, p, wait.key(), now, expires, null, null));
            urls.put(p, services.links().url(record.migrationId(), id));
        }
        return urls;
    }

    /** Fresh link ids for a wait's answers, one per purpose. */
    public Map<Purpose, String> proposedLinks(Step step) {
        Map<Purpose, String> proposed = new EnumMap<>(Purpose.class);
        step.answers().forEach(p -> proposed.put(p, services.links().newId()));
        return proposed;
    }

    /** The text key of the request for a step; a repeated test run has its own wording. */
    public static String askKey(Step step, String variant) {
        return variant == null || variant.isBlank() || variant.equals("FIRST") ? "ask." + step.name()
                : "ask." + step.name() + "." + variant;
    }

    /** The buttons of a wait's links: the first is the expected answer. */
    public static List<EmailContent.Action> actions(Texts texts, String textKey, Map<Purpose, String> urls) {
        List<EmailContent.Action> actions = new ArrayList<>();
        urls.forEach((purpose, url) -> actions.add(new EmailContent.Action(
                Notifier.actionLabel(texts, textKey, purpose), url, actions.isEmpty())));
        return actions;
    }
}
