package io.redisha.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.Gson;
import com.pulumi.provider.internal.Metadata;
import com.pulumi.provider.internal.infer.ComponentAnalyzer;
import io.redisha.components.ClusterSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The package schema: what the SDK host infers from {@link RedisCluster} and {@link RedisClusterInputs},
 * completed with what inference cannot know: descriptions, defaults and secrets (read from each input's and
 * output's one declaration by {@link ClusterSchema}), and {@code scalingMoves} typed as any value (inference
 * turns {@code Object} into an empty object type).
 */
final class ProviderSchema {
    static final String PACKAGE = "redis-ha";
    static final String TOKEN = PACKAGE + ":index:RedisCluster";
    private static final String OBJECT_TYPE = PACKAGE + ":index:Object";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProviderSchema() {
    }

    static Metadata metadata() {
        return new Metadata(PACKAGE, ProviderMain.version(), "redis-ha");
    }

    static String json() {
        String inferred = new Gson().toJson(ComponentAnalyzer.generateSchema(metadata(), RedisCluster.class));
        try {
            ObjectNode schema = (ObjectNode) JSON.readTree(inferred);
            schema.put("description", "A zone-aware Redis Cluster on AWS EC2 across availability zones (redis-ha)");
            ObjectNode resource = (ObjectNode) schema.path("resources").path(TOKEN);
            resource.put("description", "A zone-aware Redis Cluster on EC2: one instance per planned node in its planned zone,"
                    + " the placement in SSM, and an SSM association that runs redis-ha converge.");
            document((ObjectNode) resource.path("inputProperties"), true);
            document((ObjectNode) resource.path("properties"), false);
            replaceObjectRefs(schema);
            if (schema.path("types").isObject()) {
                ((ObjectNode) schema.path("types")).remove(OBJECT_TYPE);
            }
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void document(ObjectNode properties, boolean inputs) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            ObjectNode spec = (ObjectNode) property.getValue();
            if (inputs) {
                ClusterSchema.InputSpec input = ClusterSchema.input(property.getKey())
                        .orElseThrow(() -> new IllegalStateException("input " + property.getKey() + " is no field of RedisClusterArgs"));
                spec.put("description", input.description());
                if (plainField(property.getKey())) {
                    spec.put("plain", true); // inference marks a list or map of plain values as an input
                }
                input.defaultValue().ifPresent(def -> spec.set("default", JSON.valueToTree(def)));
                if (input.secret()) {
                    spec.put("secret", true);
                }
            } else {
                ClusterSchema.OutputSpec output = ClusterSchema.OUTPUTS.stream().filter(o -> o.name().equals(property.getKey())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("output " + property.getKey() + " is no @ClusterOutput of RedisCluster"));
                spec.put("description", output.description());
            }
        }
    }

    /** Inputs that are not {@code Output}s must be known at preview, lists and maps included. */
    private static boolean plainField(String input) {
        for (java.lang.reflect.Field f : RedisClusterInputs.class.getDeclaredFields()) {
            com.pulumi.core.annotations.Import imported = f.getAnnotation(com.pulumi.core.annotations.Import.class);
            if (imported != null && imported.name().equals(input)) {
                return f.getType() != com.pulumi.core.Output.class;
            }
        }
        return false;
    }

    private static void replaceObjectRefs(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            if (object.path("$ref").asText().equals("#/types/" + OBJECT_TYPE)) {
                object.put("$ref", "pulumi.json#/Any");
            }
            object.elements().forEachRemaining(ProviderSchema::replaceObjectRefs);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(ProviderSchema::replaceObjectRefs);
        }
    }
}
