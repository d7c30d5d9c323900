package de.shopmigration.local;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * The sandbox's inbox: every email the workflow sent, newest first, each opening as the
 * recipient would see it (its links lead to the local link pages) with its attachments to
 * download, plus the executions with the state each is in, and a button to start another
 * migration (also the input for the AWS CLI example, {@code /inbox/sample-input.json}). Emails are numbered from 1 in the order they were sent; the number is the one in
 * the email's address ({@code /inbox/mail/<n>}). Below them, the functions' metric lines of the
 * run, summed up ({@link MetricSummary}). A local tool, never deployed.
 */
final class Inbox {

    private static final Pattern MAIL = Pattern.compile("/inbox/mail/([1-9][0-9]{0,8})");
    private static final Pattern ATTACHMENT = Pattern.compile("/inbox/mail/([1-9][0-9]{0,8})/attachments/([1-9][0-9]{0,3})");
    private static final DateTimeFormatter SENT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final LocalCloud cloud;
    private final Supplier<String> startAnother;
    private final Supplier<String> sampleInput;
    private final String cliExample;
    private final MetricSummary metrics;

    /** @param metrics the functions' metric lines of this run, shown below the emails */
    Inbox(LocalCloud cloud, Supplier<String> startAnother, Supplier<String> sampleInput, String cliExample, MetricSummary metrics) {
        this.cloud = cloud;
        this.startAnother = startAnother;
        this.sampleInput = sampleInput;
        this.cliExample = cliExample;
        this.metrics = metrics;
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Matcher mail = MAIL.matcher(path);
            Matcher attachment = ATTACHMENT.matcher(path);
            if (path.equals("/inbox/start") && exchange.getRequestMethod().equals("POST")) {
                try {
                    String id = startAnother.get();
                    exchange.getResponseHeaders().set("Location", "/inbox?started=" + URLEncoder.encode(id, StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(303, -1);
                } catch (IllegalStateException allShopsBusy) {
                    page(exchange, 409, "Not started", allShopsBusy.getMessage());
                }
            } else if (path.equals("/inbox/sample-input.json")) {
                // The CLI example's input: each request a sample shop no running migration holds.
                try {
                    LocalApi.send(exchange, 200, Map.of("Content-Type", "application/json"), sampleInput.get());
                } catch (IllegalStateException allShopsBusy) {
                    LocalApi.send(exchange, 409, Map.of("Content-Type", "text/plain; charset=utf-8"), allShopsBusy.getMessage());
                }
            } else if (mail.matches()) {
                Optional<Mailbox.Mail> found = mail(mail.group(1));
                if (found.isPresent()) {
                    LocalApi.send(exchange, 200, Map.of("Content-Type", "text/html; charset=utf-8"), found.get().html());
                } else {
                    notFound(exchange, "There is no email number " + mail.group(1) + " (yet).");
                }
            } else if (attachment.matches()) {
                Optional<Mailbox.Attachment> found = mail(attachment.group(1)).flatMap(m -> attachment(m, attachment.group(2)));
                if (found.isPresent()) {
                    download(exchange, found.get());
                } else {
                    notFound(exchange, "Email number " + attachment.group(1) + " has no attachment number " + attachment.group(2) + ".");
                }
            } else if (path.equals("/inbox") || path.equals("/inbox/")) {
                LocalApi.send(exchange, 200, Map.of("Content-Type", "text/html; charset=utf-8"), page());
            } else {
                notFound(exchange, "The inbox has no page at this address.");
            }
        }
    }

    private Optional<Mailbox.Mail> mail(String number) {
        List<Mailbox.Mail> all = cloud.mailbox().all();
        int n = Integer.parseInt(number);
        return n <= all.size() ? Optional.of(all.get(n - 1)) : Optional.empty();
    }

    private static Optional<Mailbox.Attachment> attachment(Mailbox.Mail mail, String number) {
        int n = Integer.parseInt(number);
        return n <= mail.attachments().size() ? Optional.of(mail.attachments().get(n - 1)) : Optional.empty();
    }

    /** The attachment as the email carries it: its type, and its file name for the download. */
    private static void download(HttpExchange exchange, Mailbox.Attachment a) throws IOException {
        String type = a.contentType().replaceAll("(?i);\\s*name=.*", "").strip();
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Content-Disposition",
                "attachment; filename*=UTF-8''" + URLEncoder.encode(a.filename(), StandardCharsets.UTF_8).replace("+", "%20"));
        exchange.sendResponseHeaders(200, a.content().length == 0 ? -1 : a.content().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(a.content());
        }
    }

    private static void notFound(HttpExchange exchange, String what) throws IOException {
        page(exchange, 404, "Not found", what);
    }

