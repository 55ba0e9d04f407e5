package io.redisha.policies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rule a resource view cannot judge, because it needs the old state: a change must not replace
 * or restart more than one Redis node of a shard at once. Judged over the steps of
 * {@code pulumi preview --json}: an Instance step that replaces it ({@code replace},
 * {@code create-replacement}, {@code delete-replaced}) or updates a property EC2 applies only by a
 * stop and start (instance type, user data), grouped by the {@code redis-ha:cluster} and
 * {@code redis-ha:shard} tags. The redis-ha fix is a new node generation (a rolling replacement).
 */
public final class ShardChanges {
    public static final String RULE = "one-node-per-shard-at-a-time";
    public static final String DESCRIPTION = "A change replaces or restarts at most one Redis node per shard (roll instead)";
    /** Instance properties whose update stops and starts the instance, or replaces it. */
    static final Set<String> RESTARTING = Set.of("instanceType", "userData", "userDataBase64", "ami");
    private static final Set<String> REPLACING = Set.of("replace", "create-replacement", "delete-replaced");

    /** One Instance step of a preview. */
    public record Step(String op, String urn, String name, Map<String, String> tags, List<String> diffReasons) {
        boolean disrupts() {
            return REPLACING.contains(op) || op.equals("update") && diffReasons.stream().anyMatch(RESTARTING::contains);
        }

        boolean isRedisNode() {
            return tags.containsKey(ClusterFacts.ROLE_TAG);
        }
    }

    private ShardChanges() {
    }

    /** The Instance steps of {@code pulumi preview --json} output. */
    public static List<Step> fromPreview(JsonNode preview) {
        List<Step> steps = new ArrayList<>();
        for (JsonNode step : preview.path("steps")) {
            JsonNode state = step.path("newState").isMissingNode() || step.path("newState").isNull() ? step.path("oldState") : step.path("newState");
            String urn = step.path("urn").asText();
            String type = state.path("type").asText(urn.contains("::") ? urn.split("::")[2] : "");
            if (!type.equals(ResourceView.INSTANCE)) {
                continue;
            }
            Map<String, String> tags = new LinkedHashMap<>();
            JsonNode tagNode = state.path("inputs").path("tags");
            if (tagNode.isMissingNode() || tagNode.isNull()) {
                tagNode = step.path("oldState").path("inputs").path("tags");
            }
            tagNode.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
            List<String> reasons = new ArrayList<>();
            step.path("diffReasons").forEach(r -> reasons.add(r.asText()));
            step.path("replaceReasons").forEach(r -> reasons.add(r.asText()));
            steps.add(new Step(step.path("op").asText(), urn, urn.substring(urn.lastIndexOf("::") + 2), tags, reasons));
        }
        return steps;
    }

    public static List<Step> fromPreview(String json) {
        try {
            return fromPreview(new ObjectMapper().readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not the output of pulumi preview --json: " + e.getMessage(), e);
        }
    }

    /** A violation per shard with more than one node replaced or restarted by this change. */
    public static List<Violation> check(List<Step> steps, EnforcementLevel level) {
        Map<String, Set<String>> nodesByShard = new TreeMap<>();
        Map<String, Step> firstByShard = new LinkedHashMap<>();
        for (Step s : steps) {
            if (!s.isRedisNode() || !s.disrupts()) {
                continue;
            }
            String shard = "cluster " + s.tags().getOrDefault(ClusterFacts.CLUSTER_TAG, "?") + " shard "
                    + s.tags().getOrDefault(ClusterFacts.SHARD_TAG, "?");
            nodesByShard.computeIfAbsent(shard, k -> new TreeSet<>()).add(s.tags().getOrDefault(ClusterFacts.NODE_TAG, s.name()));
            firstByShard.putIfAbsent(shard, s);
        }
        List<Violation> violations = new ArrayList<>();
        nodesByShard.forEach((shard, nodes) -> {
            if (nodes.size() > 1) {
                Step s = firstByShard.get(shard);
                violations.add(new Violation(RULE, level, DESCRIPTION, s.urn(), s.name(), ResourceView.INSTANCE, shard + ": this change"
                        + " replaces or restarts " + nodes.size() + " nodes at once (" + String.join(", ", nodes) + "), so the shard"
                        + " loses its data or goes dark; replace nodes by a rolling replacement instead (redis-ha:nodeGeneration +1,"
                        + " or `redis-ha roll`), one node of a shard at a time"));
            }
        });
        return violations;
    }
}
