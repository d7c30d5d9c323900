package de.shopmigration.local;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The state machines' source: {@code statemachine.asl.yaml} and {@code cleanup.asl.yaml} hold
 * the definition once, with the Retry and Catch policies named ({@code Policies}) and each state
 * naming the ones it uses; this writes the deployed {@code *.asl.json} from them ({@code make
 * asl}). AslSourceTest fails when a JSON file is not what its source gives.
 */
public final class AslSource {

    /** The pairs of source and deployed file, relative to the repository root. */
    public static final Map<String, String> FILES = Map.of(
            "statemachine.asl.yaml", "statemachine.asl.json",
            "cleanup.asl.yaml", "cleanup.asl.json");

    private AslSource() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        for (Map.Entry<String, String> pair : FILES.entrySet()) {
            Files.writeString(root.resolve(pair.getValue()), generate(root.resolve(pair.getKey())), StandardCharsets.UTF_8);
            System.out.println("wrote " + pair.getValue() + " from " + pair.getKey());
        }
    }

    /** The definition the source describes, as the deployed JSON text. */
    public static String generate(Path source) throws IOException {
        Map<String, Object> doc;
        try (Reader reader = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
            doc = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(reader), source + ": the document");
        }
        Map<String, Object> policies = map(doc.get("Policies"), source + ": Policies");
        Policies named = new Policies(map(policies.get("Retry"), "Policies.Retry"), map(policies.get("Catch"), "Policies.Catch"));
        Map<String, Object> machine = map(doc.get("Machine"), source + ": Machine");
        expandStates(map(machine.get("States"), "Machine.States"), named);
        Set<String> unused = new LinkedHashSet<>(named.declared());
        unused.removeAll(named.used);
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException(source + ": policies no state uses: " + unused);
        }
        return write(machine);
    }

    private static final class Policies {
        final Map<String, Object> retry;
        final Map<String, Object> catchers;
        final Set<String> used = new LinkedHashSet<>();

        Policies(Map<String, Object> retry, Map<String, Object> catchers) {
            this.retry = retry;
            this.catchers = catchers;
        }

        Set<String> declared() {
            Set<String> all = new LinkedHashSet<>();
            retry.keySet().forEach(k -> all.add("Retry." + k));
            catchers.keySet().forEach(k -> all.add("Catch." + k));
            return all;
        }
    }

    private static void expandStates(Map<String, Object> states, Policies policies) {
        for (Map.Entry<String, Object> e : states.entrySet()) {
            Map<String, Object> state = map(e.getValue(), "state " + e.getKey());
            expand(state, "Retry", policies.retry, policies, e.getKey());
            expand(state, "Catch", policies.catchers, policies, e.getKey());
            if (state.get("Branches") instanceof List<?> branches) {
                for (Object branch : branches) {
                    expandStates(map(map(branch, "a branch of " + e.getKey()).get("States"), "States of " + e.getKey()), policies);
                }
            }
            for (String processor : List.of("ItemProcessor", "Iterator")) {
                if (state.get(processor) instanceof Map<?, ?> p) {
                    expandStates(map(p.get("States"), processor + " of " + e.getKey()), policies);
                }
            }
        }
    }

    private static void expand(Map<String, Object> state, String field, Map<String, Object> named, Policies policies, String stateName) {
        if (!(state.get(field) instanceof List<?> entries)) {
            return;
        }
        List<Object> out = new ArrayList<>();
        for (Object entry : entries) {
            if (entry instanceof String name) {
                if (!named.containsKey(name)) {
                    throw new IllegalArgumentException("State '" + stateName + "' names the " + field + " policy '" + name
                            + "', which Policies." + field + " does not declare (" + named.keySet() + ")");
                }
                policies.used.add(field + "." + name);
                out.add(named.get(name));
            } else {
                out.add(entry);
            }
        }
        state.put(field, out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(what + " must be a mapping, not " + value);
    }

    /** JSON as the files have always been laid out: two spaces, one value per line, "key": value. */
    private static String write(Object value) throws IOException {
        return new ObjectMapper().writer(new Layout()).writeValueAsString(value) + "\n";
    }

    /** Jackson's pretty printer with arrays one element per line and empty containers as [] and {}. */
    private static final class Layout extends DefaultPrettyPrinter {
        Layout() {
            super(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
            DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
            indentArraysWith(indenter);
            indentObjectsWith(indenter);
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new Layout();
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            if (values > 0) {
                super.writeEndArray(g, values);
                return;
            }
            --_nesting;
            g.writeRaw(']');
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            if (entries > 0) {
                super.writeEndObject(g, entries);
                return;
            }
            --_nesting;
            g.writeRaw('}');
        }
    }
}
