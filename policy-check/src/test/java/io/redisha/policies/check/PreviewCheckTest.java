package io.redisha.policies.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.policies.EnforcementLevel;
import io.redisha.policies.ShardChanges;
import io.redisha.policies.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-node-per-shard rule over {@code pulumi preview --json} steps. The previews are written
 * here in that output's shape (steps with op, urn, oldState/newState, diffReasons), for a 3x1
 * cluster: an image change that replaces every node, a type change on one node per shard, and the
 * first phase of a generation roll.
 */
class PreviewCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPE = "aws:ec2/instance:Instance";

    private static ObjectNode state(String node, int shard, String role) {
        ObjectNode state = JSON.createObjectNode();
        state.put("type", TYPE);
        ObjectNode inputs = state.putObject("inputs");
        inputs.put("instanceType", "r6i.large");
        ObjectNode tags = inputs.putObject("tags");
        tags.put("redis-ha:cluster", "prod");
        tags.put("redis-ha:node", node);
        tags.put("redis-ha:shard", String.valueOf(shard));
        tags.put("redis-ha:role", role);
        return state;
    }

    private static void step(ArrayNode steps, String op, String node, int shard, String role, String... reasons) {
        ObjectNode step = steps.addObject();
        String urn = "urn:pulumi:prod::redis-ha::redis-ha:index:RedisCluster$" + TYPE + "::prod-" + node;
        step.put("op", op);
        step.put("urn", urn);
        if (!op.equals("create")) {
            step.set("oldState", state(node, shard, role).put("urn", urn));
        }
        step.set("newState", state(node, shard, role).put("urn", urn));
        ArrayNode diff = step.putArray("diffReasons");
        for (String r : reasons) {
            diff.add(r);
        }
    }

    /** Every node of a 3x1 cluster with the same op and reasons. */
    private static ObjectNode everyNode(String op, String... reasons) {
        ObjectNode preview = JSON.createObjectNode();
        ArrayNode steps = preview.putArray("steps");
        for (int shard = 0; shard < 3; shard++) {
            step(steps, op, "node-" + shard + "-0", shard, "master", reasons);
            step(steps, op, "node-" + shard + "-1", shard, "replica", reasons);
        }
        return preview;
    }

    @Test
    void anImageChangeReplacingEveryNodeIsRefusedPerShard() {
        List<Violation> violations = ShardChanges.check(ShardChanges.fromPreview(everyNode("replace", "ami")), EnforcementLevel.MANDATORY);
        assertEquals(3, violations.size(), violations.toString());
        assertTrue(violations.get(0).message().contains("cluster prod shard 0: this change replaces or restarts 2 nodes at once"
                + " (node-0-0, node-0-1)"), violations.get(0).message());
        assertTrue(violations.get(0).message().contains("redis-ha:nodeGeneration +1"), violations.get(0).message());
    }

    @Test
    void aTypeChangeOnEveryNodeIsRefusedButOnOneNodePerShardIsNot() {
        assertEquals(3, ShardChanges.check(ShardChanges.fromPreview(everyNode("update", "instanceType")), EnforcementLevel.MANDATORY).size());
        ObjectNode onePerShard = JSON.createObjectNode();
        ArrayNode steps = onePerShard.putArray("steps");
        for (int shard = 0; shard < 3; shard++) {
            step(steps, "update", "node-" + shard + "-1", shard, "replica", "instanceType");
            step(steps, "same", "node-" + shard + "-0", shard, "master");
        }
        assertEquals(List.of(), ShardChanges.check(ShardChanges.fromPreview(onePerShard), EnforcementLevel.MANDATORY));
        // A tag-only update restarts nothing.
        assertEquals(List.of(), ShardChanges.check(ShardChanges.fromPreview(everyNode("update", "tags")), EnforcementLevel.MANDATORY));
    }

    @Test
    void theFirstPhaseOfAGenerationRollPasses() {
        ObjectNode preview = everyNode("update", "tags", "disableApiTermination");
        ArrayNode steps = (ArrayNode) preview.get("steps");
        for (int shard = 0; shard < 3; shard++) {
            step(steps, "create", "node-" + shard + "-0-g1", shard, "master");
            step(steps, "create", "node-" + shard + "-1-g1", shard, "replica");
        }
        assertEquals(List.of(), ShardChanges.check(ShardChanges.fromPreview(preview), EnforcementLevel.MANDATORY));
    }

    @Test
    void theOfflineCheckFailsAPreviewThatReplacesAShardAtOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("preview.json");
        Files.writeString(file, JSON.writeValueAsString(everyNode("replace", "ami")));
        OfflineCheckTest.Run run = OfflineCheckTest.check("--stack", "prod", "--preview-json", file.toString(), "--json");
        assertEquals(OfflineCheck.MANDATORY_VIOLATION, run.exit(), run.out() + run.err());
        long refused = 0;
        for (var v : JSON.readTree(run.out()).get("violations")) {
            refused += v.get("policy").asText().equals(ShardChanges.RULE) ? 1 : 0;
        }
        assertEquals(3, refused, run.out());
    }

    @Test
    void aRollInProgressIsJudgedOnTheNewGenerationOnly() {
        List<io.redisha.policies.ResourceView> safe = io.redisha.policies.Fixtures.safeCluster();
        List<io.redisha.policies.ResourceView> rolling = new java.util.ArrayList<>(safe);
        List<io.redisha.policies.ResourceView> untagged = new java.util.ArrayList<>(safe);
        for (io.redisha.policies.ResourceView r : safe) {
            if (r.is(io.redisha.policies.ResourceView.INSTANCE)) {
                // Old twins all in one zone: counted as nodes, they would break the zone rules.
                io.redisha.policies.ResourceView twin = io.redisha.policies.Fixtures.with(new io.redisha.policies.ResourceView(r.type(),
                        r.urn() + "-old", r.name() + "-old", r.properties()), "tags.redis-ha:zone", "us-east-1a");
                twin = io.redisha.policies.Fixtures.with(twin, "availabilityZone", "us-east-1a");
                untagged.add(twin);
                rolling.add(io.redisha.policies.Fixtures.with(twin, "tags.redis-ha:replaced", "true"));
            }
        }
        List<Violation> expected = io.redisha.policies.PolicyPack.standard().forStack("dev").evaluate(safe);
        assertEquals(expected, io.redisha.policies.PolicyPack.standard().forStack("dev").evaluate(rolling),
                "the old generation, tagged replaced, is left out of the cluster rules");
        assertTrue(io.redisha.policies.PolicyPack.standard().forStack("dev").evaluate(untagged).size() > expected.size(),
                "without the tag the twins would count as a second node set");
    }
}
