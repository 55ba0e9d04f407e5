package io.redisha.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.provider.internal.properties.PropertyValue;
import io.redisha.components.ClusterSchema;
import io.redisha.components.ClusterSettings;
import io.redisha.components.RedisClusterArgs;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The schema other languages are generated from matches the Java API: same inputs, outputs and defaults. */
class ProviderSchemaTest {
    static final JsonNode SCHEMA = read(ProviderSchema.json());
    static final JsonNode RESOURCE = SCHEMA.path("resources").path(ProviderSchema.TOKEN);

    @Test
    void inputsAreTheJavaArgumentsButTheBootstrapJarPath() {
        Set<String> java = Arrays.stream(RedisClusterArgs.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers())).map(Field::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        java.remove("bootstrapJarPath"); // the provider carries the jar
        assertEquals(java, names(RESOURCE.path("inputProperties")));
        assertEquals(Set.of("authPassword", "imageId"), texts(RESOURCE.path("requiredInputs")));
    }

    /** The provider's @Import fields are the wire shape of the declared inputs: same names, Output where the Java API takes one, same required flags. */
    @Test
    void providerFieldsAreTheDeclaredInputs() {
        Map<String, Field> fields = new java.util.TreeMap<>();
        for (Field f : RedisClusterInputs.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(Import.class)) {
                fields.put(f.getAnnotation(Import.class).name(), f);
            }
        }
        Map<String, ClusterSchema.InputSpec> declared = ClusterSchema.INPUTS.stream().filter(ClusterSchema.InputSpec::provider)
                .collect(Collectors.toMap(ClusterSchema.InputSpec::name, i -> i, (a, b) -> a, java.util.TreeMap::new));
        assertEquals(declared.keySet(), fields.keySet());
        declared.forEach((name, input) -> {
            Field f = fields.get(name);
            assertEquals(!input.plain(), f.getGenericType().getTypeName().contains(Output.class.getName()), name + ": " + f.getGenericType());
            assertEquals(input.required(), f.getAnnotation(Import.class).required(), name + " required");
            JsonNode schema = RESOURCE.path("inputProperties").path(name);
            assertEquals(input.description(), schema.path("description").asText(), name);
            assertEquals(input.secret(), schema.path("secret").asBoolean(), name + " secret");
        });
    }

    /** Every provider input reaches the Java API: each one given changes the args toArgs builds. */
    @Test
    void everyGivenInputReachesTheJavaApi() throws Exception {
        RedisClusterArgs absent = new RedisClusterInputs().toArgs("redis-ha.jar");
        for (Field f : RedisClusterInputs.class.getDeclaredFields()) {
            if (!f.isAnnotationPresent(Import.class)) {
                continue;
            }
            RedisClusterInputs inputs = new RedisClusterInputs();
            f.set(inputs, sample(f, absent));
            RedisClusterArgs given = inputs.toArgs("redis-ha.jar");
            Field java = RedisClusterArgs.class.getDeclaredField(f.getName());
            java.setAccessible(true);
            assertTrue(!java.get(given).equals(java.get(absent)), f.getName() + " did not reach RedisClusterArgs");
        }
    }

    /** A value other than the Java default, of the provider field's type. */
    private static Object sample(Field f, RedisClusterArgs defaults) throws Exception {
        String type = f.getGenericType().getTypeName();
        if (f.getType() == Backups.class) {
            return new Backups();
        }
        if (f.getType() == Boolean.class) {
            Field java = RedisClusterArgs.class.getDeclaredField(f.getName());
            java.setAccessible(true);
            return !(Boolean) java.get(defaults);
        }
        return switch (type) {
            case "java.lang.Integer" -> 7;
            case "java.lang.String" -> "given";
            case "com.pulumi.core.Output<java.lang.String>" -> Output.of("given");
            case "java.util.List<java.lang.String>" -> java.util.List.of("given");
            case "java.util.List<java.lang.Integer>" -> java.util.List.of(7);
            case "java.util.List<com.pulumi.core.Output<java.lang.String>>" -> java.util.List.of(Output.of("given"));
            case "java.util.Map<java.lang.String, java.lang.String>" -> Map.of("given", "yes");
            case "java.util.List<java.util.Map<java.lang.String, java.lang.String>>" -> java.util.List.of(Map.of("name", "node-3-0",
                    "zone", "az-1", "role", "master", "shard", "3", "member", "0"));
            default -> throw new AssertionError("no sample for " + f.getName() + ": " + type);
        };
    }

    @Test
    void outputsAreTheJavaAccessors() {
        Set<String> java = Arrays.stream(io.redisha.components.RedisCluster.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getParameterCount() == 0 && m.getReturnType() == Output.class)
                .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(java, names(RESOURCE.path("properties")));
    }

    @Test
    void structuralInputsArePlainSecretsAreMarkedAndScalingMovesIsAnyValue() {
        JsonNode in = RESOURCE.path("inputProperties");
        for (String plain : Set.of("masters", "replicasPerMaster", "zones", "instanceType", "previousPlan", "retiredNodesDrained")) {
            assertTrue(in.path(plain).path("plain").asBoolean(), plain + " must be known at preview: " + in.path(plain));
        }
        assertTrue(in.path("authPassword").path("secret").asBoolean());
        assertTrue(in.path("tlsPrivateKey").path("secret").asBoolean());
        assertEquals("pulumi.json#/Any", RESOURCE.path("properties").path("scalingMoves").path("additionalProperties").path("$ref").asText());
        assertEquals(ProviderMain.version(), SCHEMA.path("version").asText());
        RESOURCE.path("inputProperties").fields().forEachRemaining(e ->
                assertTrue(!e.getValue().path("description").asText().isBlank(), e.getKey() + " has no description"));
    }

    /** Each default the schema documents is the one the Java API applies: setting it changes nothing. */
    @Test
    void documentedDefaultsAreTheJavaDefaults() {
        ClusterSettings absent = settings(Map.of());
        for (Iterator<Map.Entry<String, JsonNode>> it = RESOURCE.path("inputProperties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> input = it.next();
            JsonNode def = input.getValue().path("default");
            if (def.isMissingNode()) {
                continue;
            }
            PropertyValue value = def.isBoolean() ? PropertyValue.of(def.asBoolean())
                    : def.isNumber() ? PropertyValue.of(def.asDouble()) : PropertyValue.of(def.asText());
            assertEquals(absent, settings(Map.of(input.getKey(), value)), input.getKey() + " default " + def);
        }
    }

    /** backups is an object of plain fields (a type of the package); the host reads it into the Java API's BackupArgs. */
    @Test
    void backupsIsATypedObjectAndReachesTheJavaApi() {
        JsonNode backups = RESOURCE.path("inputProperties").path("backups");
        String ref = backups.path("$ref").asText();
        assertTrue(ref.startsWith("#/types/redis-ha:index:"), backups.toString());
        JsonNode type = SCHEMA.path("types").path(ref.substring("#/types/".length()));
        assertEquals(Set.of("bucket", "kmsKeyArn", "retentionDays", "schedule"), names(type.path("properties")), type.toString());
        assertEquals("integer", type.path("properties").path("retentionDays").path("type").asText(), type.toString());
        ClusterSettings set = settings(Map.of("backups", PropertyValue.of(Map.of("schedule", PropertyValue.of("rate(12 hours)"),
                "retentionDays", PropertyValue.of(3.0))), "restoreFrom", PropertyValue.of("s3://old/prod/20261207T031725Z")));
        assertEquals(new io.redisha.components.BackupPlan("rate(12 hours)", 720, 3, java.util.Optional.empty(), java.util.Optional.empty()),
                set.backups().orElseThrow());
        assertEquals("s3://old/prod/20261207T031725Z", set.restoreAtCreation().orElseThrow().uri());
        ClusterSettings defaults = settings(Map.of("backups", PropertyValue.of(Map.of())));
        assertEquals(7, defaults.backups().orElseThrow().retentionDays());
    }

    private static ClusterSettings settings(Map<String, PropertyValue> extra) {
        Map<String, PropertyValue> given = new java.util.HashMap<>(Map.of("imageId", PropertyValue.of("ami-0123456789abcdef0"),
                "authPassword", PropertyValue.of("pw")));
        given.putAll(extra);
        return RedisHaProvider.inputs(given).toArgs("redis-ha.jar").validate("schema-test");
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
