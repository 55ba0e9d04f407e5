package io.redisha.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.cluster.Drill;
import io.redisha.cluster.DrillReport;
import io.redisha.cluster.Faults;
import io.redisha.cluster.ShutdownFaults;
import io.redisha.cluster.transport.Credentials;
import io.redisha.local.LocalCluster;
import io.redisha.local.LocalFaults;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ZonedNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drill} (any cluster) and {@code local drill} (a 'local up' cluster): the guide's failover test, measured. */
final class DrillCommand {
    private DrillCommand() {
    }

    abstract static class Base implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--mode", defaultValue = "kill", description = "pause (DEBUG SLEEP, as the guide), kill (a master), zone (every node of a zone). Default: ${DEFAULT-VALUE}.")
        String mode;

        @Option(names = "--target", paramLabel = "HOST:PORT", description = "Master to pause or kill. Default: the master with the lowest address.")
        Optional<String> target = Optional.empty();

        @Option(names = "--zone", paramLabel = "ZONE", description = "Zone to lose with --mode zone. Default: the zone of that master.")
        Optional<String> zone = Optional.empty();

        @Option(names = "--duration-ms", description = "How long --mode pause freezes the master. Default: 3 x cluster-node-timeout.")
        Optional<Long> durationMs = Optional.empty();

        @Option(names = "--timeout", defaultValue = "60", description = "Seconds recovery and rejoin may each take. Default: ${DEFAULT-VALUE}.")
        int timeoutSeconds;

        @Option(names = "--max-writes", defaultValue = "1000000", description = "Bound of the concurrent writer. Default: ${DEFAULT-VALUE}.")
        long maxWrites;

        @Option(names = "--json", description = "Print JSON (progress goes to stderr).")
        boolean json;

        @Option(names = "--heal", description = "After the drill, run heal when the promoted replicas left a zone with too many masters.")
        boolean heal;

        /** How to heal this cluster by hand, for the advice at the end of a drill. */
        abstract String healCommand();

        Drill.Options options() {
            Drill.Mode m;
            try {
                m = Drill.Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidOptionException("mode", mode, "pause, kill or zone");
            }
            if (timeoutSeconds < 1 || maxWrites < 1) {
                throw new InvalidOptionException("timeout/max-writes", timeoutSeconds + "/" + maxWrites, "positive numbers");
            }
            if (m != Drill.Mode.ZONE && zone.isPresent()) {
                throw new InvalidOptionException("zone", zone.get(), "only with --mode zone");
            }
            if (m == Drill.Mode.ZONE && target.isPresent()) {
                throw new InvalidOptionException("target", target.get(), "only with --mode pause or kill; use --zone with --mode zone");
            }
            return new Drill.Options(m, target.map(NodeAddress::parse), zone, durationMs.map(Duration::ofMillis),
                    Duration.ofSeconds(timeoutSeconds), maxWrites);
        }

        int drill(NodeAddress seed, Credentials credentials, Map<NodeAddress, String> zones, Faults faults, boolean confirmKill) {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Drill.Options o = options();
            Drill drill = new Drill(credentials, zones, faults, line -> {
                err.println("redis-ha drill: " + line);
                err.flush();
            });
            Drill.Prepared prepared = drill.prepare(seed, o);
            if (o.mode() != Drill.Mode.PAUSE && !confirmKill) {
                throw new InvalidOptionException("allow-shutdown", "(not given)", "--allow-shutdown to really do this on remote nodes: "
                        + prepared.description() + ". The nodes stay down until you start them; their replicas take over. "
                        + "On a local cluster use 'redis-ha local drill', which restarts them");
            }
            err.println("redis-ha drill: about to " + prepared.description() + ", under a concurrent writer");
            err.flush();
            DrillReport report = drill.run(seed, prepared, o);
            ObjectNode answer = Output.object();
            answer.put("ok", report.ok());
            answer.put("plan", prepared.description());
            answer.set("report", json(report));
            if (!json) {
                out.println("Drill: " + prepared.description());
                out.print(report.toTable());
            }
            boolean healthy = zonesAfter(zones, credentials, answer, out, err);
            if (json) {
                out.println(Output.write(answer));
            }
            out.flush();
            return report.ok() && healthy ? RedisHaCli.OK : RedisHaCli.FAILED;
        }

