package io.redisha.tests.engine;

import static io.redisha.tests.engine.DevClusterEngineTest.INSTANCE;
import static io.redisha.tests.engine.DevClusterEngineTest.LAYOUT_UPDATES;
import static io.redisha.tests.engine.DevClusterEngineTest.changingCalls;
import static io.redisha.tests.engine.DevClusterEngineTest.nonComponentChanges;
import static io.redisha.tests.engine.DevClusterEngineTest.ops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisha.topology.Plan;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.RollOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rolling node replacement on the dev stack's cluster under the real Pulumi engine, through the
 * component provider, against the AWS provider double: a new image alone changes no instance (the
 * component's ignoreChanges holds under the engine, and the state keeps the AMI the nodes run); raising
 * nodeGeneration (phase 1) only adds the new generation beside the old one and publishes the roll; phase 2
 * deletes exactly the old generation. Checked in {@code pulumi preview --json} and in the double's call log.
 */
class RollEngineTest {
    static final String NEW_AMI = "ami-0fedcba9876543210";
    /** What an in-place update of an old node may change in phase 1: its tags (the redis-ha:replaced mark). */
    static final Set<String> TAG_KEYS = Set.of("tags", "volumeTags");

    @BeforeAll
    static void engine() {
        EngineTools.requireOrFail();
    }

    @Test
    void engineNewImageIsHeldBackThenRolledThroughANewGenerationInTwoPhases() {
        ClusterProgram program = ClusterProgram.fromStackConfig("dev");
        try (EngineProject project = program.start()) {
            project.up();
            JsonNode created = project.outputs();
            assertEquals(List.of(0), generations(created));
            Set<String> gen0 = DevClusterEngineTest.instances(3, 1);
            Set<String> gen1 = gen0.stream().map(r -> r + "-g1").collect(Collectors.toCollection(TreeSet::new));

            // (a) a new image alone: no instance changes, in the preview, in the double, or in the state
            project.writeProgram(program.withLastDeployment(created).set("imageId", NEW_AMI).yaml());
            project.takeCalls();
            Preview image = project.preview();
            assertEquals(Set.of(), nonComponentChanges(image), image.changes());
            project.up();
            List<JsonNode> imageCalls = project.takeCalls();
            assertEquals(List.of(), changingCalls(imageCalls));
            assertEquals(instanceDiffs(gen0, Set.of()), instanceDiffChanges(imageCalls, gen0),
                    "the engine hands the double the old ami (ignoreChanges), so no instance diff changes anything");
            assertEquals(amis(gen0, ClusterProgram.AMI), instanceAmis(project), "the state keeps the AMI the nodes run");
            JsonNode held = project.outputs();
            assertEquals(without(created, "rollPlan"), without(held, "rollPlan"), "nothing else the component outputs depends on a held-back image");
            assertTrue(held.path("rollPlan").asText().contains("imageId " + ClusterProgram.AMI + " -> " + NEW_AMI
                    + " is carried by the next node generation: set nodeGeneration=1"), held.path("rollPlan").asText());

            // (b) phase 1: nodeGeneration 0 -> 1 creates generation 1 beside generation 0
            project.writeProgram(program.withLastDeployment(held).set("nodeGeneration", 1).yaml());
            Preview phase1 = project.preview();
            assertEquals(gen1, instanceSteps(phase1, "create"), phase1.changes());
            assertEquals(List.of(), phase1.resources("delete"), phase1.changes());
            assertEquals(List.of(), phase1.resources("replace"), phase1.changes());
            for (JsonNode step : phase1.json().path("steps")) {
                String resource = Preview.typeAndName(step.path("urn").asText());
                if (gen1.contains(resource)) {
                    assertEquals(NEW_AMI, step.path("newState").path("inputs").path("ami").asText(), resource + " runs the new image");
                }
                if (step.path("op").asText().equals("update") && gen0.contains(resource)) {
                    Set<String> reasons = texts(step.path("diffReasons"));
                    assertTrue(reasons.contains("tags") && TAG_KEYS.containsAll(reasons), resource + " changes only its tags: " + reasons);
                }
            }
            assertEquals(gen0, instanceSteps(phase1, "update"), "each old node is marked replaced, in place:\n" + phase1.changes());
            Set<String> otherUpdates = new TreeSet<>(nonComponentChanges(phase1, "update"));
            otherUpdates.removeAll(gen0);
            assertTrue(LAYOUT_UPDATES.containsAll(otherUpdates), phase1.changes());
            project.up();
            List<JsonNode> phase1Calls = project.takeCalls();
            assertEquals(List.of("attempt=0 converged"), convergeRuns(phase1Calls));
            assertEquals(List.of(), ops(phase1Calls, "delete"));
            assertEquals(List.of(), phase1Calls.stream().filter(c -> c.path("replaces").size() > 0).toList());
            assertEquals(gen1, new TreeSet<>(urns(ops(phase1Calls, "create")).stream().filter(r -> r.startsWith(INSTANCE + " ")).toList()));
            instanceDiffChanges(phase1Calls, gen0).forEach((resource, changes) ->
                    assertTrue(TAG_KEYS.containsAll(changes), resource + " changes only its tags: " + changes));
            Map<String, String> amis = amis(gen0, ClusterProgram.AMI);
            amis.putAll(amis(gen1, NEW_AMI));
            assertEquals(amis, instanceAmis(project));
            JsonNode rolling = project.outputs();
            assertEquals(List.of(0, 1), generations(rolling));
            assertRollPlanInOrder(rolling);

            // (b2) phase 1 applied again with a longer converge timeout, and that converge fails: up fails and
            // exports nothing new (the outputs still say the roll runs), yet phase 2 is refused on converge's record
            project.failNextConverges(1);
            project.writeProgram(program.withLastDeployment(rolling).set("convergeTimeoutSeconds", 1200).yaml());
            EngineProject.Run failedUp = project.run("up", "--yes", "--skip-preview");
            assertTrue(failedUp.exit() != 0, failedUp.both());
            assertEquals(List.of("attempt=0 failed"), convergeRuns(project.takeCalls()));
            assertEquals(rolling, project.outputs(), "a failed up exports nothing new");
            project.writeProgram(program.withLastDeployment(rolling).set("retiredGenerationDrained", true).yaml());
            EngineProject.Run early = project.run("preview");
            assertTrue(early.exit() != 0 && early.both().contains("retiredGenerationDrained=true deletes the 6 instances of"
                    + " generation 0, but the last converge run (attempt 0, failed"), early.both());
            assertFalse(early.both().contains("unhandled exception"), "one line, no stack trace:\n" + early.both());
            assertEquals(List.of(), ops(project.takeCalls(), "delete"));

            // (b3) `pulumi up` again at phase 1: the record asks for attempt 1, so the association runs converge again
            project.writeProgram(program.withLastDeployment(rolling).remove("retiredGenerationDrained").yaml());
            project.up();
            List<JsonNode> retried = project.takeCalls();
            assertEquals(List.of("attempt=1 converged"), convergeRuns(retried));
            assertEquals(List.of(), changingCalls(retried).stream().filter(c -> c.startsWith("delete") || c.contains(INSTANCE)).toList());
            project.up();
            assertEquals(List.of(), convergeRuns(project.takeCalls()), "after a converged run, up runs nothing again");
            rolling = project.outputs();

            // (c) phase 2: the roll confirmed done; exactly the generation-0 instances are deleted
            project.writeProgram(program.withLastDeployment(rolling).set("retiredGenerationDrained", true).yaml());
            Preview phase2 = project.preview();
            assertEquals(gen0, new TreeSet<>(phase2.resources("delete")), phase2.changes());
            assertEquals(List.of(), phase2.resources("create"), phase2.changes());
            assertEquals(List.of(), phase2.resources("replace"), phase2.changes());
            project.up();
            List<JsonNode> phase2Calls = project.takeCalls();
            assertEquals(gen0, new TreeSet<>(urns(ops(phase2Calls, "delete"))));
            assertEquals(List.of(), ops(phase2Calls, "create"));
            JsonNode rolled = project.outputs();
            assertEquals(List.of(1), generations(rolled));
            assertTrue(rolled.path("rollPlan").asText().startsWith("Roll finished"), rolled.path("rollPlan").asText());
            assertEquals(amis(gen1, NEW_AMI), instanceAmis(project));
        }
    }

    /**
     * A new cluster whose first converge fails is converged by the next {@code pulumi up}. Then abandoning
     * a roll under the engine: generation 1 is declared (phase 1), then nodeGeneration goes
     * back to 0: nothing is deleted or replaced, converge runs the handover back; with
     * retiredGenerationDrained=true only the generation-1 instances are deleted.
     */
    @Test
    void engineAbandonedRollDeletesOnlyTheNewGeneration() {
        ClusterProgram program = ClusterProgram.fromStackConfig("dev");
        try (EngineProject project = program.start()) {
            // the very first converge fails: no outputs are exported, and the next up still runs it again
            project.failNextConverges(1);
            EngineProject.Run failedFirst = project.run("up", "--yes", "--skip-preview");
            assertTrue(failedFirst.exit() != 0, failedFirst.both());
            assertEquals(List.of("attempt=0 failed"), convergeRuns(project.takeCalls()));
            project.up();
            List<JsonNode> second = project.takeCalls();
            assertEquals(List.of("attempt=1 converged"), convergeRuns(second), second.stream()
                    .filter(c -> c.path("type").asText().contains("ssm")).map(JsonNode::toString).collect(Collectors.joining("\n")));
            JsonNode created = project.outputs();
            Set<String> gen0 = DevClusterEngineTest.instances(3, 1);
            Set<String> gen1 = gen0.stream().map(r -> r + "-g1").collect(Collectors.toCollection(TreeSet::new));
            project.writeProgram(program.withLastDeployment(created).set("nodeGeneration", 1).yaml());
            project.up();
            JsonNode rolling = project.outputs();
            project.takeCalls();

            project.writeProgram(program.withLastDeployment(rolling).set("nodeGeneration", 0).yaml());
            Preview back = project.preview();
            assertEquals(List.of(), back.resources("delete"), back.changes());
            assertEquals(List.of(), back.resources("replace"), back.changes());
            assertEquals(List.of(), back.resources("create"), back.changes());
            project.up();
            // a new placement runs by itself; the attempt stays where the first deployment's retry left it
            assertEquals(List.of("attempt=1 converged"), convergeRuns(project.takeCalls()), "converge hands every node back");
            JsonNode abandoned = project.outputs();
            assertEquals(List.of(1, 0), generations(abandoned));
            assertTrue(abandoned.path("rollPlan").asText().startsWith("Abandoning the roll to generation 1"), abandoned.path("rollPlan").asText());

            project.writeProgram(program.withLastDeployment(abandoned).set("nodeGeneration", 0).set("retiredGenerationDrained", true).yaml());
            Preview drop = project.preview();
            assertEquals(gen1, new TreeSet<>(drop.resources("delete")), drop.changes());
            project.up();
            List<JsonNode> calls = project.takeCalls();
            assertEquals(gen1, new TreeSet<>(urns(ops(calls, "delete"))));
            assertEquals(List.of(0), generations(project.outputs()));
            assertEquals(amis(gen0, ClusterProgram.AMI), instanceAmis(project));
        }
    }

    /** The converge runs the double's association started, as {@code attempt=N outcome}. */
    static List<String> convergeRuns(List<JsonNode> calls) {
        List<String> runs = new ArrayList<>();
        calls.stream().filter(c -> c.path("op").asText().equals("run")).forEach(c -> {
            List<String> words = new ArrayList<>();
            c.path("changes").forEach(w -> words.add(w.asText()));
            runs.add(String.join(" ", words));
        });
        return runs;
    }

    /** The rollPlan output lists every replacement in the order RollOrder gives the plan's nodes: replicas first. */
    private static void assertRollPlanInOrder(JsonNode outputs) {
        String rollPlan = outputs.path("rollPlan").asText();
        Plan plan = Plan.fromJson(outputs.path("plan").asText());
        List<RollOrder.Replacement> replacements = new ArrayList<>();
        for (PlannedNode n : plan.nodes()) {
            replacements.add(new RollOrder.Replacement(n.name(), n.name() + "-g1", String.valueOf(n.shard()), n.role(), n.zone()));
        }
        List<String> expected = RollOrder.order(replacements).stream().map(RollOrder.Step::describe).toList();
        List<String> listed = rollPlan.lines().map(String::strip).filter(l -> l.startsWith("#")).toList();
        assertEquals(expected, listed, rollPlan);
        assertEquals(plan.nodes().size(), listed.size(), rollPlan);
        List<String> roles = listed.stream().map(l -> l.split(" ")[1]).toList();
        int firstMaster = roles.indexOf("master");
        assertTrue(firstMaster > 0 && roles.subList(firstMaster, roles.size()).stream().allMatch("master"::equals),
                "replicas first: " + roles);
    }

    private static JsonNode without(JsonNode outputs, String output) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = outputs.deepCopy();
        copy.remove(output);
        return copy;
    }

    private static List<Integer> generations(JsonNode outputs) {
        List<Integer> out = new ArrayList<>();
        outputs.path("nodeGenerations").forEach(g -> out.add(g.asInt()));
        return out;
    }

    private static Set<String> instanceSteps(Preview preview, String op) {
        return preview.resources(op).stream().filter(r -> r.startsWith(INSTANCE + " ")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> urns(List<JsonNode> calls) {
        return calls.stream().map(c -> Preview.typeAndName(c.path("urn").asText())).toList();
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    /** Every instance's diff calls in the log, by resource: the union of the keys they report changed or replaced. */
    private static Map<String, Set<String>> instanceDiffChanges(List<JsonNode> calls, Set<String> instances) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (JsonNode c : calls.stream().filter(c -> c.path("op").asText().equals("diff")).toList()) {
            String resource = Preview.typeAndName(c.path("urn").asText());
            if (instances.contains(resource)) {
                Set<String> keys = out.computeIfAbsent(resource, r -> new TreeSet<>());
                keys.addAll(texts(c.path("changes")));
                keys.addAll(texts(c.path("replaces")));
            }
        }
        assertEquals(instances, out.keySet(), "the engine diffs every instance");
        return out;
    }

    private static Map<String, Set<String>> instanceDiffs(Set<String> instances, Set<String> keys) {
        Map<String, Set<String>> out = new TreeMap<>();
        instances.forEach(i -> out.put(i, keys));
        return out;
    }

    private static Map<String, String> amis(Set<String> instances, String ami) {
        Map<String, String> out = new TreeMap<>();
        instances.forEach(i -> out.put(i, ami));
        return out;
    }

    /** The ami input of every instance in the stack's state ({@code pulumi stack export}). */
    private static Map<String, String> instanceAmis(EngineProject project) {
        try {
            JsonNode export = EngineProject.JSON.readTree(project.ok("stack", "export").out());
            Map<String, String> out = new TreeMap<>();
            for (JsonNode r : export.path("deployment").path("resources")) {
                if (r.path("type").asText().equals(INSTANCE)) {
                    out.put(Preview.typeAndName(r.path("urn").asText()), r.path("inputs").path("ami").asText());
                }
            }
            assertFalse(out.isEmpty(), "instances in the state");
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
