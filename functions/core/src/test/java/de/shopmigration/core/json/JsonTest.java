package de.shopmigration.core.json;

import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.lambda.Collaborators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void theStoredRecordSurvivesTheRoundTripWithAnswersNullsAndTheLanguageCode() {
        MigrationRecord primed = Collaborators.primingRecord();
        JsonNode tree = Json.tree(primed);

        assertThat(tree.path("request").path("customer").path("language").asText()).isEqualTo("de");
        assertThat(tree.path("answers").path("shopSystem").asText()).isEqualTo("SHOPWARE");
        assertThat(tree.has("closedAt")).as("nulls are written, as the stored items had them").isTrue();
        assertThat(tree.path("closedAt").isNull()).isTrue();
        MigrationRecord back = Json.convert(Json.read(Json.write(primed)), MigrationRecord.class);
        assertThat(back).isEqualTo(primed);
        assertThat(Json.tree(back)).isEqualTo(tree);
    }

    @Test
    void missingListsAndUnknownFieldsAreTolerated() {
        MigrationRecord record = Json.convert(Json.read("""
                {"migrationId": "M-1", "status": "RUNNING", "somethingNew": {"x": [1, 2]},
                 "phaseLog": [{"phase": 2, "at": "2026-11-02T08:00:00.123Z"}]}
                """), MigrationRecord.class);
        assertThat(record.decisions()).isEmpty();
        assertThat(record.dns()).isEqualTo(MigrationRecord.DnsState.EMPTY);
        assertThat(record.phaseLog()).containsExactly(new MigrationRecord.PhaseMark(2, Instant.parse("2026-11-02T08:00:00.123Z")));
    }

    @Test
    void anApiGatewayEventWithABodyOverFiftyThousandCharactersIsRead() {
        String body = "reason=" + "x".repeat(70_000);
        JsonNode event = Json.read(Json.write(Map.of("body", body, "isBase64Encoded", false)));
        assertThat(event.path("body").asText()).isEqualTo(body);
        assertThat(Json.read(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8))).path("body").asText()).hasSize(body.length());
    }

    @ParameterizedTest
    @ValueSource(ints = {31_990, 32_764, 32_768, 40_000, 49_990})
    void everyStringLengthIsReadNotOnlyTheVeryLongOnes(int length) {
        // avaje refuses a string of about 32,765 characters (its buffer doubles up to a limit), not only one of 50,000.
        String text = "€".repeat(length);
        assertThat(Json.read("[\"" + text + "\"]").path(0).asText()).isEqualTo(text);
    }

    @Test
    void longTextsGoToTheOtherParserAndReadTheSame() {
        String fields = "\"i\": 7, \"l\": 12345678901, \"d\": 0.5, \"a\": [true, null, {\"x\": \"\\u00fc\\n\"}]";
        JsonNode shortText = Json.read("{" + fields + ", \"pad\": \"\"}");
        JsonNode longText = Json.read("{" + fields + ", \"pad\": \"" + "p".repeat(Json.LONGEST_FOR_AVAJE) + "\"}");
        JsonNode longWithoutPad = ((com.fasterxml.jackson.databind.node.ObjectNode) longText.deepCopy()).without("pad");
        JsonNode shortWithoutPad = ((com.fasterxml.jackson.databind.node.ObjectNode) shortText.deepCopy()).without("pad");
        assertThat(longWithoutPad).isEqualTo(shortWithoutPad);
        assertThat(longText.path("a").path(2).path("x").asText()).isEqualTo("\u00fc\n");
        assertThatThrownBy(() -> Json.read("{\"pad\": \"" + "p".repeat(Json.LONGEST_FOR_AVAJE) + "\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Not JSON");
    }

    @Test
    void numbersKeepTheirKind() {
        JsonNode n = Json.read("{\"i\": 7, \"l\": 12345678901, \"b\": 123456789012345678901234567890, \"d\": 0.5, \"t\": true, \"z\": null}");
        assertThat(n.get("i").isInt()).isTrue();
        assertThat(n.get("l").isLong()).isTrue();
        assertThat(n.get("b").isBigInteger()).isTrue();
        assertThat(n.get("d").isDouble()).isTrue();
        assertThat(Json.write(n)).isEqualTo("{\"i\":7,\"l\":12345678901,\"b\":123456789012345678901234567890,\"d\":0.5,\"t\":true,\"z\":null}");
    }

    @Test
    void anEmptyTextIsTheMissingNodeAndBrokenJsonIsAClearError() {
        assertThat(Json.read("").isMissingNode()).isTrue();
        assertThatThrownBy(() -> Json.read("{\"a\": [1, 2")).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Not JSON");
        assertThatThrownBy(() -> Json.read("{\"a\" 1}")).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Not JSON");
        assertThatThrownBy(() -> Json.convert(Json.read("{\"createdAt\": \"yesterday\"}"), MigrationRecord.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MigrationRecord");
    }

    /**
     * The cold-start win this class exists for: a fresh class loader runs the record and tree
     * paths, and Jackson's ObjectMapper (some 350 ms on a first invocation) is never loaded. A
     * {@code "..." + node} somewhere on these paths would bring it back through JsonNode.toString.
     */
    @Test
    void theJsonPathsNeverLoadJacksonsObjectMapper() throws Exception {
        try (Isolated loader = new Isolated()) {
            Thread thread = Thread.currentThread();
            ClassLoader before = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                Class<?> json = loader.loadClass(Json.class.getName());
                Object record = loader.loadClass(Collaborators.class.getName()).getMethod("primingRecord").invoke(null);
                Object tree = json.getMethod("tree", Object.class).invoke(null, record);
                String text = (String) json.getMethod("write", Object.class).invoke(null, tree);
                json.getMethod("convert", loader.loadClass(JsonNode.class.getName()), Class.class)
                        .invoke(null, json.getMethod("read", String.class).invoke(null, text), record.getClass());
                assertThat(text).contains("SHOPWARE");
            } finally {
                thread.setContextClassLoader(before);
            }
            assertThat(loader.loaded(Json.class.getName())).as("the test ran in the fresh loader").isTrue();
            assertThat(loader.loaded("com.fasterxml.jackson.databind.ObjectMapper")).isFalse();
        }
    }

    /**
     * The local cloud runs a function's handler on many threads at once, so the first records
     * may be bound concurrently, each thread constructing the adapters. avaje's generated adapter
     * for a {@code @Json.Value} enum filled static maps in its constructor, unguarded, and a
     * second thread constructing it failed with "Duplicate value de" (seen once in the
     * cold-start benchmark's setup). The race is a few instructions wide, so it is pinned by its
     * cause: no adapter of the records (generated or ours) keeps state in static collections.
     */
    @Test
    void noJsonAdapterKeepsStateInStaticCollections() throws Exception {
        // The generated adapters sit beside the records they bind (the domain's package), ours beside Json.
        java.nio.file.Path root = java.nio.file.Path.of(Json.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> adapters = new java.util.ArrayList<>();
        for (String pkg : List.of(de.shopmigration.core.MigrationRecord.class.getPackageName(), Json.class.getPackageName())) {
            try (var files = java.nio.file.Files.list(root.resolve(pkg.replace('.', '/')))) {
                files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("Adapter.class"))
                        .map(n -> pkg + "." + n.substring(0, n.length() - ".class".length())).forEach(adapters::add);
            }
        }
        adapters.sort(null);
        assertThat(adapters).as("the generated adapters were found").contains("de.shopmigration.core.MigrationRecordJsonAdapter");
        for (String name : adapters) {
            for (java.lang.reflect.Field field : Class.forName(name).getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                    assertThat(Map.class.isAssignableFrom(field.getType()) || java.util.Collection.class.isAssignableFrom(field.getType()))
                            .as(name + "." + field.getName() + " is a static collection, filled when the adapter is constructed").isFalse();
                }
            }
        }
    }

    /** The main code and its libraries in a class loader of their own, which tells which classes it has loaded. */
    private static final class Isolated extends java.net.URLClassLoader {
        Isolated() throws java.net.MalformedURLException {
            super("isolated", mainClassPath(), ClassLoader.getPlatformClassLoader());
        }

        private static java.net.URL[] mainClassPath() throws java.net.MalformedURLException {
            java.util.List<java.net.URL> classPath = new java.util.ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                if (!entry.contains("test-classes")) {
                    classPath.add(java.nio.file.Path.of(entry).toUri().toURL());
                }
            }
            return classPath.toArray(java.net.URL[]::new);
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }
    }

    @Test
    void mapsListsAndTreesAreWrittenToAStream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Json.write(Map.of("list", List.of("a", 1, true)), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"list\":[\"a\",1,true]}");
    }
}
