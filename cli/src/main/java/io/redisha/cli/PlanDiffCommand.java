package io.redisha.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.text.Table;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Plan;
import io.redisha.topology.PlanDiff;
import io.redisha.topology.SlotMove;
import io.redisha.topology.SlotRange;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", description = "What changes from one plan to another: nodes added and removed, slot moves, zone safety; "
        + "with --cluster, how many keys live in the moving slots now.")
final class PlanDiffCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "OLD", description = "Plan or placement JSON (e.g. from 'redis-ha plan --json').")
    Path oldFile;

    @Parameters(index = "1", paramLabel = "NEW", description = "Plan or placement JSON.")
    Path newFile;

    @Option(names = "--cluster", paramLabel = "HOST:PORT", description = "A node of the live cluster, to count the keys in the moving slots.")
    Optional<String> cluster = Optional.empty();

    @Override
    public Integer call() {
        PlanDiff diff = PlanDiff.between(read(oldFile, "OLD"), read(newFile, "NEW"));
        Map<SlotMove, Long> keys = new LinkedHashMap<>();
        if (cluster.isPresent()) {
            LiveCluster live = LiveCluster.load(NodeAddress.parse(cluster.get()), connection.credentials());
            TreeSet<Integer> slots = new TreeSet<>();
            diff.moves().forEach(m -> m.slots().forEach(r -> { for (int s = r.first(); s <= r.last(); s++) { slots.add(s); } }));
            Map<Integer, Long> counts = live.countKeys(slots, connection.credentials());
            for (SlotMove m : diff.moves()) {
                long n = 0;
                for (SlotRange r : m.slots()) {
                    for (int s = r.first(); s <= r.last(); s++) {
                        n += counts.getOrDefault(s, 0L);
                    }
                }
                keys.put(m, n);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode answer = Output.object();
            diff.added().forEach(answer.putArray("added")::add);
            diff.removed().forEach(answer.putArray("removed")::add);
            diff.recast().forEach(answer.putArray("recast")::add);
            ArrayNode moves = answer.putArray("moves");
            for (SlotMove m : diff.moves()) {
                ObjectNode node = moves.addObject();
                node.put("from", m.from());
                node.put("to", m.to());
                node.put("slots", m.slotCount());
                m.slots().forEach(r -> node.withArray("ranges").add(r.toString()));
                if (keys.containsKey(m)) {
                    node.put("keys", keys.get(m));
                }
            }
            answer.put("slotsMoved", diff.slotsMoved());
            if (cluster.isPresent()) {
                answer.put("keysMoving", keys.values().stream().mapToLong(Long::longValue).sum());
            }
            answer.set("zoneSafetyBefore", Output.tree(diff.before()));
            answer.set("zoneSafetyAfter", Output.tree(diff.after()));
            diff.toSurvive().ifPresent(fix -> answer.put("toSurvive", fix));
            out.println(Output.write(answer));
        } else {
            out.print(diff.toText());
            if (cluster.isPresent()) {
                Table table = new Table("FROM", "TO", "SLOTS", "KEYS NOW");
                keys.forEach((m, n) -> table.row(m.from(), m.to(), m.slotCount(), n));
                out.println("Keys in the moving slots now (" + cluster.get() + "): "
                        + keys.values().stream().mapToLong(Long::longValue).sum());
                out.print(table);
            }
        }
        out.flush();
        return RedisHaCli.OK;
    }

    /** A plan, or a placement (whose plan is used). */
    static Plan read(Path file, String which) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidOptionException(which, file, "a readable plan or placement JSON file (" + e.getMessage() + ")");
        }
        try {
            JsonNode tree = Output.JSON.readTree(text);
            return tree.has("plan") && tree.has("addresses") ? Placement.fromJson(text).plan() : Plan.fromJson(text);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidOptionException(which, file, "a plan or placement JSON, as 'redis-ha plan --json' prints (" + e.getMessage() + ")");
        }
    }

}
