package de.shopmigration.local;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * The sandbox's inbox: every email the workflow sent, newest first, each opening as the
 * recipient would see it (its links lead to the local link pages), plus the executions with the
 * state each is in, and a button to start another migration. A local tool, never deployed.
 */
final class Inbox {

    private final LocalCloud cloud;
    private final Supplier<String> startAnother;

    Inbox(LocalCloud cloud, Supplier<String> startAnother) {
        this.cloud = cloud;
        this.startAnother = startAnother;
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/inbox/start") && exchange.getRequestMethod().equals("POST")) {
                String id = startAnother.get();
                exchange.getResponseHeaders().set("Location", "/inbox?started=" + id);
                exchange.sendResponseHeaders(303, -1);
            } else if (path.startsWith("/inbox/mail/")) {
                int index = Integer.parseInt(path.substring("/inbox/mail/".length()));
                Mailbox.Mail mail = cloud.mailbox().all().get(index);
                LocalApi.send(exchange, 200, Map.of("Content-Type", "text/html; charset=utf-8"), mail.html());
            } else if (path.equals("/inbox") || path.equals("/inbox/")) {
                LocalApi.send(exchange, 200, Map.of("Content-Type", "text/html; charset=utf-8"), page());
            } else {
                LocalApi.send(exchange, 404, Map.of("Content-Type", "text/plain"), "not found");
            }
        }
    }

    private String page() {
        List<Mailbox.Mail> mails = new ArrayList<>(cloud.mailbox().all());
        java.util.Collections.reverse(mails);
        StringBuilder rows = new StringBuilder();
        for (Mailbox.Mail m : mails) {
            rows.append("<tr><td>").append(m.index() + 1).append("</td><td>").append(esc(m.migrationId()))
                    .append("</td><td>").append(esc(String.join(", ", m.to()))).append("</td><td><code>").append(esc(m.kind()))
                    .append("</code></td><td><a href=\"/inbox/mail/").append(m.index()).append("\" target=\"mail\">")
                    .append(esc(m.subject())).append("</a></td></tr>\n");
        }
        StringBuilder executions = new StringBuilder();
        try (SfnClient sfn = cloud.sfn()) {
            for (ExecutionListItem e : sfn.listExecutions(b -> b.stateMachineArn(cloud.stateMachineArn())).executions()) {
                executions.append("<tr><td>").append(esc(e.name())).append("</td><td>").append(esc(e.statusAsString()))
                        .append("</td><td>").append(esc(currentState(sfn, e.executionArn()))).append("</td></tr>\n");
            }
        }
        return """
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="4">
                <title>Sandbox inbox</title><style>
                body{font-family:system-ui,Arial,sans-serif;margin:0;display:flex;height:100vh}
                #list{width:52%%;overflow:auto;padding:12px 16px;box-sizing:border-box}
                iframe{width:48%%;border:0;border-left:1px solid #ccc;height:100vh}
                table{border-collapse:collapse;width:100%%;font-size:14px}td,th{border-bottom:1px solid #e3e3e3;padding:5px;text-align:left;vertical-align:top}
                h1{font-size:20px}h2{font-size:16px;margin-top:22px}code{font-size:12px}
                button{font:inherit;padding:6px 14px}
                </style></head><body><div id="list">
                <h1>Sandbox inbox</h1>
                <p>Every email the workflow sent (customer and staff). Click a subject to read it on the right, then follow its
                buttons: they open the local link pages. The page refreshes itself every few seconds.</p>
                <form method="post" action="/inbox/start"><button>Start another sample migration</button></form>
                <h2>Migrations</h2><table><tr><th>Migration</th><th>Status</th><th>Current state</th></tr>%s</table>
                <h2>Emails (newest first)</h2><table><tr><th>#</th><th>Migration</th><th>To</th><th>Kind</th><th>Subject</th></tr>%s</table>
                </div><iframe name="mail" title="Email"></iframe></body></html>
                """.formatted(executions, rows);
    }

    /** The states entered and not yet left (a Parallel has one per branch); moto ignores reverseOrder. */
    private static String currentState(SfnClient sfn, String executionArn) {
        java.util.LinkedHashSet<String> open = new java.util.LinkedHashSet<>();
        for (HistoryEvent e : sfn.getExecutionHistory(b -> b.executionArn(executionArn).maxResults(1000)).events()) {
            if (e.stateEnteredEventDetails() != null && e.type() != HistoryEventType.PARALLEL_STATE_ENTERED) {
                open.add(e.stateEnteredEventDetails().name());
            } else if (e.stateExitedEventDetails() != null) {
                open.remove(e.stateExitedEventDetails().name());
            }
        }
        return String.join(" | ", open);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
