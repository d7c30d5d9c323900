package de.shopmigration.local;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The AWS calls each local cloud of a test run saw (written by {@link SharedCloud} when the run
 * ends), with the template parameters it was deployed with and the names its stack made up.
 */
record IamCallRecordings(String deployment, Map<String, Object> parameters, Map<String, String> physicalIds, List<IamCalls.Call> calls) {

    static final String FOLDER = "target/iam-calls";

    static List<IamCallRecordings> load() throws IOException {
        Path folder = Repo.root().resolve(FOLDER);
        List<IamCallRecordings> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (Stream<Path> files = Files.list(folder)) {
            // <deployment>.json; the transformed templates written next to them have longer names.
            for (Path file : files.filter(f -> f.getFileName().toString().matches("[a-z-]+\\.json")).sorted().toList()) {
                JsonNode root = Json.read(Files.readString(file));
                Map<String, Object> parameters = new LinkedHashMap<>();
                root.path("parameters").fields().forEachRemaining(e -> {
                    if (e.getValue().isArray()) {
                        List<String> items = new ArrayList<>();
                        e.getValue().forEach(i -> items.add(i.asText()));
                        parameters.put(e.getKey(), items);
                    } else {
                        parameters.put(e.getKey(), e.getValue().asText());
                    }
                });
                Map<String, String> physicalIds = new LinkedHashMap<>();
                root.path("physicalIds").fields().forEachRemaining(e -> physicalIds.put(e.getKey(), e.getValue().asText()));
                List<IamCalls.Call> calls = new ArrayList<>();
                root.path("calls").forEach(c -> calls.add(new IamCalls.Call(c.path("principal").asText(), c.path("action").asText(),
                        c.path("resource").asText())));
                String name = file.getFileName().toString();
                out.add(new IamCallRecordings(name.substring(0, name.length() - ".json".length()), parameters, physicalIds, calls));
            }
        }
        return out;
    }
}
