package io.redisha.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dev stack's cluster (stacks/Pulumi.dev.yaml) under the real Pulumi engine, as a YAML program
 * through the component provider, against the AWS provider double: create, an unchanged second up,
 * scale out (3 to 5 masters, then 1 to 2 replicas) and the two-phase scale in. Expected resources
 * come from the plan's node names, never from an earlier run's printout.
 */
class DevClusterEngineTest {
    static final String INSTANCE = "aws:ec2/instance:Instance";
    /** The only existing resources a layout change may update: the placement and the association that converges to it. */
    static final Set<String> LAYOUT_UPDATES = Set.of("aws:ssm/parameter:Parameter dev-placement",
            "aws:ssm/association:Association dev-converge-association");

    @BeforeAll
    static void engine() {
        EngineTools.requireOrFail();
    }

    @Test
    void engineCreateUnchangedUpScaleOutAndTwoPhaseScaleIn() {
        ClusterProgram program = ClusterProgram.fromStackConfig("dev");
        try (EngineProject project = program.start()) {
            // 1. preview, then up: only creates
            Preview first = project.preview();
            assertEquals(Set.of("create"), first.operations().keySet(), first.changes());
            assertEquals(instances(3, 1), new TreeSet<>(first.resources("create").stream().filter(r -> r.startsWith(INSTANCE)).toList()));
            project.up();
            project.takeCalls();
            JsonNode created = project.outputs();
            assertTrue(created.path("scalingPlan").asText().startsWith("new cluster: 3 masters x 1 replica"), created.toString());

            // 2. an immediate second up reports no changes at all
            project.ok("up", "--yes", "--expect-no-changes");
            assertEquals(List.of(), changingCalls(project.takeCalls()));

            // 3. passing the last deployment back (as a scale-out needs) changes no resource and no output
            project.writeProgram(program.withLastDeployment(created).yaml());
            Preview fed = project.preview();
            assertEquals(Set.of(), nonComponentChanges(fed), fed.changes());
            project.up();
            assertEquals(created, project.outputs());

            // 4. scale out 3 -> 5 masters: new nodes only, the placement and the association updated
            JsonNode grown = scaleOut(project, program.set("masters", 5), instances(5, 1), instances(3, 1));
            assertTrue(grown.path("scalingPlan").asText().contains("Nodes added:   node-3-0, node-3-1, node-4-0, node-4-1"),
                    grown.path("scalingPlan").asText());

            // 5. then 1 -> 2 replicas per master
            JsonNode replicated = scaleOut(project, program.withLastDeployment(grown).set("replicasPerMaster", 2),
                    instances(5, 2), instances(5, 1));

            // 6. scale in, phase 1 (2 -> 1 replicas): nothing deleted, the third members retiring
            project.writeProgram(program.withLastDeployment(replicated).set("replicasPerMaster", 1).yaml());
            Preview phase1 = project.preview();
            assertEquals(List.of(), phase1.resources("delete"), phase1.changes());
            assertEquals(List.of(), phase1.resources("replace"), phase1.changes());
            assertEquals(List.of(), phase1.resources("create"), phase1.changes());
            project.takeCalls();
            project.up();
            assertEquals(List.of(), ops(project.takeCalls(), "delete"));
            JsonNode retiring = project.outputs();
            Set<String> third = members(2);
            assertEquals(third, names(retiring.path("retiringNodes")));

            // 7. phase 2 (retiredNodesDrained): deletes exactly the drained instances
            project.writeProgram(program.withLastDeployment(retiring).set("retiredNodesDrained", true).yaml());
            Preview phase2 = project.preview();
            Set<String> drained = third.stream().map(n -> INSTANCE + " dev-" + n).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(drained, new TreeSet<>(phase2.resources("delete")), phase2.changes());
            assertEquals(List.of(), phase2.resources("create"), phase2.changes());
            assertEquals(List.of(), phase2.resources("replace"), phase2.changes());
            project.takeCalls();
            project.up();
            List<JsonNode> calls = project.takeCalls();
            assertEquals(drained, ops(calls, "delete").stream().map(c -> Preview.typeAndName(c.path("urn").asText()))
                    .collect(Collectors.toCollection(TreeSet::new)));
            assertEquals(List.of(), project.outputs().path("retiringNodes").findValuesAsText("name"));
        }
    }

    /** Applies the change: preview shows only creates of the new instances (plus layout updates), up does it. */
    private static JsonNode scaleOut(EngineProject project, ClusterProgram program, Set<String> after, Set<String> before) {
        project.writeProgram(program.yaml());
        Preview preview = project.preview();
        Set<String> newInstances = new TreeSet<>(after);
        newInstances.removeAll(before);
        assertEquals(newInstances, new TreeSet<>(preview.resources("create").stream().filter(r -> r.startsWith(INSTANCE)).toList()),
                preview.changes());
        assertEquals(List.of(), preview.resources("delete"), preview.changes());
        assertEquals(List.of(), preview.resources("replace"), preview.changes());
        assertTrue(LAYOUT_UPDATES.containsAll(nonComponentChanges(preview, "update")), preview.changes());
        project.takeCalls();
        project.up();
        List<JsonNode> calls = project.takeCalls();
        assertEquals(List.of(), ops(calls, "delete"));
        assertEquals(List.of(), calls.stream().filter(c -> c.path("replaces").size() > 0).toList());
        return project.outputs();
    }

    /** dev-node-S-M instances for every shard and member. */
    static Set<String> instances(int masters, int replicas) {
        Set<String> out = new TreeSet<>();
        for (int s = 0; s < masters; s++) {
            for (int m = 0; m <= replicas; m++) {
                out.add(INSTANCE + " dev-node-" + s + "-" + m);
            }
        }
        return out;
    }

    /** node-S-M for every shard of the 5-master cluster. */
    static Set<String> members(int member) {
        Set<String> out = new TreeSet<>();
        for (int s = 0; s < 5; s++) {
            out.add("node-" + s + "-" + member);
        }
        return out;
    }

    static Set<String> names(JsonNode nodes) {
        return new TreeSet<>(nodes.findValuesAsText("name"));
    }

    /** Steps other than same, leaving out the component itself and the stack (their inputs are the program's). */
    static Set<String> nonComponentChanges(Preview preview, String... ops) {
        Set<String> out = new TreeSet<>();
        for (JsonNode step : preview.json().path("steps")) {
            String op = step.path("op").asText();
            String resource = Preview.typeAndName(step.path("urn").asText());
            boolean wanted = ops.length == 0 ? !op.equals("same") : List.of(ops).contains(op);
            if (wanted && !resource.startsWith("redis-ha:index:RedisCluster ") && !resource.startsWith("pulumi:pulumi:Stack ")) {
                out.add(resource);
            }
        }
        return out;
    }

    static List<JsonNode> ops(List<JsonNode> calls, String op) {
        return calls.stream().filter(c -> c.path("op").asText().equals(op) && !c.path("preview").asBoolean()).toList();
    }

    /** Calls that change something in the double: creates, updates, deletes (not previews). */
    static List<String> changingCalls(List<JsonNode> calls) {
        return calls.stream().filter(c -> Set.of("create", "update", "delete").contains(c.path("op").asText()))
                .filter(c -> !c.path("preview").asBoolean())
                .map(c -> c.path("op").asText() + " " + Preview.typeAndName(c.path("urn").asText())).toList();
    }
}
