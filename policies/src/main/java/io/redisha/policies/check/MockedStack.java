package io.redisha.policies.check;

import io.redisha.policies.ResourceView;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the cluster stack program under {@code com.pulumi.test} mocks through the stacks module's
 * {@code io.redisha.stacks.mock.MockedDeployment} and maps what it declared into {@link ResourceView}s.
 * Looked up at run time so the policy pack builds and runs (from a resources file) without it.
 */
public final class MockedStack {
    static final String CLASS = "io.redisha.stacks.mock.MockedDeployment";

    /** The stack program refused its config or failed under mocks; the message says why. */
    public static final class ProgramFailed extends Exception {
        ProgramFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private MockedStack() {
    }

    public static boolean available() {
        try {
            Class.forName(CLASS);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The stack program run as {@code stack} with the stack's own config file plus overrides and stand-ins. */
    public static List<ResourceView> runStack(String stack, Map<String, String> overrides) throws ProgramFailed, java.io.IOException {
        java.nio.file.Path file = StackConfig.find(java.nio.file.Path.of(""), stack)
                .orElseThrow(() -> new IllegalArgumentException("no stacks/Pulumi." + stack + ".yaml above " + java.nio.file.Path.of("").toAbsolutePath()));
        Map<String, String> config = new LinkedHashMap<>(StackConfig.read(file));
        config.putAll(overrides);
        StackConfig.fillDeployTimeValues(config);
        return run(stack, config);
    }

    public static List<ResourceView> run(String stack, Map<String, String> config) throws ProgramFailed {
        Object result;
        try {
            Class<?> deployment = Class.forName(CLASS);
            Method run = deployment.getMethod("run", String.class, Map.class);
            result = run.invoke(null, stack, config);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new ProgramFailed(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(CLASS + ".run(Map<String,String>) is not available: " + e, e);
        }
        if (tryCall(result, "failure") instanceof java.util.Optional<?> failure && failure.isPresent()) {
            throw new ProgramFailed(String.valueOf(failure.get()), null);
        }
        List<ResourceView> resources = new ArrayList<>();
        for (Object declared : asCollection(call(result, "resources"))) {
            String type = String.valueOf(call(declared, "type"));
            String name = String.valueOf(call(declared, "name"));
            Object urn = tryCall(declared, "urn");
            Object inputs = call(declared, "inputs");
            Map<String, Object> properties = new LinkedHashMap<>();
            if (inputs instanceof Map<?, ?> map) {
                map.forEach((k, v) -> properties.put(String.valueOf(k), v));
            }
            java.util.Set<String> secrets = new java.util.HashSet<>();
            if (tryCall(declared, "secretInputs") instanceof Collection<?> paths) {
                paths.forEach(p -> secrets.add(String.valueOf(p).split("\\.")[0]));
            }
            resources.add(new ResourceView(type, urn == null ? ResourceView.urnOf(stack, type, name) : String.valueOf(urn),
                    name, properties, secrets));
        }
        return resources;
    }

    private static Collection<?> asCollection(Object value) {
        if (value instanceof Collection<?> c) {
            return c;
        }
        if (value instanceof Map<?, ?> m) {
            return m.values();
        }
        throw new IllegalStateException(CLASS + " result has no list of resources: " + value);
    }

    private static Object call(Object target, String accessor) {
        Object value = tryCall(target, accessor);
        if (value == null) {
            throw new IllegalStateException(target.getClass().getName() + " has no " + accessor + "() or get"
                    + Character.toUpperCase(accessor.charAt(0)) + accessor.substring(1) + "()");
        }
        return value;
    }

    private static Object tryCall(Object target, String accessor) {
        for (String name : List.of(accessor, "get" + Character.toUpperCase(accessor.charAt(0)) + accessor.substring(1))) {
            try {
                Method m = target.getClass().getMethod(name);
                m.setAccessible(true);
                return m.invoke(target);
            } catch (NoSuchMethodException e) {
                // try the next spelling
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + name + "() of " + target.getClass().getName() + ": " + e, e);
            }
        }
        return null;
    }
}
