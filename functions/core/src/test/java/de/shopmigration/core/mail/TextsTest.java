package de.shopmigration.core.mail;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.Language;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.Step;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TextsTest {

    static Properties load(String lang) throws Exception {
        Properties p = new Properties();
        p.load(new InputStreamReader(TextsTest.class.getResourceAsStream("/texts/" + lang + ".properties"), StandardCharsets.UTF_8));
        return p;
    }

    @Test
    void germanAndEnglishHaveTheSameTexts() throws Exception {
        assertThat(new TreeSet<>(load("en").stringPropertyNames())).isEqualTo(new TreeSet<>(load("de").stringPropertyNames()));
    }

    @Test
    void everyStepAndEveryLinkPurposeHasItsTexts() {
        for (Language language : Language.values()) {
            Texts t = Texts.of(language);
            for (Step step : Step.values()) {
                assertThat(t.has("step." + step.name())).as(language + " step." + step).isTrue();
                assertThat(t.has("ask." + step.name() + ".subject")).as(language + " ask." + step).isTrue();
                for (Purpose p : step.answers()) {
                    assertThat(t.has("ask." + step.name() + ".action." + p.name()) || t.has("action." + p.name()))
                            .as(language + " button for " + p + " in " + step).isTrue();
                }
            }
            for (Purpose p : Purpose.values()) {
                assertThat(t.has("page.title." + p.name())).as(language + " page.title." + p).isTrue();
                if (p.form() != Purpose.Form.NONE) {
                    assertThat(t.has("page.submit." + p.name())).as(language + " page.submit." + p).isTrue();
                    assertThat(t.has("page.done." + p.name())).as(language + " page.done." + p).isTrue();
                }
            }
        }
    }

    @Test
    void placeholdersAreFilledByNameAndAMissingValueIsAnError() {
        Texts t = Texts.of(Language.DE);
        assertThat(t.get("greeting.customer", java.util.Map.of("customerName", "Erika"))).isEqualTo("Guten Tag Erika,");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.get("greeting.customer"))
                .hasMessageContaining("{customerName}");
    }
}
