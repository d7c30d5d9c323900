package de.shopmigration.documents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The PDF's font draws Windows-1252; what it cannot draw is shown as "?", not left out. */
class DrawableTextTest {

    @Test
    void charactersTheFontCannotDrawBecomeVisibleReplacements() {
        assertThat(TestScenarioChecklist.drawable("Grüße, Jürgen – 5 €")).isEqualTo("Grüße, Jürgen – 5 €");
        assertThat(TestScenarioChecklist.drawable("Schnittstelle 日本\u202E\u0000")).isEqualTo("Schnittstelle ????");
        assertThat(TestScenarioChecklist.drawable("Zeile 1\nZeile 2")).isEqualTo("Zeile 1\nZeile 2");
        assertThat(TestScenarioChecklist.drawable("Emoji \uD83D\uDE80")).isEqualTo("Emoji ?");
    }
}
