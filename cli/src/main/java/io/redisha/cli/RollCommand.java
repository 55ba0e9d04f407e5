package io.redisha.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Roller;
import io.redisha.cluster.transport.Credentials;
import io.redisha.local.LocalCluster;
import io.redisha.local.LocalFaults;
import io.redisha.text.Table;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.RollOrder;
import io.redisha.topology.ZonedNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code roll}, {@code plan roll} and {@code local roll}: replace nodes one at a time, replicas first, masters by graceful handover. */
final class RollCommand {
    private RollCommand() {
    }

    abstract static class Base implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--timeout", defaultValue = "120", description = "Seconds each wait (join, sync, handover) may take. Default: ${DEFAULT-VALUE}.")
        int timeoutSeconds;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** Prints the order; with {@code dryRun} stops there, else rolls and prints what was done. */
        int run(Roller roller, List<Roller.Replacement> replacements, List<RollOrder.Step> steps, boolean dryRun,
                Roller.Retirement retirement, Runnable afterRoll) {
            ObjectNode answer = Output.object();
            answer.put("dryRun", dryRun);
            answer.set("steps", steps(steps));
            if (!json) {
                out().println((dryRun ? "Would replace " : "Replacing ") + steps.size() + " nodes, one at a time (replicas first;"
                        + " a master hands its slots to its replacement with a graceful CLUSTER FAILOVER):");
                out().print(RollOrder.toTable(steps));
                out().flush();
            }
            if (dryRun) {
                if (json) {
                    out().println(Output.write(answer));
                    out().flush();
                }
                return RedisHaCli.OK;
            }
            Roller.Outcome outcome;
            try (Progress progress = new Progress(spec.commandLine().getErr(), json)) {
                outcome = roller.roll(replacements, retirement, progress);
            }
            afterRoll.run();
            if (json) {
                ArrayNode done = answer.putArray("done");
                outcome.done().forEach(done::add);
                ArrayNode handovers = answer.putArray("handovers");
                outcome.handovers().forEach(h -> {
                    ObjectNode o = handovers.addObject();
                    o.put("shard", h.shard());
                    o.put("from", h.from().toString());
                    o.put("to", h.to().toString());
                    o.put("millis", h.took().toMillis());
                });
                ArrayNode heal = answer.putArray("heal");
                outcome.heal().forEach(heal::add);
                answer.put("ok", outcome.check().ok());
                answer.set("check", Output.tree(outcome.check().summary()));
                out().println(Output.write(answer));
            } else {
                Table handovers = new Table("SHARD", "FROM", "TO", "HANDOVER MS");
                outcome.handovers().forEach(h -> handovers.row(h.shard(), h.from(), h.to(), h.took().toMillis()));
                out().println("Done: " + outcome.done().size() + " changes.");
                if (!handovers.isEmpty()) {
                    out().print(handovers);
                }
                outcome.heal().forEach(h -> out().println("Heal: " + h));
                out().println(outcome.check().summaryLine());
                outcome.check().failures().forEach(f -> out().println("  FAIL " + f.node() + ": " + f.message()));
            }
            out().flush();
            return outcome.check().ok() ? RedisHaCli.OK : RedisHaCli.FAILED;
        }