    private static void page(HttpExchange exchange, int status, String heading, String text) throws IOException {
        LocalApi.send(exchange, status, Map.of("Content-Type", "text/html; charset=utf-8"), """
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s · Sandbox inbox</title></head>
                <body style="font-family:system-ui,Arial,sans-serif;margin:24px"><main><h1>%s</h1><p>%s</p>
                <p><a href="/inbox" target="_top">Back to the inbox</a></p></main></body></html>
                """.formatted(esc(heading), esc(heading), esc(text)));
    }

    private String page() {
        List<Mailbox.Mail> mails = new ArrayList<>(cloud.mailbox().all());
        Collections.reverse(mails);
        StringBuilder rows = new StringBuilder();
        for (Mailbox.Mail m : mails) {
            int number = m.index() + 1;
            rows.append("<tr><td>").append(number).append("</td><td>").append(m.sent() == null ? "" : SENT.format(m.sent()))
                    .append("</td><td>").append(esc(m.migrationId()))
                    .append("</td><td>").append(esc(String.join(", ", m.to()))).append("</td><td><code>").append(esc(m.kind()))
                    .append("</code></td><td><a href=\"/inbox/mail/").append(number).append("\" target=\"mail\">")
                    .append(esc(m.subject())).append("</a>");
            for (int k = 0; k < m.attachments().size(); k++) {
                rows.append("<br>📎 <a href=\"/inbox/mail/").append(number).append("/attachments/").append(k + 1).append("\" download>")
                        .append(esc(m.attachments().get(k).filename())).append("</a>");
            }
            rows.append("</td></tr>\n");
        }
        StringBuilder executions = new StringBuilder();
        try (SfnClient sfn = cloud.sfn()) {
            for (ExecutionListItem e : sfn.listExecutions(b -> b.stateMachineArn(cloud.stateMachineArn())).executions()) {
                executions.append("<tr><td>").append(esc(e.name())).append("</td><td>").append(esc(e.statusAsString()))
                        .append("</td><td>").append(esc(state(sfn, e))).append("</td></tr>\n");
            }
        }
        return """
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="4">
                <title>Sandbox inbox</title><style>
                body{font-family:system-ui,Arial,sans-serif;margin:0;display:flex;height:100vh}
                #list{width:52%%;overflow:auto;padding:12px 16px;box-sizing:border-box}
                iframe{width:48%%;border:0;border-left:1px solid #ccc;height:100vh}
                table{border-collapse:collapse;width:100%%;font-size:14px}td,th{border-bottom:1px solid #e3e3e3;padding:5px;text-align:left;vertical-align:top}
                h1{font-size:20px}h2{font-size:16px;margin-top:22px}code,pre{font-size:12px}pre{white-space:pre-wrap;background:#f4f4f4;padding:8px}
                button{font:inherit;padding:6px 14px}
                </style></head><body><main id="list">
                <h1>Sandbox inbox</h1>
                <p>Every email the workflow sent (customer and staff). Click a subject to read it on the right, then follow its
                buttons: they open the local link pages. Attachments download from below the subject. The page refreshes
                itself every few seconds.</p>
                <form method="post" action="/inbox/start"><button>Start another sample migration</button></form>
                <details><summary>Start one with the AWS CLI</summary><pre>%s</pre></details>
                <h2>Migrations</h2><table><tr><th>Migration</th><th>Status</th><th>Current state</th></tr>%s</table>
                <h2>Emails (newest first)</h2><table><tr><th>#</th><th>Sent</th><th>Migration</th><th>To</th><th>Kind</th><th>Subject</th></tr>%s</table>
                <h2>Metrics: where the dashboard's figures come from</h2>%s
                </main><iframe name="mail" title="Email"></iframe></body></html>
                """.formatted(esc(cliExample), executions, rows, metrics.html());
    }

    /**
     * The states entered and not yet left (a Parallel has one per branch); once the execution has
     * ended, the state it ended in. moto ignores reverseOrder, so the history is read forwards.
     */
    private static String state(SfnClient sfn, ExecutionListItem execution) {
        LinkedHashSet<String> open = new LinkedHashSet<>();
        String last = "";
        for (HistoryEvent e : sfn.getExecutionHistory(b -> b.executionArn(execution.executionArn()).maxResults(1000)).events()) {
            if (e.stateEnteredEventDetails() != null && e.type() != HistoryEventType.PARALLEL_STATE_ENTERED) {
                open.add(e.stateEnteredEventDetails().name());
                last = e.stateEnteredEventDetails().name();
            } else if (e.stateExitedEventDetails() != null) {
                open.remove(e.stateExitedEventDetails().name());
            }
        }
        if (execution.status() == ExecutionStatus.RUNNING || last.isEmpty()) {
            return String.join(" | ", open);
        }
        return "ended in: " + last;
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
