package de.shopmigration.core.mail;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.Language;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The customer's questionnaire answers as staff read them: each under its form label, choices
 * by their names, yes/no for ticks, decimals as written in the reader's language. What the
 * customer typed stays theirs: text with lines is quoted (after the email's actions), one-line
 * text is a fact.
 */
public final class AnswerFacts {

    private AnswerFacts() {
    }

    public static List<EmailContent.Fact> of(JsonNode answers, Texts texts, String quotedFrom) {
        List<EmailContent.Fact> facts = new ArrayList<>();
        if (answers == null) {
            return facts;
        }
        answers.properties().forEach(e -> {
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (name.equals("dnsProviders")) {
                value.properties().forEach(d -> typed(facts, texts.get("field.dns.label", Map.of("domain", d.getKey())),
                        d.getValue().asText(), quotedFrom));
            } else if (value.isBoolean()) {
                facts.add(new EmailContent.Fact(label(texts, name), texts.get(value.asBoolean() ? "answer.yes" : "answer.no")));
            } else if (value.isNumber()) {
                String number = value.decimalValue().stripTrailingZeros().toPlainString();
                facts.add(new EmailContent.Fact(label(texts, name), texts.language() == Language.DE ? number.replace('.', ',') : number));
            } else if (value.isTextual() && !value.asText().isBlank()) {
                String option = "option." + name + "." + value.asText();
                if (texts.has(option)) {
                    facts.add(new EmailContent.Fact(label(texts, name), texts.get(option)));
                } else {
                    typed(facts, label(texts, name), value.asText(), quotedFrom);
                }
            }
        });
        return facts;
    }

    private static String label(Texts texts, String name) {
        return texts.find("field." + name + ".label", Map.of()).orElse(name);
    }

    private static void typed(List<EmailContent.Fact> facts, String label, String value, String quotedFrom) {
        if (value.isBlank()) {
            return;
        }
        facts.add(value.contains("\n") ? EmailContent.Fact.quoted(label, value, quotedFrom) : new EmailContent.Fact(label, value));
    }
}
