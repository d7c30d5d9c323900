package de.shopmigration.links;

import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.PublicAddress;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.Step;
import de.shopmigration.core.mail.Texts;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The staff form behind "copy done": the copy's figures as people write them
 * ({@link WrittenFigures}), and how the customer reaches the test system, since the customer
 * tests next (after the initial copy) or checks before the DNS switch (after the final copy).
 *
 * <p>The access is required: a preview URL, the new cluster's public address (for hosts-file
 * entries), or both. The address is filled in with the request's new server, so confirming a
 * copy costs nothing extra when the test system runs there. The final copy's form shows the
 * access stored with the initial copy, so staff can correct it for the go-live check. A
 * password never goes into an email: only the user name is asked for; the customer is told
 * the password comes separately.
 */
final class CopyForm {

    static final String URL = "testUrl";
    static final String IP = "testIp";
    static final String USER = "testUser";
    static final int MAX_URL = MigrationRecord.TestAccess.MAX_URL;
    static final int MAX_USER = MigrationRecord.TestAccess.MAX_USER;
    /** A user name for HTTP basic authentication; a colon would start the password. */
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9._@+-]{1," + MAX_USER + "}");
    /** A host name with a top-level domain of letters: reachable from the customer's computer by DNS. */
    private static final Pattern HOST = Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

    private CopyForm() {
    }

    static List<Field> fields(MigrationRecord record, Texts t) {
        MigrationRecord.TestAccess access = record.effectiveTestAccess();
        return List.of(count("files", t), size("bytes", t), count("tables", t), size("databaseBytes", t), count("durationSeconds", t),
                Field.of(URL, t.get("field.testUrl.label"), Field.Kind.TEXT, false, MAX_URL).hint(t.get("field.testUrl.hint"))
                        .rule(Field.Rule.WEB_ADDRESS).value(access.url()),
                Field.of(IP, t.get("field.testIp.label"), Field.Kind.TEXT, false, MigrationRecord.TestAccess.MAX_IP).hint(t.get("field.testIp.hint"))
                        .rule(Field.Rule.PUBLIC_IP).value(access.ip()),
                Field.of(USER, t.get("field.testUser.label"), Field.Kind.TEXT, false, MAX_USER).hint(t.get("field.testUser.hint"))
                        .rule(Field.Rule.LOGIN_NAME).value(access.user()));
    }

    private static Field count(String name, Texts t) {
        return Field.of(name, t.get("field." + name + ".label"), Field.Kind.NUMBER, false, 40).hint(t.get("field.count.hint"))
                .rule(Field.Rule.COUNT);
    }

    private static Field size(String name, Texts t) {
        return Field.of(name, t.get("field." + name + ".label"), Field.Kind.TEXT, false, 40).hint(t.get("field.size.hint"))
                .rule(Field.Rule.SIZE);
    }

    /** The message for a figure that cannot be read, or null. */
    static String figureError(Field.Rule rule, String value, Texts t) {
        return switch (rule == Field.Rule.SIZE ? WrittenFigures.size(value) : WrittenFigures.count(value)) {
            case WrittenFigures.Read read -> null;
            case WrittenFigures.Refused refused -> t.get("validation.figure." + refused.problem().name()
                    + (refused.problem() == WrittenFigures.Problem.NOT_A_NUMBER ? "." + rule.name() : ""));
        };
    }

    /** An http(s) address with a public host and no credentials in it, or its message. */
    static String urlError(String value, Texts t, boolean documentationAddresses) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return t.get("validation.testUrl");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            return t.get("validation.testUrl");
        }
        if (uri.getRawUserInfo() != null) {
            return t.get("validation.testUrl.credentials");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        boolean literal = host.startsWith("[") || PublicAddress.isLiteral(host);
        boolean reachable = literal ? PublicAddress.isPublic(host.replace("[", "").replace("]", ""), documentationAddresses)
                : HOST.matcher(host).matches();
        return reachable ? null : t.get("validation.testUrl.host");
    }

    static String ipError(String value, Texts t, boolean documentationAddresses) {
        return PublicAddress.isLiteral(value) && PublicAddress.isPublic(value, documentationAddresses) ? null : t.get("validation.testIp");
    }

    static String loginError(String value, Texts t) {
        return LOGIN.matcher(value).matches() ? null : t.get("validation.testUser");
    }

    /** The customer needs one way in: with neither a URL nor an address, the URL field says so. */
    static List<Field> requireAccess(List<Field> fields, Texts t) {
        Map<String, Field> byName = new java.util.HashMap<>();
        fields.forEach(f -> byName.put(f.name(), f));
        Field url = byName.get(URL);
        Field ip = byName.get(IP);
        if (url == null || ip == null || !url.value().isEmpty() || !ip.value().isEmpty() || ip.error() != null) {
            return fields;
        }
        List<Field> out = new ArrayList<>();
        fields.forEach(f -> out.add(f == url ? f.error(t.get("validation.testAccess")) : f));
        return out;
    }

    static MigrationRecord.CopyResult result(Step step, Purpose purpose, Map<String, String> v, Instant now) {
        return new MigrationRecord.CopyResult(step == Step.INITIAL_COPY ? "initial" : "final", purpose.decision(),
                figure(v.get("files"), false), figure(v.get("bytes"), true), figure(v.get("tables"), false),
                figure(v.get("databaseBytes"), true), figure(v.get("durationSeconds"), false), MigrationRecord.summary(v.get("reason")), now);
    }

    /** The access the form carried; empty for an answer without it (the copy tooling's callback, a failure). */
    static Optional<MigrationRecord.TestAccess> access(Map<String, String> v, Instant now) {
        if (!v.containsKey(URL) && !v.containsKey(IP)) {
            return Optional.empty();
        }
        return Optional.of(new MigrationRecord.TestAccess(present(v.get(URL)), present(v.get(IP)), present(v.get(USER)), now));
    }

    private static String present(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** A checked figure (the form's or the callback's whole number) as stored. */
    private static Long figure(String v, boolean size) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        return switch (size ? WrittenFigures.size(v) : WrittenFigures.count(v)) {
            case WrittenFigures.Read read -> read.value();
            case WrittenFigures.Refused refused -> throw new IllegalArgumentException("An unchecked figure reached the record: " + refused.problem());
        };
    }
}
