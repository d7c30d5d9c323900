package de.shopmigration.core.mail;

import de.shopmigration.core.Audience;
import de.shopmigration.core.MigrationRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Composes an email from the texts of one message key: {@code key.subject},
 * {@code key.heading} (optional), {@code key.p.1..n}, {@code key.important} (optional) and
 * {@code key.note.1..n}, with the greeting, signature and footer every message shares.
 * A message's paragraphs come before its important box; what follows from the box (a
 * consequence, a condition) is a note, after it.
 */
public final class Messages {

    private Messages() {
    }

    /** The placeholders every message of a migration may use. */
    public static Map<String, String> values(MigrationRequest request, String providerName) {
        Map<String, String> v = new HashMap<>();
        v.put("migrationId", request.migrationId());
        v.put("customerName", request.customer().name());
        v.put("shop", request.shopName() != null ? request.shopName() : request.domains().get(0).name());
        v.put("domains", String.join(", ", request.domains().stream().map(MigrationRequest.Domain::name).toList()));
        v.put("provider", providerName);
        v.put("staffName", request.staff() != null && request.staff().name() != null ? request.staff().name() : providerName);
        return v;
    }

    public static EmailContent compose(Texts texts, String key, Audience audience, Map<String, String> values,
                                       List<EmailContent.Fact> facts, List<EmailContent.Action> actions) {
        return compose(texts, key, audience, values, facts, actions, null);
    }

    /** @param guide step-by-step instructions after the facts; null for none */
    public static EmailContent compose(Texts texts, String key, Audience audience, Map<String, String> values,
                                       List<EmailContent.Fact> facts, List<EmailContent.Action> actions, Guide guide) {
        // A message both readers get (the close-out summary, the abort notice) has a staff
        // version of its own under staff.<key>: taken whole, never mixed with the customer's.
        if (audience == Audience.STAFF && texts.has("staff." + key + ".subject")) {
            key = "staff." + key;
        }
        String subject = "[" + values.get("migrationId") + "] " + texts.get(key + ".subject", values);
        String heading = texts.find(key + ".heading", values).orElse(texts.get(key + ".subject", values));
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(texts.get(audience == Audience.CUSTOMER ? "greeting.customer" : "greeting.staff", values));
        paragraphs.addAll(texts.numbered(key + ".p", values));
        String important = texts.find(key + ".important", values).orElse(null);
        List<String> notes = new ArrayList<>(texts.numbered(key + ".note", values));
        if (!actions.isEmpty()) {
            notes.add(texts.get("note.links", values));
        }
        return new EmailContent(subject, heading, paragraphs, facts, important, actions, notes,
                texts.get(audience == Audience.CUSTOMER ? "signature.customer" : "signature.staff", values),
                texts.get("footer", values), guide);
    }
}
