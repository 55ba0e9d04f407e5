package io.redisha.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.Gson;
import com.pulumi.provider.internal.Metadata;
import com.pulumi.provider.internal.infer.ComponentAnalyzer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The package schema: what the SDK host infers from {@link RedisCluster} and {@link RedisClusterInputs},
 * completed with what inference cannot know: descriptions and defaults ({@link Docs}), and
 * {@code scalingMoves} typed as any value (inference turns {@code Object} into an empty object type).
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
                Docs.Input doc = Docs.INPUTS.get(property.getKey());
                if (doc == null) {
                    throw new IllegalStateException("input " + property.getKey() + " has no entry in Docs");
                }
                spec.put("description", doc.description());
                if (plainField(property.getKey())) {
                    spec.put("plain", true); // inference marks a list or map of plain values as an input
                }
                if (doc.defaultValue() != null) {
                    spec.set("default", JSON.valueToTree(doc.defaultValue()));
                }
                if (property.getKey().equals("authPassword") || property.getKey().equals("tlsPrivateKey")) {
                    spec.put("secret", true);
                }
            } else {
                String doc = Docs.OUTPUTS.get(property.getKey());
                if (doc == null) {
                    throw new IllegalStateException("output " + property.getKey() + " has no entry in Docs");
                }
                spec.put("description", doc);
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
