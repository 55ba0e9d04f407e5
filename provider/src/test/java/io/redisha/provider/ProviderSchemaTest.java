package io.redisha.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pulumi.core.Output;
import com.pulumi.provider.internal.properties.PropertyValue;
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
