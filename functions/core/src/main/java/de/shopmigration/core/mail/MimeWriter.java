package de.shopmigration.core.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes an RFC 5322 / MIME message: a text and an HTML alternative, optional attachments, and
 * headers in 7 bits as SES requires: German umlauts in names and subjects RFC 2047 encoded, in
 * attachment file names RFC 2231 encoded; addresses arrive in their ASCII form
 * ({@link EmailAddress}). Hand-written on purpose: the whole job is a few
 * dozen lines, while a mail library adds hundreds of classes to every function's cold start.
 * The tests parse every message with Jakarta Mail to keep this honest.
 */
public final class MimeWriter {

    private static final Base64.Encoder BODY = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII));
    private static final Base64.Encoder WORD = Base64.getEncoder();
    private static final int MAX_WORD_BYTES = 45;

    private MimeWriter() {
    }

    public record Address(String name, String email) {
    }

    public static byte[] write(Address from, Address to, String replyTo, String subject, String text, String html,
                               List<Attachment> attachments, Map<String, String> extraHeaders, ZonedDateTime date) {
        StringBuilder out = new StringBuilder();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("From", address(from));
        headers.put("To", address(to));
        if (replyTo != null) {
            headers.put("Reply-To", clean(replyTo));
        }
        headers.put("Subject", encode(subject));
        headers.put("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(date));
        headers.put("Message-ID", "<" + UUID.randomUUID() + "@" + domainOf(from.email()) + ">");
        headers.put("MIME-Version", "1.0");
        extraHeaders.forEach((k, v) -> headers.put(k, encode(v)));
        headers.forEach((k, v) -> out.append(k).append(": ").append(v).append("\r\n"));

        String alternative = boundary();
        StringBuilder alt = new StringBuilder();
        alt.append("--").append(alternative).append("\r\n");
        part(alt, "text/plain; charset=UTF-8", null, text.getBytes(StandardCharsets.UTF_8));
        alt.append("--").append(alternative).append("\r\n");
        part(alt, "text/html; charset=UTF-8", null, html.getBytes(StandardCharsets.UTF_8));
        alt.append("--").append(alternative).append("--\r\n");

        if (attachments.isEmpty()) {
            out.append("Content-Type: multipart/alternative; boundary=\"").append(alternative).append("\"\r\n\r\n");
            out.append(alt);
        } else {
            String mixed = boundary();
            out.append("Content-Type: multipart/mixed; boundary=\"").append(mixed).append("\"\r\n\r\n");
            out.append("--").append(mixed).append("\r\n");
            out.append("Content-Type: multipart/alternative; boundary=\"").append(alternative).append("\"\r\n\r\n");
            out.append(alt);
            for (Attachment a : attachments) {
                out.append("--").append(mixed).append("\r\n");
                part(out, a.contentType() + "; " + parameter("name", a.filename()), a.filename(), a.content());
            }
            out.append("--").append(mixed).append("--\r\n");
        }
        for (int i = 0; i < out.length(); i++) {
            if (out.charAt(i) >= 0x80) {
                // US-ASCII would turn it into '?' without a word: a header that skipped its encoding.
                throw new IllegalStateException("Unencoded non-ASCII text in the email's headers near: "
                        + out.substring(Math.max(0, i - 40), Math.min(out.length(), i + 10)));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(out.length());
        bytes.writeBytes(out.toString().getBytes(StandardCharsets.US_ASCII));
        return bytes.toByteArray();
    }

    private static void part(StringBuilder out, String contentType, String attachmentName, byte[] content) {
        out.append("Content-Type: ").append(contentType).append("\r\n");
        if (attachmentName != null) {
            out.append("Content-Disposition: attachment; ").append(parameter("filename", attachmentName)).append("\r\n");
        }
        out.append("Content-Transfer-Encoding: base64\r\n\r\n");
        out.append(BODY.encodeToString(content)).append("\r\n");
    }

    static String address(Address a) {
        String email = clean(a.email());
        if (a.name() == null || a.name().isBlank()) {
            return email;
        }
        String name = clean(a.name());
        if (isAscii(name)) {
            return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\" <" + email + ">";
        }
        return encode(name) + " <" + email + ">";
    }

    /**
     * A header parameter (a file name): quoted when it is ASCII, else RFC 2231's
     * {@code name*=UTF-8''Pr%C3%BCfung.pdf}, which mail readers decode (Jakarta Mail by default).
     */
    static String parameter(String name, String value) {
        String v = clean(value);
        if (isAscii(v)) {
            return name + "=\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        StringBuilder out = new StringBuilder(name).append("*=UTF-8''");
        for (byte b : v.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    /** RFC 2047 B-encoding in words of whole characters, folded; plain ASCII stays as is. */
    static String encode(String value) {
        String v = clean(value);
        if (isAscii(v) && v.length() < 900) {
            return v;
        }
        StringBuilder out = new StringBuilder();
        StringBuilder chunk = new StringBuilder();
        int chunkBytes = 0;
        for (int i = 0; i < v.length(); ) {
            int cp = v.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            int len = ch.getBytes(StandardCharsets.UTF_8).length;
            if (chunkBytes + len > MAX_WORD_BYTES) {
                appendWord(out, chunk);
                chunk.setLength(0);
                chunkBytes = 0;
            }
            chunk.append(ch);
            chunkBytes += len;
            i += Character.charCount(cp);
        }
        appendWord(out, chunk);
        return out.toString();
    }

    private static void appendWord(StringBuilder out, StringBuilder chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        if (!out.isEmpty()) {
            out.append("\r\n ");
        }
        out.append("=?UTF-8?B?").append(WORD.encodeToString(chunk.toString().getBytes(StandardCharsets.UTF_8))).append("?=");
    }

    /** No header may carry a line break: that is how header injection works. */
    private static String clean(String value) {
        return value.replace('\r', ' ').replace('\n', ' ');
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    private static String boundary() {
        return "=_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static String domainOf(String email) {
        int at = email.lastIndexOf('@');
        return at < 0 ? "localhost" : email.substring(at + 1);
    }
}