        /**
         * A drill that passed can leave two masters in one zone (the promoted replica's): say so, and
         * heal it with {@code --heal}. False only when a requested heal did not leave the cluster healthy.
         */
        private boolean zonesAfter(Map<NodeAddress, String> zones, Credentials credentials, ObjectNode answer,
                                   PrintWriter out, PrintWriter err) {
            if (zones.isEmpty()) {
                return true;
            }
            io.redisha.cluster.Healer healer = new io.redisha.cluster.Healer(credentials, zones, Duration.ofSeconds(timeoutSeconds));
            Optional<NodeAddress> seed = Optional.empty();
            Optional<io.redisha.cluster.HealPlan.Result> plan = Optional.empty();
            for (NodeAddress a : zones.keySet()) {
                try {
                    plan = Optional.of(healer.plan(a));
                    seed = Optional.of(a);
                    break;
                } catch (RuntimeException e) {
                    // that node is down (a remote drill leaves its targets stopped); try the next
                }
            }
            if (plan.isEmpty()) {
                return true;
            }
            io.redisha.topology.ZoneSafety now = plan.get().before();
            answer.put("zoneSafetyAfterDrill", now.summary());
            answer.put("zoneSafeAfterDrill", now.survivesZoneLoss());
            if (now.survivesZoneLoss()) {
                if (!json) {
                    out.println("Zone safety after the drill: " + now.summary());
                }
                return true;
            }
            if (!heal) {
                String advice = "the promoted replica left a zone with too many masters: losing that zone now stops failover;"
                        + " run '" + healCommand() + "', or drill with --heal";
                answer.put("next", advice);
                if (!json) {
                    out.println("Zone safety after the drill: " + now.summary());
                    out.println("  ! The drill passed, but " + advice);
                }
                return true;
            }
            io.redisha.cluster.Healer.Outcome healed = healer.heal(seed.get(), plan.get(), line -> {
                err.println("redis-ha heal: " + line);
                err.flush();
            });
            ArrayNode done = answer.putArray("healed");
            healed.done().forEach(done::add);
            answer.put("zoneSafetyAfterHeal", healed.check().summary().zoneSafety());
            if (!json) {
                out.println("Zone safety after the drill: " + now.summary());
                healed.done().forEach(d -> out.println("Healed: " + d));
                out.println(healed.check().summaryLine());
            }
            return healed.check().ok() && plan.get().unfixable().isEmpty();
        }
    }

    /** Optionals become absent fields: null means "did not happen". */
    static ObjectNode json(DrillReport r) {
        ObjectNode node = Output.object();
        node.put("mode", r.mode());
        r.targets().forEach(node.putArray("targets")::add);
        com.fasterxml.jackson.databind.node.ArrayNode failovers = node.putArray("failovers");
        for (DrillReport.Failover f : r.failovers()) {
            ObjectNode o = failovers.addObject();
            o.put("oldMaster", f.oldMaster());
            o.put("oldMasterZone", f.oldMasterZone());
            o.put("slots", f.slots());
            f.promoted().ifPresent(p -> o.put("promoted", p));
            f.promotedZone().ifPresent(z -> o.put("promotedZone", z));
        }
        r.recoveryMillis().ifPresent(ms -> node.put("recoveryMillis", ms));
        node.put("writesAcknowledged", r.writesAcknowledged());
        node.put("writesFailed", r.writesFailed());
        node.put("lostWritesCount", r.lostWritesCount());
        r.lostWrites().forEach(node.putArray("lostWrites")::add);
        r.rejoinMillis().ifPresent(ms -> node.put("rejoinMillis", ms));
        r.rejoined().forEach(node.putArray("rejoined")::add);
        r.notes().forEach(node.putArray("notes")::add);
        node.put("ok", r.ok());
        return node;
    }

    @Command(name = "drill", description = {
            "Failover drill under a concurrent writer: pause or kill a master, or lose a zone; measure the recovery.",
            "Reports time to recovery, writes failed and acknowledged writes lost, and which replica was promoted in which zone.",
            "Remote kill/zone use SHUTDOWN NOSAVE and need --allow-shutdown (destructive); pause needs enable-debug-command.",
            "For 'local up' clusters use 'redis-ha local drill', which also restarts the killed nodes."})
    static final class Remote extends Base {
        @Parameters(paramLabel = "HOST:PORT", description = "Any node of the cluster.")
        String seed;

        @Option(names = "--zones", split = ",", paramLabel = "HOST:PORT@ZONE", description = "Zone of each node (needed for --mode zone).")
        List<String> zones = List.of();

        @picocli.CommandLine.Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Option(names = "--allow-shutdown", description = "Really SHUTDOWN NOSAVE the chosen nodes (kill and zone modes).")
        boolean allowShutdown;

        @Override
        String healCommand() {
            return "redis-ha heal " + seed + " --zones ...";
        }

        @Override
        public Integer call() {
            Credentials credentials = connection.credentials();
            Map<NodeAddress, String> zoneMap = new LinkedHashMap<>();
            zones.stream().map(ZonedNode::parse).forEach(z -> zoneMap.put(z.address(), z.zone()));
            return drill(NodeAddress.parse(seed), credentials, zoneMap, new ShutdownFaults(credentials), allowShutdown);
        }
    }

    @Command(name = "drill", description = {
            "Failover drill on the 'local up' cluster, with zones, pids and credentials from its state file.",
            "Killed nodes (SIGKILL) are restarted and must rejoin as replicas. Then 'redis-ha local heal' restores the zones."})
    static final class Local extends Base {
        @picocli.CommandLine.Mixin
        LocalDirOption dir = new LocalDirOption();

        @Override
        String healCommand() {
            return "redis-ha local heal";
        }

        @Override
        public Integer call() {
            LocalCluster cluster = dir.cluster();
            LocalFaults faults = new LocalFaults(cluster);
            NodeAddress seed = faults.zones().keySet().stream().filter(a -> isUp(cluster, a)).findFirst()
                    .orElseThrow(() -> new io.redisha.cluster.transport.ClusterRefusedException("no local node is running",
                            List.of("run 'redis-ha local up' first")));
            return drill(seed, cluster.credentials(), faults.zones(), faults, true);
        }

        private static boolean isUp(LocalCluster cluster, NodeAddress a) {
            return cluster.requireState().nodes().stream().anyMatch(n -> n.port() == a.port() && cluster.isRunning(n));
        }
    }
}
