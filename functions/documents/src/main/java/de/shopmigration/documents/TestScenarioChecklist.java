package de.shopmigration.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfPageEventHelper;
import com.lowagie.text.pdf.PdfWriter;
import com.lowagie.text.pdf.ColumnText;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.mail.Guide;
import de.shopmigration.core.mail.TestAccessGuide;
import de.shopmigration.core.mail.Texts;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test scenarios of phase 3 as a printable checklist, tailored to the questionnaire: the
 * shop system's administration, every interface and cron job the customer named, payment,
 * shipping and outgoing mail, and the IP allow-listing when an interface needs it. It opens with
 * the way to the test system ({@link TestAccessGuide}), as the test email does.
 */
public final class TestScenarioChecklist {

    private static final Color BRAND = new Color(0x0b, 0x3d, 0x5c);
    private static final Font TITLE = new Font(Font.HELVETICA, 18, Font.BOLD, BRAND);
    private static final Font SUBTITLE = new Font(Font.HELVETICA, 10, Font.NORMAL, new Color(0x4a, 0x58, 0x66));
    private static final Font HEADING = new Font(Font.HELVETICA, 12, Font.BOLD, BRAND);
    private static final Font BODY = new Font(Font.HELVETICA, 10, Font.NORMAL, Color.BLACK);
    private static final Font CODE = new Font(Font.COURIER, 9.5f, Font.NORMAL, Color.BLACK);
    private static final Font SMALL = new Font(Font.HELVETICA, 8, Font.NORMAL, new Color(0x4a, 0x58, 0x66));

    /** An empty square to tick, drawn at the top of the item's row. */
    private static final com.lowagie.text.pdf.PdfPCellEvent CHECKBOX = (cell, position, canvases) -> {
        com.lowagie.text.pdf.PdfContentByte canvas = canvases[PdfPTable.LINECANVAS];
        float size = 9;
        canvas.setColorStroke(BRAND);
        canvas.setLineWidth(0.8f);
        canvas.rectangle(position.getLeft() + 2, position.getTop() - size - 2, size, size);
        canvas.stroke();
    };

    /** One section of the checklist: a heading and its items. */
    record Section(String heading, List<String> items) {
    }

    private TestScenarioChecklist() {
    }

    /** The checklist as data, in the customer's language; the PDF is one rendering of it. */
    static List<Section> sections(MigrationRecord record, Texts t, Map<String, String> values) {
        JsonNode answers = record.answers();
        String system = answers == null ? "OTHER" : answers.path("shopSystem").asText("OTHER");
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put("system", t.find("option.shopSystem." + system, Map.of()).orElse(system));
        v.put("newIp", record.request().newIp());
        List<Section> sections = new ArrayList<>();
        for (String name : List.of("frontend", "checkout", "payment", "shipping")) {
            sections.add(new Section(t.get("scenarios.section." + name, v), t.numbered("scenarios." + name, v)));
        }
        List<String> interfaces = new ArrayList<>();
        interfaces.add(t.get("scenarios.interfaces.generic", v));
        for (String line : lines(answers, "interfaces")) {
            interfaces.add(t.get("scenarios.interfaces.item", Map.of("interface", line)));
        }
        if (answers != null && answers.path("interfacesAllowlist").asBoolean(false)) {
            interfaces.add(t.get("scenarios.interfaces.allowlist", v));
        }
        sections.add(new Section(t.get("scenarios.section.interfaces", v), interfaces));
        List<String> cron = new ArrayList<>();
        for (String line : lines(answers, "cronJobs")) {
            cron.add(t.get("scenarios.cron.item", Map.of("job", line)));
        }
        cron.add(t.get("scenarios.cron.generic", v));
        sections.add(new Section(t.get("scenarios.section.cron", v), cron));
        sections.add(new Section(t.get("scenarios.section.mail", v), t.numbered("scenarios.mail", v)));
        sections.add(new Section(t.get("scenarios.section.admin", v),
                List.of(t.find("scenarios.admin." + system, v).orElse(t.get("scenarios.admin.OTHER", v)), t.get("scenarios.admin.files", v))));
        sections.add(new Section(t.get("scenarios.section.performance", v), t.numbered("scenarios.performance", v)));
        return sections;
    }