        private static ArrayNode steps(List<RollOrder.Step> steps) {
            ArrayNode array = Output.JSON.createArrayNode();
            steps.forEach(s -> {
                ObjectNode o = array.addObject();
                o.put("step", s.number());
                o.put("role", s.replacement().role().label());
                o.put("old", s.replacement().old());
                o.put("new", s.replacement().replacement());
                o.put("shard", s.replacement().shard());
                o.put("zone", s.replacement().zone());
                o.put("handover", s.handover());
            });
            return array;
        }
    }

    /** What {@code roll} and {@code plan roll} share: the cluster, the pairs, the zones. */
    static final class Target {
        @Parameters(paramLabel = "HOST:PORT", description = "Any node of the cluster.")
        String seed;

        @Option(names = "--replace", required = true, split = ",", paramLabel = "OLD=NEW",
                description = "Node to replace and its new, empty node (same zone), both HOST:PORT; repeat or separate with commas.")
        List<String> replace;

        @Option(names = "--zones", required = true, split = ",", paramLabel = "HOST:PORT@ZONE", description = "Zone of every current node.")
        List<String> zones;

        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        List<Roller.Replacement> replacements() {
            return replace.stream().map(Roller.Replacement::parse).toList();
        }

        Roller roller(int timeoutSeconds) {
            Map<NodeAddress, String> zoneMap = new LinkedHashMap<>();
            zones.stream().map(ZonedNode::parse).forEach(z -> zoneMap.put(z.address(), z.zone()));
            return new Roller(connection.credentials(), zoneMap, Duration.ofSeconds(timeoutSeconds), java.util.Optional.of(NodeAddress.parse(seed)));
        }
    }

    @Command(name = "roll", description = {"Replace nodes one at a time without losing a write (replicas first, a graceful CLUSTER FAILOVER per master).",
            "Each new node joins the shard and zone of the node it replaces and syncs before that node is forgotten and reset.",
            "Never FORCE or TAKEOVER. Refuses an unhealthy cluster; rerun with the same arguments to resume. Ends with heal and check."})
    static final class Remote extends Base {
        @Mixin
        Target target = new Target();

        @Option(names = "--dry-run", description = "Print the order and handovers and stop.")
        boolean dryRun;

        @Option(names = "--shutdown-old", description = "After an old node left the cluster, SHUTDOWN NOSAVE it (default: keep it running, reset).")
        boolean shutdownOld;

        @Override
        public Integer call() {
            Roller roller = target.roller(timeoutSeconds);
            List<Roller.Replacement> replacements = target.replacements();
            Credentials credentials = target.connection.credentials();
            Roller.Retirement retirement = shutdownOld ? Roller.shutdown(credentials) : Roller.Retirement.KEEP;
            return run(roller, replacements, roller.plan(replacements), dryRun, retirement, () -> { });
        }
    }

    @Command(name = "roll", description = "The order and handovers of a roll (see 'redis-ha roll'), from the live roles; touches no node.")
    static final class Plan extends Base {
        @Mixin
        Target target = new Target();

        @Override
        public Integer call() {
            Roller roller = target.roller(timeoutSeconds);
            List<Roller.Replacement> replacements = target.replacements();
            return run(roller, replacements, roller.plan(replacements), true, Roller.Retirement.KEEP, () -> { });
        }
    }

    @Command(name = "roll", description = {"Move every node of the 'local up' cluster onto a new redis-server process, one at a time.",
            "A new generation on new ports, under the same roll as 'redis-ha roll'; old processes stop as they leave. Rerun to resume."})
    static final class Local extends Base {
        @Option(names = "--dir", paramLabel = "DIR", description = "The local cluster's directory. Default: .redis-ha/local")
        Path dir = LocalCluster.DEFAULT_DIR;

        @Option(names = "--dry-run", description = "Print the order and handovers and stop; starts nothing.")
        boolean dryRun;

        @Option(names = "--server", paramLabel = "PATH", description = {"redis-server or valkey-server executable of the new generation"
                + " (default: each node's own). Refused before anything starts when it cannot load the running nodes' snapshots (a downgrade)."})
        java.util.Optional<String> server;

        @Override
        public Integer call() {
            LocalCluster cluster = new LocalCluster(dir, new ClusterEngine());
            Roller roller = new Roller(cluster.credentials(), new LocalFaults(cluster).zones(), Duration.ofSeconds(timeoutSeconds));
            List<Roller.Replacement> replacements;
            try (Progress progress = new Progress(spec.commandLine().getErr(), json)) {
                replacements = cluster.nextGeneration(!dryRun, server, progress);
            }
            return run(roller, replacements, roller.plan(replacements, !dryRun), dryRun, cluster::retire, cluster::finishRoll);
        }
    }
}
