package de.shopmigration.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import de.shopmigration.core.lambda.Env;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The template's functions, each an instance of its real handler class built from the
 * environment the template gives it (plus the emulator endpoint), as Lambda would build it
 * from its environment variables.
 *
 * <p>Handlers come from one of two places. By default, the class path (the modules as compiled,
 * quick to iterate on). With {@code -Dfunctions.from=packages} (the test suite and the sandbox),
 * each function's deployable package: the one ProGuard-shrunk jar that {@code make
 * build-<Function>} hands to SAM, in a class loader of its own whose parent offers only the JDK
 * and the Lambda runtime interfaces, as in Lambda. Then every test runs the code that is
 * deployed, and a class the shrinking left out fails a test instead of a customer's click.
 */
public final class Functions {

    /** One loader per package for the whole JVM: handlers differ per cloud, their classes need not. */
    private static final Map<Path, ClassLoader> PACKAGE_LOADERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** What Lambda's runtime gives a function's class loader: the JDK and its own interfaces. */
    private static final ClassLoader LAMBDA_RUNTIME = new ClassLoader("lambda-runtime", ClassLoader.getPlatformClassLoader()) {
        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (name.startsWith("com.amazonaws.services.lambda.runtime.")) {
                return Functions.class.getClassLoader().loadClass(name);
            }
            throw new ClassNotFoundException(name);
        }
    };

    private final Map<String, Object> handlers = new LinkedHashMap<>();
    /** Logical id by the name a function is called by (its FunctionName, where the template gives one). */
    private final Map<String, String> logicalIds = new java.util.HashMap<>();
    private final Map<String, SamTemplate.Function> declared = new LinkedHashMap<>();
    private final Path packagesRoot;

    /** Handlers from the class path. */
    public Functions() {
        this(null);
    }

    /** Handlers from the deployable packages under {@code repoRoot/functions/<module>/target/lambda/}, or the class path if null. */
    public Functions(Path repoRoot) {
        this.packagesRoot = repoRoot;
    }

    /** As {@code -Dfunctions.from} says: {@code packages} or (unset) the class path. */
    public static Functions fromSystemProperty(Path repoRoot) {
        String from = System.getProperty("functions.from", "classpath");
        return switch (from) {
            case "packages" -> new Functions(repoRoot);
            case "classpath" -> new Functions();
            default -> throw new IllegalArgumentException("-Dfunctions.from=" + from + ": expected packages or classpath");
        };
    }

    public void add(SamTemplate.Function function, Map<String, String> extraEnv) {
        Map<String, String> env = new LinkedHashMap<>(function.environment());
        env.putAll(extraEnv);
        Object handler = packagesRoot == null
                ? instantiate(function.handlerClass(), new Env(env))
                : instantiate(function.handlerClass(), env, loader(packageOf(packagesRoot, function.logicalId())));
        handlers.put(function.logicalId(), handler);
        declared.put(function.logicalId(), function);
    }

    /** Code that may throw what a handler throws. */
    @FunctionalInterface
    public interface HandlerCall<T> {
        T call() throws Exception;
    }

    /**
     * Runs {@code call} with the handler's class loader as the thread's context loader, as
     * Lambda's runtime does for a function (jte finds its precompiled templates through it).
     */
    public static <T> T inContextOf(Object handler, HandlerCall<T> call) throws Exception {
        return inContextOf(handler.getClass().getClassLoader(), call);
    }

    private static <T> T inContextOf(ClassLoader loader, HandlerCall<T> call) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.call();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /**
     * The package {@code make build-<Function>} copies, for a function of template.yaml:
     * functions/<module>/target/lambda/<module>-function.jar under the repository.
     */
    public static Path packageOf(Path repoRoot, String logicalId) {
        String module = logicalId.replaceFirst("Function$", "").toLowerCase(java.util.Locale.ROOT);
        Path jar = repoRoot.resolve("functions/" + module + "/target/lambda/" + module + "-function.jar");
        if (!java.nio.file.Files.isRegularFile(jar)) {
            throw new IllegalStateException(logicalId + ": its package " + jar + " is missing; build the packages first (make package)");
        }
        return jar;
    }

    private static ClassLoader loader(Path jar) {
        return PACKAGE_LOADERS.computeIfAbsent(jar.toAbsolutePath(), p -> {
            try {
                return new java.net.URLClassLoader(p.getFileName().toString(), new java.net.URL[] {p.toUri().toURL()}, LAMBDA_RUNTIME);
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Every handler has a constructor taking its Env; the no-argument one reads System.getenv. */
    static Object instantiate(String className, Env env) {
        try {
            return construct(Class.forName(className), Env.class, env);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("template.yaml names handler " + className + ", which does not exist", e);
        }
    }

    /** The same from a package: its own Env class, built from the environment's map. */
    static Object instantiate(String className, Map<String, String> env, ClassLoader loader) {
        try {
            Class<?> envType = Class.forName("de.shopmigration.core.lambda.Env", true, loader);
            Object packagedEnv = envType.getConstructor(Map.class).newInstance(env);
            Class<?> type = Class.forName(className, true, loader);
            return inContextOf(loader, () -> construct(type, envType, packagedEnv));
        } catch (RuntimeException e) {
            throw e;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("template.yaml names handler " + className + ", which its package does not hold", e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot build the environment of " + className + " from its package", e);
        }
    }

    private static Object construct(Class<?> type, Class<?> envType, Object env) {
        String className = type.getName();
        try {
            if (!RequestStreamHandler.class.isAssignableFrom(type) && !RequestHandler.class.isAssignableFrom(type)) {
                throw new IllegalStateException(className + " is not a Lambda handler");
            }
            Constructor<?> constructor = type.getConstructor(envType);
            return constructor.newInstance(env);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("Cannot build " + className + " from its environment", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Building " + className + " failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Runs every registered SnapStart priming hook, as a snapshot would: the class path's
     * registry, or each package's own (a package carries its own copy of the core classes).
     */
    public List<String> primeAll() {
        return packagesRoot == null ? de.shopmigration.core.lambda.Priming.primeAll() : eachPackage("primeAll", "priming");
    }

    /**
     * What Lambda does in every environment it resumes from a SnapStart snapshot: each function's
     * after-restore hooks run (fresh random sources, the link secret's keys read again). A
     * package's hooks are those of every handler built from it in this JVM.
     */
    public List<String> restore() {
        return packagesRoot == null ? de.shopmigration.core.lambda.Priming.restoreAll() : eachPackage("restoreAll", "restore hooks");
    }

    /** Calls a static method of de.shopmigration.core.lambda.Priming in each function's package; the names of the hooks it ran. */
    @SuppressWarnings("unchecked")
    private List<String> eachPackage(String method, String what) {
        List<String> ran = new java.util.ArrayList<>();
        for (Map.Entry<String, Object> e : handlers.entrySet()) {
            String id = e.getKey();
            Object handler = e.getValue();
            try {
                Class<?> priming = Class.forName("de.shopmigration.core.lambda.Priming", true, handler.getClass().getClassLoader());
                ran.addAll(inContextOf(handler, () -> (List<String>) priming.getMethod(method).invoke(null)));
            } catch (InvocationTargetException failed) {
                throw new IllegalStateException(id + ": " + what + " failed: " + failed.getCause(), failed.getCause());
            } catch (Exception failed) {
                throw new IllegalStateException(id + ": its package's " + what + " could not run", failed);
            }
        }
        return ran;
    }

    /** The names the functions are called by (FunctionName where the template gives one), by logical id. */
    public void names(Map<String, String> physicalByLogical) {
        physicalByLogical.forEach((logical, physical) -> logicalIds.put(physical, logical));
    }

    /** The logical id of a function called by this name (a logical id stands for itself). */
    public String logicalId(String name) {
        return logicalIds.getOrDefault(name, name);
    }

    public Object handler(String logicalId) {
        Object h = handlers.get(logicalId(logicalId));
        if (h == null) {
            throw new IllegalArgumentException("No function " + logicalId + " in template.yaml");
        }
        return h;
    }

    public boolean has(String logicalId) {
        return handlers.containsKey(logicalId(logicalId));
    }

    public Set<String> names() {
        return handlers.keySet();
    }

    public SamTemplate.Function declared(String logicalId) {
        return declared.get(logicalId);
    }
}
