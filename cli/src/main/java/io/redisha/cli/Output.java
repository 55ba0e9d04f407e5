package io.redisha.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.cluster.ConvergeResult;
import io.redisha.topology.Placement;
import io.redisha.topology.Plan;

/** JSON shapes of the CLI's answers, one place so every command speaks the same dialect. */
final class Output {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static JsonNode placement(Placement placement) {
        return read(placement.toJson());
    }

    static JsonNode plan(Plan plan) {
        return read(plan.toJson());
    }

    static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    static ObjectNode result(ConvergeResult result) {
        ObjectNode node = object();
        node.put("changed", result.changed());
        node.put("summary", result.summary());
        node.put("elapsedMillis", result.elapsed().toMillis());
        node.put("nodes", result.nodes());
        node.put("masters", result.masters());
        node.put("replicas", result.replicas());
        node.put("reached", result.reached().name());
        com.fasterxml.jackson.databind.node.ArrayNode actions = node.putArray("actions");
        result.actions().forEach(actions::add);
        return node;
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
