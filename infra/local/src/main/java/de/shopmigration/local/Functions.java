package de.shopmigration.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import de.shopmigration.core.Env;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The template's functions, each an instance of its real handler class built from the
 * environment the template gives it (plus the emulator endpoint), as Lambda would build it
 * from its environment variables.
 */
public final class Functions {

    private final Map<String, Object> handlers = new LinkedHashMap<>();
    private final Map<String, SamTemplate.Function> declared = new LinkedHashMap<>();

    public void add(SamTemplate.Function function, Map<String, String> extraEnv) {
        Map<String, String> env = new LinkedHashMap<>(function.environment());
        env.putAll(extraEnv);
        handlers.put(function.logicalId(), instantiate(function.handlerClass(), new Env(env)));
        declared.put(function.logicalId(), function);
    }

    /** Every handler has a constructor taking its Env; the no-argument one reads System.getenv. */
    static Object instantiate(String className, Env env) {
        try {
            Class<?> type = Class.forName(className);
            if (!RequestStreamHandler.class.isAssignableFrom(type) && !RequestHandler.class.isAssignableFrom(type)) {
                throw new IllegalStateException(className + " is not a Lambda handler");
            }
            Constructor<?> constructor = type.getConstructor(Env.class);
            return constructor.newInstance(env);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("template.yaml names handler " + className + ", which does not exist", e);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("Cannot build " + className + " from its environment", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Building " + className + " failed: " + e.getCause(), e.getCause());
        }
    }

    public Object handler(String logicalId) {
        Object h = handlers.get(logicalId);
        if (h == null) {
            throw new IllegalArgumentException("No function " + logicalId + " in template.yaml");
        }
        return h;
    }

    public boolean has(String logicalId) {
        return handlers.containsKey(logicalId);
    }

    public Set<String> names() {
        return handlers.keySet();
    }

    public SamTemplate.Function declared(String logicalId) {
        return declared.get(logicalId);
    }
}
