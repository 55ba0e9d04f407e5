package io.redisha.components;

import com.pulumi.core.Output;
import io.redisha.topology.InputLimits;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inputs and outputs of {@link RedisCluster}, read from their one declaration: the {@link ClusterInput}
 * fields of {@link RedisClusterArgs} (their defaults from a fresh {@link RedisClusterArgs.Builder}) and the
 * {@link ClusterOutput} accessors of {@link RedisCluster}. The provider schema, the provider's
 * {@code toArgs}, {@link JudgedInputs}, the stack's config keys and exports and the docs check are
 * derived from these lists, as Pulumi's own SDKs are generated from one schema.
 */
public final class ClusterSchema {
    /** Before {@link #INPUTS}, which needs it to read the descriptions. */
    private static final Pattern VALID_RANGE = Pattern.compile("\\{validRange(?::([\\w.]+))?}");

    /**
     * One input.
     *
     * @param defaultValue the builder's initial value, for plain scalars (numbers, booleans, strings) only
     * @param plain        known at preview (no {@code Output} in its type): it may decide what exists
     * @param javaType     the field's type in {@link RedisClusterArgs}
     */
    public record InputSpec(String name, String description, Optional<Object> defaultValue, boolean plain,
                            boolean required, boolean secret, boolean judged, boolean stackConfig, boolean provider, Type javaType) {
    }

    /** One output; {@code stackExport} is the name the cluster stack exports it under. */
    public record OutputSpec(String name, String description, String stackExport) {
    }

    /** Every input, in declaration order. */
    public static final List<InputSpec> INPUTS = readInputs();
    /** Every output, by name. */
    public static final List<OutputSpec> OUTPUTS = readOutputs();

    private ClusterSchema() {
    }

    public static Optional<InputSpec> input(String name) {
        return INPUTS.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** Every output's value on {@code cluster}, by output name. */
    public static Map<String, Output<?>> outputValues(RedisCluster cluster) {
        Map<String, Output<?>> values = new LinkedHashMap<>();
        for (Method m : outputMethods()) {
            try {
                values.put(m.getName(), (Output<?>) m.invoke(cluster));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("output " + m.getName() + " cannot be read", e);
            }
        }
        return values;
    }

    /** The value of input {@code name} in {@code args} (as {@link RedisClusterArgs} holds it). */
    static Object value(RedisClusterArgs args, String name) {
        try {
            return RedisClusterArgs.class.getDeclaredField(name).get(args);
        } catch (NoSuchFieldException | IllegalAccessException e) {
            throw new IllegalArgumentException("no input " + name, e);
        }
    }

    private static List<InputSpec> readInputs() {
        RedisClusterArgs defaults = RedisClusterArgs.builder().build();
        List<InputSpec> inputs = new ArrayList<>();
        for (Field f : RedisClusterArgs.class.getDeclaredFields()) {
            ClusterInput in = f.getAnnotation(ClusterInput.class);
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            if (in == null) {
                throw new IllegalStateException("RedisClusterArgs." + f.getName() + " has no @ClusterInput");
            }
            boolean scalar = f.getType().isPrimitive() || f.getType() == String.class;
            Optional<Object> def = scalar ? Optional.of(value(defaults, f.getName())) : Optional.empty();
            boolean plain = !f.getGenericType().getTypeName().contains(Output.class.getName());
            inputs.add(new InputSpec(f.getName(), describe(f.getName(), in.value()), def, plain, in.required(), in.secret(),
                    in.judged(), in.stackConfig(), in.provider(), f.getGenericType()));
        }
        return List.copyOf(inputs);
    }

    /**
     * {@code {validRange}} in a description is the input's row of {@link InputLimits}, the one table of bounds;
     * {@code {validRange:backups.retentionDays}} names another row (a field of a structured input).
     */
    private static String describe(String input, String description) {
        Matcher m = VALID_RANGE.matcher(description);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String row = m.group(1) == null ? input : m.group(1);
            InputLimits.Limit limit = InputLimits.ALL.stream().filter(l -> l.input().equals(row)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(input + "'s description names " + row + ", which has no row in InputLimits"));
            m.appendReplacement(out, limit.validRange());
        }
        return m.appendTail(out).toString();
    }

    private static List<Method> outputMethods() {
        List<Method> methods = new ArrayList<>();
        for (Method m : RedisCluster.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(ClusterOutput.class)) {
                methods.add(m);
            }
        }
        methods.sort(Comparator.comparing(Method::getName));
        return methods;
    }

    private static List<OutputSpec> readOutputs() {
        return outputMethods().stream().map(m -> {
            ClusterOutput out = m.getAnnotation(ClusterOutput.class);
            return new OutputSpec(m.getName(), out.value(), out.stackExport().isEmpty() ? m.getName() : out.stackExport());
        }).toList();
    }
}
