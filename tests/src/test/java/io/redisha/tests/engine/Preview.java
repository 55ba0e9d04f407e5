package io.redisha.tests.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The steps of a {@code pulumi preview --json}, by operation. */
record Preview(JsonNode json) {
    /** {@code type name} of every step with operation {@code op} (create, update, replace, delete, same...). */
    List<String> resources(String op) {
        List<String> out = new ArrayList<>();
        for (JsonNode step : json.path("steps")) {
            if (step.path("op").asText().equals(op)) {
                out.add(typeAndName(step.path("urn").asText()));
            }
        }
        return out;
    }

    /** How many steps each operation has, e.g. {create=4, same=36, update=2}. */
    Map<String, Integer> operations() {
        Map<String, Integer> ops = new TreeMap<>();
        for (JsonNode step : json.path("steps")) {
            ops.merge(step.path("op").asText(), 1, Integer::sum);
        }
        return ops;
    }

    /** Names of the resources with an operation other than same, for messages. */
    String changes() {
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode step : json.path("steps")) {
            if (!step.path("op").asText().equals("same")) {
                out.add(step.path("op").asText() + " " + typeAndName(step.path("urn").asText()));
            }
        }
        return String.join("\n", out);
    }

    /** {@code aws:ec2/instance:Instance dev-node-3-0} from a URN. */
    static String typeAndName(String urn) {
        String[] parts = urn.split("::");
        String qualifiedType = parts[parts.length - 2];
        String type = qualifiedType.substring(qualifiedType.lastIndexOf('$') + 1);
        return type + " " + parts[parts.length - 1];
    }
}
