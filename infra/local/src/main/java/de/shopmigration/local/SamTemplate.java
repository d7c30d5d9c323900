package de.shopmigration.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml as the local cloud reads it: the functions with their handlers and
 * environment, the table, the state machine's definition and substitutions, all resolved with
 * local values. It is the one description of the deployment; the emulator never keeps a
 * second copy of it.
 */
public final class SamTemplate {

    private final Map<String, Object> root;
    private final Path directory;

    private SamTemplate(Map<String, Object> root, Path directory) {
        this.root = root;
        this.directory = directory;
    }

    public static SamTemplate load(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            Object loaded = new Yaml(new CfnConstructor()).load(reader);
            @SuppressWarnings("unchecked")
            Map<String, Object> root = (Map<String, Object>) loaded;
            return new SamTemplate(root, file.toAbsolutePath().getParent());
        }
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> resources() {
        return (Map<String, Object>) root.getOrDefault("Resources", Map.of());
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> outputs() {
        return (Map<String, Object>) root.getOrDefault("Outputs", Map.of());
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> parameters() {
        return (Map<String, Object>) root.getOrDefault("Parameters", Map.of());
    }

    /** An output of the template (its Description and Value, unresolved). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> output(String name) {
        Object o = ((Map<String, Object>) root.getOrDefault("Outputs", Map.of())).get(name);
        if (o == null) {
            throw new IllegalArgumentException("template.yaml has no output " + name);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> resource(String logicalId) {
        Object r = resources().get(logicalId);
        if (r == null) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return (Map<String, Object>) r;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    public List<String> logicalIdsOfType(String type) {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, r) -> {
            if (r instanceof Map<?, ?> m && type.equals(m.get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** A function as the template declares it. */
    public record Function(String logicalId, String handlerClass, Map<String, String> environment) {
    }

    /** The environment every function gets (Globals), unresolved. */
    public Map<String, Object> globalEnvironment() {
        return variables(globalFunction());
    }

    /** The environment variables of a function as written (Globals and its own), unresolved. */
    public Map<String, Object> variablesAsWritten(String logicalId) {
        Map<String, Object> vars = new LinkedHashMap<>(variables(globalFunction()));
        vars.putAll(variables(properties(resource(logicalId))));
        return vars;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> globalFunction() {
        return (Map<String, Object>) ((Map<String, Object>) root.getOrDefault("Globals", Map.of())).getOrDefault("Function", Map.of());
    }

    public List<Function> functions(Resolver resolver) {
        Map<String, Object> globalVars = variables(globalFunction());
        List<Function> out = new ArrayList<>();
        for (String id : logicalIdsOfType("AWS::Serverless::Function")) {
            Map<String, Object> props = properties(resource(id));
            Map<String, String> env = new LinkedHashMap<>();
            Map<String, Object> vars = new LinkedHashMap<>(globalVars);
            vars.putAll(variables(props));
            vars.forEach((k, v) -> env.put(k, String.valueOf(resolver.resolve(v))));
            String handler = String.valueOf(props.get("Handler"));
            out.add(new Function(id, handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler, env));
        }
        return out;
    }

    /** The environment variables every function gets (Globals), unresolved. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> globalVariables() {
        return variables((Map<String, Object>) ((Map<String, Object>) root.getOrDefault("Globals", Map.of())).getOrDefault("Function", Map.of()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(Map<String, Object> functionProps) {
        Object env = functionProps.get("Environment");
        if (!(env instanceof Map<?, ?> e)) {
            return Map.of();
        }
        Object vars = e.get("Variables");
        return vars instanceof Map<?, ?> v ? (Map<String, Object>) v : Map.of();
    }

    /** The state machine's ASL with the template's DefinitionSubstitutions applied. */
    public String stateMachineDefinition(String logicalId, Resolver resolver) throws IOException {
        Map<String, Object> props = properties(resource(logicalId));
        String asl = Files.readString(directory.resolve(String.valueOf(props.get("DefinitionUri"))));
        @SuppressWarnings("unchecked")
        Map<String, Object> subs = (Map<String, Object>) props.getOrDefault("DefinitionSubstitutions", Map.of());
        Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9]+)}").matcher(asl);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = subs.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("The ASL uses ${" + m.group(1) + "} but DefinitionSubstitutions has no such key");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(resolver.resolve(value))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Resolves CloudFormation intrinsics with local values: parameters, resource names and
     * attributes, pseudo parameters and conditions.
     */
    public final class Resolver {
        /** What {@code Ref AWS::NoValue} stands for: the property or list item is left out. */
        private static final Object NO_VALUE = new Object();

        private final Map<String, Object> refs;
        private final Map<String, Object> attributes;

        /**
         * @param refs       what {@code Ref} returns, by logical id, parameter or pseudo parameter
         * @param attributes what {@code GetAtt Id.Attr} returns, keyed "Id.Attr"
         */
        public Resolver(Map<String, Object> refs, Map<String, Object> attributes) {
            this.refs = new LinkedHashMap<>(refs);
            this.attributes = attributes;
            parameters().forEach((name, spec) -> {
                if (!this.refs.containsKey(name) && spec instanceof Map<?, ?> s && s.containsKey("Default")) {
                    Object d = s.get("Default");
                    this.refs.put(name, "CommaDelimitedList".equals(s.get("Type")) ? split(String.valueOf(d)) : d);
                }
            });
        }

        private List<String> split(String value) {
            List<String> parts = new ArrayList<>();
            for (String p : value.split(",")) {
                if (!p.isBlank()) {
                    parts.add(p.strip());
                }
            }
            return parts;
        }

        /** The node with every intrinsic function resolved; a top-level AWS::NoValue becomes null. */
        public Object resolve(Object node) {
            Object value = evaluate(node);
            return value == NO_VALUE ? null : value;
        }

        @SuppressWarnings("unchecked")
        private Object evaluate(Object node) {
            if (node instanceof Map<?, ?> map && map.size() == 1) {
                String fn = String.valueOf(map.keySet().iterator().next());
                Object arg = map.values().iterator().next();
                switch (fn) {
                    case "Ref" -> {
                        return ref(String.valueOf(arg));
                    }
                    case "Fn::GetAtt" -> {
                        List<Object> a = (List<Object>) arg;
                        return attribute(a.get(0) + "." + a.get(1));
                    }
                    case "Fn::Sub" -> {
                        if (arg instanceof List<?> list) {
                            Map<String, Object> vars = new LinkedHashMap<>();
                            ((Map<String, Object>) list.get(1)).forEach((k, v) -> vars.put(k, evaluate(v)));
                            return sub(String.valueOf(list.get(0)), vars);
                        }
                        return sub(String.valueOf(arg), Map.of());
                    }
                    case "Fn::Join" -> {
                        List<Object> a = (List<Object>) arg;
                        List<String> parts = new ArrayList<>();
                        for (Object p : asList(evaluate(a.get(1)))) {
                            parts.add(String.valueOf(evaluate(p)));
                        }
                        return String.join(String.valueOf(evaluate(a.get(0))), parts);
                    }
                    case "Fn::Split" -> {
                        List<Object> a = (List<Object>) arg;
                        return List.of(String.valueOf(evaluate(a.get(1))).split(Pattern.quote(String.valueOf(a.get(0))), -1));
                    }
                    case "Fn::Select" -> {
                        List<Object> a = (List<Object>) arg;
                        return asList(evaluate(a.get(1))).get(Integer.parseInt(String.valueOf(evaluate(a.get(0)))));
                    }
                    case "Fn::If" -> {
                        List<Object> a = (List<Object>) arg;
                        return condition(String.valueOf(a.get(0))) ? evaluate(a.get(1)) : evaluate(a.get(2));
                    }
                    case "Fn::Not" -> {
                        return !truth(((List<Object>) arg).get(0));
                    }
                    case "Fn::Equals" -> {
                        List<Object> a = (List<Object>) arg;
                        return String.valueOf(evaluate(a.get(0))).equals(String.valueOf(evaluate(a.get(1))));
                    }
                    default -> {
                        // a plain one-key map
                    }
                }
            }
            if (node instanceof Map<?, ?> map) {
                Map<String, Object> out = new LinkedHashMap<>();
                map.forEach((k, v) -> {
                    Object value = evaluate(v);
                    if (value != NO_VALUE) {
                        out.put(String.valueOf(k), value);
                    }
                });
                return out;
            }
            if (node instanceof List<?> list) {
                List<Object> out = new ArrayList<>();
                list.forEach(v -> {
                    Object value = evaluate(v);
                    if (value != NO_VALUE) {
                        out.add(value);
                    }
                });
                return out;
            }
            return node;
        }

        private boolean truth(Object node) {
            Object v = resolve(node);
            return v instanceof Boolean b ? b : condition(String.valueOf(v));
        }

        @SuppressWarnings("unchecked")
        public boolean condition(String name) {
            Map<String, Object> conditions = (Map<String, Object>) root.getOrDefault("Conditions", Map.of());
            Object c = conditions.get(name);
            if (c == null) {
                throw new IllegalArgumentException("No condition " + name);
            }
            return Boolean.TRUE.equals(resolve(c));
        }

        private Object ref(String name) {
            if (name.equals("AWS::NoValue")) {
                return NO_VALUE;
            }
            if (!refs.containsKey(name)) {
                throw new IllegalArgumentException("Nothing local for Ref " + name);
            }
            return refs.get(name);
        }

        private Object attribute(String key) {
            if (!attributes.containsKey(key)) {
                throw new IllegalArgumentException("Nothing local for GetAtt " + key);
            }
            return attributes.get(key);
        }

        private String sub(String text, Map<String, Object> vars) {
            Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                Object value = vars.containsKey(name) ? vars.get(name)
                        : name.contains(".") && !name.startsWith("AWS::") ? attribute(name) : ref(name);
                m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
            }
            m.appendTail(out);
            return out.toString();
        }

        private List<Object> asList(Object value) {
            if (value instanceof List<?> l) {
                return new ArrayList<>(l);
            }
            return new ArrayList<>(List.of(value));
        }
    }

