package de.shopmigration.local;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Independent judges of what people see, installed from npm by {@code make test}
 * ({@code infra/page-checks}): axe-core, run inside Chromium on the page as rendered, and the
 * W3C Nu HTML checker (vnu.jar) over the HTML exactly as served or mailed.
 */
final class PageChecks {

    static final Path MODULES = Repo.root().resolve("infra/page-checks/node_modules");
    private static String axeSource;

    private PageChecks() {
    }

    private static Path installed(String relative) {
        Path file = MODULES.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: install the page checkers with `npm ci --prefix infra/page-checks` "
                    + "(make test does)");
        }
        return file;
    }

    /** axe-core's violations of impact serious or critical on the current page, as "rule: elements". */
    static synchronized List<String> axe(WebDriver driver) throws IOException {
        if (axeSource == null) {
            axeSource = Files.readString(installed("axe-core/axe.min.js"));
        }
        JavascriptExecutor js = (JavascriptExecutor) driver;
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        js.executeScript(axeSource);
        Object found = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                  .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                      .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                  .catch(e => done(['axe could not run: ' + e]));
                """);
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) found) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    /** The Nu HTML checker's errors in these files, each as "file:line: message". */
    static List<String> vnu(List<Path> files) throws IOException, InterruptedException {
        if (files.isEmpty()) {
            return List.of();
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                installed("vnu-jar/build/dist/vnu.jar").toString(), "--format", "json", "--errors-only"));
        files.forEach(f -> command.add(f.toString()));
        Path report = Files.createTempFile("vnu-", ".json");
        Process vnu = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(report.toFile()).start();
        try {
            if (!vnu.waitFor(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("vnu.jar did not finish within 5 minutes");
            }
        } finally {
            vnu.destroyForcibly();
        }
        String text = Files.readString(report, StandardCharsets.UTF_8);
        Files.deleteIfExists(report);
        JsonNode result = Json.read(text);
        if (!result.has("messages")) {
            throw new IllegalStateException("vnu.jar answered without a report: " + text);
        }
        List<String> errors = new ArrayList<>();
        for (JsonNode m : result.path("messages")) {
            String file = m.path("url").asText();
            errors.add(file.substring(file.lastIndexOf('/') + 1) + ":" + m.path("lastLine").asInt() + ": " + m.path("message").asText()
                    + " [" + m.path("extract").asText().strip() + "]");
        }
        return errors;
    }
}
