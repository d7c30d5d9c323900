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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Builds every function the way {@code sam build} does with BuildMethod makefile and
 * CodeUri "." : a fresh copy of the project (without build output, .git or .aws-sam) per
 * function, {@code make build-<LogicalId>} with ARTIFACTS_DIR set, and nothing else. Each
 * package must then hold everything its handler needs: the handler is loaded and built from
 * the package alone (one shrunk jar), with only the JDK as parent class loader, and stay
 * within 12 MiB.
 */
@Tag("full")
@Isolated("three Maven builds at once need the machine; the timed emulator tests must not share it with them")
class SamBuildTest {

    static final Path ROOT = Repo.root();
    /** The performance issue's target per function (Lambda's own limit, unzipped, is 250 MB). */
    static final long MAX_PACKAGE_BYTES = 12L * 1024 * 1024;

    record Built(String function, String handler, Path artifacts, String log) {
    }

    @Test
    void everyFunctionBuildsAloneFromACleanCopyAndItsPackageRunsItsHandler() throws Exception {
        SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));
        List<String> functions = template.logicalIdsOfType("AWS::Serverless::Function");
        Path work = Files.createTempDirectory("sam-build-");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        Throwable failure = null;
        try {
            List<Future<Built>> builds = new ArrayList<>();
            for (String id : functions) {
                String handler = String.valueOf(SamTemplate.properties(template.resource(id)).get("Handler"));
                builds.add(pool.submit(() -> build(id, handler.substring(0, handler.indexOf("::")), work)));
            }
            for (Future<Built> f : builds) {
                Built built = f.get(15, TimeUnit.MINUTES);
                Path lib = built.artifacts().resolve("lib");
                assertThat(Files.isDirectory(lib)).as(built.function() + " package has lib/: " + built.log()).isTrue();
                long size;
                try (Stream<Path> files = Files.list(lib)) {
                    size = files.mapToLong(p -> p.toFile().length()).sum();
                }
                assertThat(size).as(built.function() + " package size").isLessThan(MAX_PACKAGE_BYTES);
                loadAndBuildHandler(built);
            }
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            pool.shutdownNow();
            try {
                deleteTree(work);
            } catch (IOException e) {
                // A build still running after a failure writes into the tree: report the failure, not this.
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }
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
