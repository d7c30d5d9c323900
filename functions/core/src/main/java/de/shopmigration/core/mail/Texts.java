package de.shopmigration.core.mail;

import de.shopmigration.core.Audience;
import de.shopmigration.core.Language;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every sentence a person reads, per language, from {@code /texts/de.properties} and
 * {@code /texts/en.properties}. Placeholders are named ({@code {customerName}}), so translators
 * can reorder them; a missing placeholder value is an error, not an empty gap.
 *
 * <p>Customers are addressed formally ("Sie"), the provider's own staff as colleagues ("du"):
 * a text both read (a field message, an error page, the note under the links) has its staff
 * wording under {@code staff.<key>}, which the staff view of the texts reads first.
 */
public final class Texts {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z0-9]+)}");
    private static final Map<Language, Texts> LOADED = new EnumMap<>(Language.class);
    private static final Map<Language, Texts> LOADED_STAFF = new EnumMap<>(Language.class);

    private final Language language;
    private final Properties properties;
    private final boolean staff;

    private Texts(Language language, Properties properties, boolean staff) {
        this.language = language;
        this.properties = properties;
        this.staff = staff;
    }

    /** The customer's wording. */
    public static synchronized Texts of(Language language) {
        return LOADED.computeIfAbsent(language, l -> new Texts(l, load(l), false));
    }

    /** The wording for this reader. */
    public static synchronized Texts of(Language language, Audience audience) {
        if (audience != Audience.STAFF) {
            return of(language);
        }
        return LOADED_STAFF.computeIfAbsent(language, l -> new Texts(l, of(l).properties, true));
    }

    private static Properties load(Language language) {
        Properties p = new Properties();
        String path = "/texts/" + language.code() + ".properties";
        try (InputStream in = Texts.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + path);
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    public Language language() {
        return language;
    }

    public Audience audience() {
        return staff ? Audience.STAFF : Audience.CUSTOMER;
    }

    public boolean has(String key) {
        return raw(key) != null;
    }

    private String raw(String key) {
        String own = staff ? properties.getProperty("staff." + key) : null;
        return own != null ? own : properties.getProperty(key);
    }

    public Optional<String> find(String key, Map<String, String> values) {
        String raw = raw(key);
        return raw == null ? Optional.empty() : Optional.of(fill(key, raw, values));
    }

    public String get(String key, Map<String, String> values) {
        return find(key, values).orElseThrow(() -> new IllegalStateException("No text " + key + " in " + language));
    }

    public String get(String key) {
        return get(key, Map.of());
    }

    /** Numbered keys {@code prefix.1}, {@code prefix.2}, ... as long as they exist. */
    public List<String> numbered(String prefix, Map<String, String> values) {
        List<String> out = new ArrayList<>();
        for (int i = 1; has(prefix + "." + i); i++) {
            out.add(get(prefix + "." + i, values));
        }
        return out;
    }

    private static String fill(String key, String raw, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("Text " + key + " needs {" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