    public Resolver resolver(Map<String, Object> refs, Map<String, Object> attributes) {
        return new Resolver(refs, attributes);
    }

    /** Turns the short-form tags (!Ref, !Sub, ...) into their long forms. */
    private static final class CfnConstructor extends SafeConstructor {
        CfnConstructor() {
            super(new LoaderOptions());
            for (String fn : List.of("Ref", "Sub", "GetAtt", "Join", "Split", "Select", "If", "Not", "Equals", "And", "Or",
                    "FindInMap", "Base64", "Cidr", "GetAZs", "ImportValue", "Condition")) {
                String key = fn.equals("Ref") || fn.equals("Condition") ? fn : "Fn::" + fn;
                this.yamlConstructors.put(new Tag("!" + fn), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value;
                        if (node instanceof ScalarNode s) {
                            value = constructScalar(s);
                            if (fn.equals("GetAtt")) {
                                String v = String.valueOf(value);
                                int dot = v.indexOf('.');
                                value = List.of(v.substring(0, dot), v.substring(dot + 1));
                            }
                        } else if (node instanceof SequenceNode seq) {
                            value = constructSequence(seq);
                        } else {
                            value = constructMapping((MappingNode) node);
                        }
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put(key, value);
                        return m;
                    }
                });
            }
        }
    }
}
