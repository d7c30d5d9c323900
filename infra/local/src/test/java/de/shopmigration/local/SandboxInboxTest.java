package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.component.VEvent;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The sandbox's inbox as a newcomer uses it: each email under the number the list shows, with
 * the time it was sent and its attachments to download (the PDF opens, the invite parses), a
 * clear 404 page for a number that does not exist, and a migration that ended shows where.
 */
class SandboxInboxTest extends CloudTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theInboxListsEveryEmailUnderItsNumberWithDateAndAttachmentsAndAnsweredUnknownAddressesWith404() throws Exception {
        MetricSummary metrics = new MetricSummary();
        cloud.api().mount("/inbox", new Inbox(cloud, () -> {
            throw new IllegalStateException("not started in this test");
        }, () -> "{}", "aws stepfunctions start-execution ...", metrics)::handle);
        String id = "M-INBOX-1";
        cloud.startMigration(id, input("inbox", FAST, "\"optimisationOrdered\": false"));
        throughTheTestRun(id);
        bookFreeSlot(walk.await(id, "SLOT_BOOKING").link("Termin wählen"));
        Mailbox.Mail confirmed = walk.await(id, "GO_LIVE_CONFIRMED");
        Mailbox.Mail tests = walk.await(id, "TEST_RESULTS");

        synchronized (shared.log) {
            shared.log.forEach(metrics);
        }
        Document inbox = Jsoup.parse(get("/inbox").body());
        // Where the dashboard's figures come from: the metric lines of the run, by metric and dimensions.
        List<String> metricRows = inbox.select("h2:contains(Metrics) + p + table tr:has(td)").stream()
                .map(r -> r.child(0).text() + " " + r.child(1).text()).toList();
        assertThat(metricRows).contains("MigrationsStarted ", "WaitsOpened Step=QUESTIONNAIRE", "WaitsAnswered Step=TEST_RESULTS");
        assertThat(inbox.select("h2:contains(Metrics) + p").text()).doesNotContain("not valid");
        List<Element> rows = inbox.select("h2:contains(Emails) + table tr:has(td)");
        assertThat(rows).isNotEmpty();
        for (Element row : rows) {
            String number = row.child(0).text();
            assertThat(row.child(5).selectFirst("a").attr("href")).as("the # column is the email's address").isEqualTo("/inbox/mail/" + number);
            assertThat(row.child(1).text()).as("sent").matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        }
        Element testsRow = row(rows, tests);
        HttpResponse<String> shown = get("/inbox/mail/" + testsRow.child(0).text());
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).isEqualTo(tests.html());

        HttpResponse<byte[]> pdf = download(testsRow.child(5).select("a[download]").get(0).attr("href"));
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(pdf.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment", tests.attachments().get(0).filename());
        try (PDDocument doc = Loader.loadPDF(pdf.body())) {
            assertThat(new PDFTextStripper().getText(doc)).contains("Muster-Shop");
        }
        HttpResponse<byte[]> ics = download(row(rows, confirmed).child(5).select("a[download]").get(0).attr("href"));
        assertThat(ics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/calendar");
        VEvent event = new CalendarBuilder().build(new ByteArrayInputStream(ics.body())).<VEvent>getComponent("VEVENT").orElseThrow();
        assertThat(event.getDateTimeStart()).isNotNull();

        int sent = cloud.mailbox().all().size();
        for (String unknown : List.of("/inbox/mail/" + (sent + 1000), "/inbox/mail/abc", "/inbox/mail/0", "/inbox/mail/-1",
                "/inbox/mail/99999999999", "/inbox/mail/" + testsRow.child(0).text() + "/attachments/2", "/inbox/nothing")) {
            HttpResponse<String> page = get(unknown);
            assertThat(page.statusCode()).as(unknown).isEqualTo(404);
            assertThat(Jsoup.parse(page.body()).select("main h1").text()).as(unknown).isEqualTo("Not found");
        }

        try (var sfn = cloud.sfn()) {
            sfn.stopExecution(b -> b.executionArn(cloud.executionArn(id)).cause("stopped by the inbox test"));
        }
        assertThat(cloud.awaitEnd(cloud.executionArn(id), WAIT).status()).isNotEqualTo(ExecutionStatus.RUNNING);
        Element migration = Jsoup.parse(get("/inbox").body()).select("h2:contains(Migrations) + table tr:has(td)").stream()
                .filter(r -> r.child(0).text().equals(id)).findFirst().orElseThrow();
        assertThat(migration.child(2).text()).as("an ended migration's state").startsWith("ended in: ").hasSizeGreaterThan("ended in: ".length());
    }

    private static Element row(List<Element> rows, Mailbox.Mail mail) {
        return rows.stream().filter(r -> r.child(0).text().equals(Integer.toString(mail.index() + 1))).findFirst().orElseThrow();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(cloud.apiBaseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> download(String path) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(cloud.apiBaseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response;
    }
}