    /** The non-empty lines of a free-text answer (each interface or cron job on its own line). */
    /**
     * The PDF's standard font draws Windows-1252 only; anything else it would leave out without
     * a trace. Such a character is shown as "?" instead, so the customer sees that something is
     * there (control characters never reach the record: {@code TypedText}).
     */
    static String drawable(String text) {
        java.nio.charset.CharsetEncoder cp1252 = java.nio.charset.Charset.forName("windows-1252").newEncoder();
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            String ch = new String(Character.toChars(cp));
            out.append(cp == '\n' || cp >= 0x20 && cp != 0x7f && cp1252.canEncode(ch) ? ch : "?");
        });
        return out.toString();
    }

    private static List<String> lines(JsonNode answers, String field) {
        List<String> out = new ArrayList<>();
        if (answers == null || !answers.hasNonNull(field)) {
            return out;
        }
        for (String line : answers.get(field).asText().split("\\R")) {
            String l = line.strip();
            if (!l.isEmpty()) {
                out.add(l.length() > 300 ? l.substring(0, 300) + "…" : l);
            }
        }
        return out;
    }

    public static byte[] pdf(MigrationRecord record, Texts t, Map<String, String> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4, 54, 54, 54, 60);
        try {
            PdfWriter writer = PdfWriter.getInstance(document, out);
            writer.setPageEvent(new Footer(t, values));
            document.addTitle(t.get("scenarios.title", values));
            document.addCreator(values.get("provider"));
            document.open();
            document.add(new Paragraph(drawable(t.get("scenarios.title", values)), TITLE));
            Paragraph subtitle = new Paragraph(drawable(t.get("scenarios.subtitle", values)), SUBTITLE);
            subtitle.setSpacingAfter(10);
            document.add(subtitle);
            Paragraph intro = new Paragraph(drawable(t.get("scenarios.intro", values)), BODY);
            intro.setSpacingAfter(8);
            document.add(intro);
            access(document, TestAccessGuide.of(record, t, values, TestAccessGuide.Occasion.TEST_RUN));
            for (Section section : sections(record, t, values)) {
                Paragraph heading = new Paragraph(drawable(section.heading()), HEADING);
                heading.setSpacingBefore(10);
                heading.setSpacingAfter(4);
                heading.setKeepTogether(true);
                document.add(heading);
                PdfPTable table = new PdfPTable(new float[] {0.6f, 14f});
                table.setWidthPercentage(100);
                table.setSpacingBefore(2);
                for (String item : section.items()) {
                    PdfPCell box = new PdfPCell(new Phrase(" ", BODY));
                    box.setBorder(PdfPCell.NO_BORDER);
                    box.setCellEvent(CHECKBOX);
                    table.addCell(box);
                    PdfPCell text = new PdfPCell(new Phrase(drawable(item), BODY));
                    text.setBorder(PdfPCell.NO_BORDER);
                    text.setPaddingLeft(6);
                    text.setPaddingTop(1);
                    text.setPaddingBottom(6);
                    table.addCell(text);
                }
                document.add(table);
            }
        } catch (DocumentException e) {
            throw new IllegalStateException("The test scenarios PDF could not be written", e);
        } finally {
            document.close();
        }
        return out.toByteArray();
    }

    /** The way to the test system first: numbered steps, the lines to copy set apart in a fixed-width font. */
    private static void access(Document document, Guide guide) throws DocumentException {
        Paragraph heading = new Paragraph(drawable(guide.heading()), HEADING);
        heading.setSpacingBefore(6);
        heading.setSpacingAfter(4);
        document.add(heading);
        if (guide.lead() != null) {
            Paragraph lead = new Paragraph(drawable(guide.lead()), BODY);
            lead.setSpacingAfter(4);
            document.add(lead);
        }
        PdfPTable table = new PdfPTable(new float[] {0.6f, 14f});
        table.setWidthPercentage(100);
        int n = 0;
        for (Guide.Step step : guide.steps()) {
            PdfPCell number = new PdfPCell(new Phrase(++n + ".", BODY));
            number.setBorder(PdfPCell.NO_BORDER);
            table.addCell(number);
            PdfPCell text = new PdfPCell();
            text.setBorder(PdfPCell.NO_BORDER);
            text.setPaddingBottom(6);
            text.addElement(new Paragraph(drawable(step.text()), BODY));
            for (String line : step.lines()) {
                Paragraph code = new Paragraph(drawable(line), CODE);
                code.setIndentationLeft(10);
                text.addElement(code);
            }
            table.addCell(text);
        }
        document.add(table);
    }

    /** Provider, migration and page number at the foot of every page. */
    private static final class Footer extends PdfPageEventHelper {
        private final Texts texts;
        private final Map<String, String> values;

        Footer(Texts texts, Map<String, String> values) {
            this.texts = texts;
            this.values = values;
        }

        @Override
        public void onEndPage(PdfWriter writer, Document document) {
            Map<String, String> v = new LinkedHashMap<>(values);
            v.put("page", Integer.toString(writer.getPageNumber()));
            ColumnText.showTextAligned(writer.getDirectContent(), Element.ALIGN_CENTER,
                    new Phrase(new Chunk(drawable(texts.get("scenarios.footer", v)), SMALL)),
                    (document.left() + document.right()) / 2, document.bottom() - 24, 0);
        }
    }
}
