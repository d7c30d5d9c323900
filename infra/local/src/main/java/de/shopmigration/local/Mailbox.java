package de.shopmigration.local;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.json.Json;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emails the functions sent, read back from the emulator (moto keeps every SES message; the
 * launcher's /moto-api/ses/raw-messages lists them from an index on) and parsed as real MIME
 * with Jakarta Mail, the way a mail client would.
 */
public final class Mailbox {

    private static final Pattern LINK = Pattern.compile("https?://[^\\s\"<>]+/m/[^\\s\"<>]+");
    private final MotoServer moto;
    /** Sent emails never change and moto lists them in order: each is parsed once. */
    private final List<Mail> parsed = new ArrayList<>();

    Mailbox(MotoServer moto) {
        this.moto = moto;
    }

    public record Attachment(String filename, String contentType, byte[] content) {
    }

    /** One sent email: envelope, the headers the workflow sets, both bodies, attachments. */
    public record Mail(int index, String id, List<String> to, String from, String replyTo, String subject,
                       String migrationId, String kind, String language, String text, String html,
                       List<Attachment> attachments, byte[] raw, java.time.Instant sent) {
        /** The plain-text part with line wrapping undone, for checks on sentences. */
        public String plain() {
            return text.replaceAll("\\s+", " ");
        }

        /** Every link to a page, in the order the text part lists them. */
        public List<String> links() {
            List<String> links = new ArrayList<>();
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                links.add(m.group());
            }
            return links;
        }

        /** The link on the line after a button's label in the plain-text part. */
        public String link(String label) {
            String[] lines = text.split("\r?\n");
            for (int i = 0; i + 1 < lines.length; i++) {
                if (lines[i].strip().equals(label + ":") && LINK.matcher(lines[i + 1].strip()).matches()) {
                    return lines[i + 1].strip();
                }
            }
            throw new IllegalStateException("No link labelled \"" + label + "\" in " + kind + " email: " + text);
        }
    }

    private long lastRead = System.nanoTime() - 1_000_000_000L;

    public List<Mail> all() {
        synchronized (parsed) {
            // Many waiters poll at once (tests in parallel, the scale benchmark's hundreds of
            // customers): one read of the emulator serves all of them for a moment.
            if (System.nanoTime() - lastRead < 100_000_000L) {
                return List.copyOf(parsed);
            }
            lastRead = System.nanoTime();
            JsonNode raw;
            try {
                raw = Json.read(moto.get("/moto-api/ses/raw-messages?since=" + parsed.size())).path("RawMessage");
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read the emails from the emulator", e);
            }
            for (JsonNode m : raw) {
                parsed.add(parse(parsed.size(), m));
            }
            return List.copyOf(parsed);
        }
    }

    public List<Mail> forMigration(String migrationId) {
        return all().stream().filter(m -> migrationId.equals(m.migrationId())).toList();
    }

    /** Waits until an email matching the predicate has been sent. */
    public Mail await(Predicate<Mail> match, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Mail m : all()) {
                if (match.test(m)) {
                    return m;
                }
            }
            if (System.nanoTime() > deadline) {
                List<Mail> sent = all();
                throw new AssertionError("No email " + what + " within " + timeout.toSeconds() + " s; the last ones sent: "
                        + sent.subList(Math.max(0, sent.size() - 25), sent.size()).stream()
                                .map(m -> m.migrationId() + " " + m.kind() + "->" + m.to()).toList());
            }
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    public Mail await(String migrationId, String kind, Duration timeout) {
        try {
            return await(m -> migrationId.equals(m.migrationId()) && kind.equals(m.kind()), timeout,
                    "of kind " + kind + " for " + migrationId);
        } catch (AssertionError e) {
            // The other migrations' emails would only bury what this one got (CI shows the start of a message).
            throw new AssertionError("No email of kind " + kind + " for " + migrationId + " within " + timeout.toSeconds()
                    + " s; it got: " + forMigration(migrationId).stream().map(m -> m.kind() + "->" + m.to()).toList(), e);
        }
    }

    static Mail parse(int index, JsonNode node) {
        byte[] raw = node.path("raw_data").asText().getBytes(StandardCharsets.UTF_8);
        try {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
            StringBuilder text = new StringBuilder();
            StringBuilder html = new StringBuilder();
            List<Attachment> attachments = new ArrayList<>();
            walk(message, text, html, attachments);
            List<String> to = new ArrayList<>();
            jakarta.mail.Address[] recipients = message.getRecipients(jakarta.mail.Message.RecipientType.TO);
            for (jakarta.mail.Address a : recipients == null ? new jakarta.mail.Address[0] : recipients) {
                to.add(((jakarta.mail.internet.InternetAddress) a).getAddress());
            }
            return new Mail(index, node.path("id").asText(), to, header(message, "From"), header(message, "Reply-To"),
                    message.getSubject(), header(message, "X-Migration-Id"), header(message, "X-Migration-Kind"),
                    header(message, "Content-Language"), text.toString(), html.toString(), attachments, raw,
                    message.getSentDate() == null ? null : message.getSentDate().toInstant());
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("Email " + index + " is not valid MIME: " + e.getMessage(), e);
        }
    }

    private static String header(MimeMessage message, String name) throws MessagingException {
        String value = message.getHeader(name, ",");
        return value == null ? null : jakarta.mail.internet.MimeUtility.unfold(decode(value));
    }

    private static String decode(String value) {
        try {
            return jakarta.mail.internet.MimeUtility.decodeText(value);
        } catch (java.io.UnsupportedEncodingException e) {
            return value;
        }
    }

    private static void walk(Part part, StringBuilder text, StringBuilder html, List<Attachment> attachments)
            throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                walk(child, text, html, attachments);
            }
        } else if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            attachments.add(new Attachment(part.getFileName(), part.getContentType(), part.getInputStream().readAllBytes()));
        } else if (part.isMimeType("text/plain")) {
            text.append(part.getContent());
        } else if (part.isMimeType("text/html")) {
            html.append(part.getContent());
        }
    }
}
