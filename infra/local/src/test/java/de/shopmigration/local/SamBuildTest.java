package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The packages {@code sam build} deploys. {@code sam build} (BuildMethod makefile, CodeUri ".")
 * runs {@code make build-<LogicalId>} with ARTIFACTS_DIR set in a fresh copy of the project:
 * one function is built exactly that way here, in a clean copy without build output, .git or
 * .aws-sam, and its package must be the one the reactor build made. Every function's package
 * (the same pattern rule of the Makefile, so the reactor's jar for the others) must then hold
 * everything its handler needs: the handler is loaded and built from the package alone (one
 * shrunk jar), with only the JDK as parent class loader, and stay within 12 MiB.
 *
 * <p>Until 2026-12-03 all twelve functions were built in clean copies (6½ minutes of a CI run on
 * two cores, alone): eleven repeated the one recipe.
 */
@Tag("full")
@Isolated("a Maven build and ProGuard need the machine; the timed emulator tests must not share it with them")
class SamBuildTest {

    static final Path ROOT = Repo.root();
    /** The performance issue's target per function (Lambda's own limit, unzipped, is 250 MB). */
    static final long MAX_PACKAGE_BYTES = 12L * 1024 * 1024;

    record Built(String function, String handler, Path artifacts, String log) {
    }

    /** Built in a clean copy the way sam build does: the function with the most dependencies. */
    static final String CLEAN_COPY_FUNCTION = "LinksFunction";

    @Test
    void aFunctionBuildsAloneFromACleanCopyAsSamBuildDoesIt() throws Exception {
        SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));
        Path work = Files.createTempDirectory("sam-build-");
        try {
            Built built = build(CLEAN_COPY_FUNCTION, handlerOf(template, CLEAN_COPY_FUNCTION), work);
            Path lib = built.artifacts().resolve("lib");
            assertThat(Files.isDirectory(lib)).as(built.function() + " package has lib/: " + built.log()).isTrue();
            List<String> jars;
            try (Stream<Path> files = Files.list(lib)) {
                jars = files.map(p -> p.getFileName().toString()).sorted().toList();
            }
            assertThat(jars).as("one shrunk jar").containsExactly(packageJar(CLEAN_COPY_FUNCTION).getFileName().toString());
            assertThat(entries(lib.resolve(jars.get(0)))).as("the clean copy's package holds what the reactor's does")
                    .isEqualTo(entries(packageJar(CLEAN_COPY_FUNCTION)));
            checkPackage(built);
        } finally {
            deleteTree(work);
        }
    }

    @Test
    void everyFunctionsPackageRunsItsHandlerAlone() throws Exception {
        SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));
        List<String> functions = template.logicalIdsOfType("AWS::Serverless::Function");
        assertThat(functions).contains(CLEAN_COPY_FUNCTION).hasSizeGreaterThan(10);
        for (String id : functions) {
            Path jar = packageJar(id);
            assertThat(jar).as(id + ": the reactor build (mvn package) makes its package").isRegularFile();
            Path artifacts = Files.createTempDirectory("sam-package-");
            try {
                Files.createDirectories(artifacts.resolve("lib"));
                Files.copy(jar, artifacts.resolve("lib").resolve(jar.getFileName()));
                checkPackage(new Built(id, handlerOf(template, id), artifacts, "(the reactor's " + jar + ")"));
            } finally {
                deleteTree(artifacts);
            }
        }
    }

    private static String handlerOf(SamTemplate template, String id) {
        String handler = String.valueOf(SamTemplate.properties(template.resource(id)).get("Handler"));
        return handler.substring(0, handler.indexOf("::"));
    }

    /** Where the Makefile's build-<Function> recipe takes the package from. */
    private static Path packageJar(String logicalId) {
        String module = logicalId.substring(0, logicalId.length() - "Function".length()).toLowerCase(java.util.Locale.ROOT);
        return ROOT.resolve("functions").resolve(module).resolve("target/lambda").resolve(module + "-function.jar");
    }

    private static List<String> entries(Path jar) throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            return zip.stream().map(e -> e.getName() + " " + e.getSize()).sorted().toList();
        }
    }

    private static void checkPackage(Built built) throws Exception {
        Path lib = built.artifacts().resolve("lib");
        long size;
        try (Stream<Path> files = Files.list(lib)) {
            size = files.mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(size).as(built.function() + " package size").isLessThan(MAX_PACKAGE_BYTES);
        loadAndBuildHandler(built);
    }

    private static Built build(String function, String handler, Path work) throws Exception {
        Path source = work.resolve("src-" + function);
        copyProject(ROOT, source);
        Path artifacts = work.resolve("artifacts-" + function);
        Files.createDirectories(artifacts);
        ProcessBuilder pb = new ProcessBuilder("make", "build-" + function).directory(source.toFile()).redirectErrorStream(true);
        pb.environment().put("ARTIFACTS_DIR", artifacts.toString());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("make build-" + function + ":\n" + log).isZero();
        return new Built(function, handler, artifacts, log);
    }

    private static void loadAndBuildHandler(Built built) throws Exception {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(built.artifacts().resolve("lib"))) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                jars.add(jar.toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> handler = Class.forName(built.handler(), true, loader);
            Class<?> envType = Class.forName("de.shopmigration.core.lambda.Env", true, loader);
            Map<String, String> env = new HashMap<>();
            env.put("AWS_REGION", "eu-central-1");
            env.put("AWS_ACCESS_KEY_ID", "x");
            env.put("AWS_SECRET_ACCESS_KEY", "x");
            env.put("TABLE_NAME", "t");
            env.put("SENDER_EMAIL", "umzug@hosting.example");
            env.put("STAFF_EMAIL", "team@hosting.example");
            env.put("LINK_BASE_URL", "https://example.invalid");
            env.put("CLEANUP_STATE_MACHINE_ARN", "arn:aws:states:eu-central-1:123456789012:stateMachine:shop-migration-cleanup");
            env.put("OPS_TOPIC_ARN", "arn:aws:sns:eu-central-1:123456789012:shop-migration-OpsTopic");
            Constructor<?> constructor = handler.getConstructor(envType);
            // Lambda's runtime makes the function's loader the context loader (ServiceLoader users rely on it).
            Thread thread = Thread.currentThread();
            ClassLoader before = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            Object instance;
            try {
                instance = constructor.newInstance(envType.getConstructor(Map.class).newInstance(env));
            } finally {
                thread.setContextClassLoader(before);
            }
            assertThat(instance.getClass().getClassLoader()).as(built.function() + " loaded from its own package").isSameAs(loader);
            Class<?> lambdaHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler", false, loader);
            Class<?> requestHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestHandler", false, loader);
            assertThat(lambdaHandler.isInstance(instance) || requestHandler.isInstance(instance)).as(built.function()).isTrue();
        }
    }

    /** The project as a clean clone has it: no build output, no .git, no .aws-sam. */
    static void copyProject(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path rel = from.relativize(p);
                if (isExcluded(rel)) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static boolean isExcluded(Path rel) {
        for (Path part : rel) {
            String name = part.toString();
            if (name.equals("target") || name.equals(".git") || name.equals(".aws-sam") || name.equals("node_modules")) {
                return true;
            }
        }
        return false;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
