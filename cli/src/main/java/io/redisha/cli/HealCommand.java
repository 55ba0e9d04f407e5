package io.redisha.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.cluster.HealPlan;
import io.redisha.cluster.Healer;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heal} and {@code local heal}: restore one master per zone after failovers with graceful CLUSTER FAILOVERs. */
final class HealCommand {
    private HealCommand() {
    }

    abstract static class Base implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--dry-run", description = "Print the failovers and stop.")
        boolean dryRun;

        @Option(names = "--timeout", defaultValue = "60", description = "Seconds each failover may take. Default: ${DEFAULT-VALUE}.")
        int timeoutSeconds;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        int heal(NodeAddress seed, Credentials credentials, Map<NodeAddress, String> zones) {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Healer healer = new Healer(credentials, zones, Duration.ofSeconds(timeoutSeconds));
            HealPlan.Result plan = healer.plan(seed);
            ObjectNode answer = Output.object();
            answer.put("dryRun", dryRun);
            answer.put("before", plan.before().summary());
            answer.put("after", plan.after().summary());
            ArrayNode failovers = answer.putArray("failovers");
            plan.failovers().forEach(f -> {
                ObjectNode o = failovers.addObject();
                o.put("promote", f.replica().label());
                o.put("promoteZone", f.replica().zone());
                o.put("demote", f.from().label());
                o.put("demoteZone", f.from().zone());
            });
            ArrayNode unfixable = answer.putArray("unfixable");
            plan.unfixable().forEach(unfixable::add);
            if (!json) {
                out.println("Live roles: " + plan.before().summary());
                out.println(plan.failovers().isEmpty()
                        ? (plan.unfixable().isEmpty() ? "No failover needed." : "No failover can fix this.")
                        : (dryRun ? "Would run " : "Running ") + io.redisha.text.Count.of(plan.failovers().size(), "failover") + ":");
                plan.failovers().forEach(f -> out.println("  " + f));
                out.println("After: " + plan.after().summary());
                plan.unfixable().forEach(u -> out.println("  ! " + u));
                out.flush();
            }
            if (dryRun) {
                if (json) {
                    out.println(Output.write(answer));
                    out.flush();
                }
                return plan.unfixable().isEmpty() ? RedisHaCli.OK : RedisHaCli.FAILED;
            }
            Healer.Outcome outcome = healer.heal(seed, plan, line -> {
                err.println("redis-ha heal: " + line);
                err.flush();
            });
            if (json) {
                ArrayNode done = answer.putArray("done");
                outcome.done().forEach(done::add);
                answer.put("ok", outcome.check().ok());
                answer.set("check", Output.tree(outcome.check().summary()));
                out.println(Output.write(answer));
            } else {
                outcome.done().forEach(d -> out.println("Done: " + d));
                out.println(outcome.check().summaryLine());
                outcome.check().failures().forEach(f -> out.println("  FAIL " + f.node() + ": " + f.message()));
            }
            out.flush();
            return outcome.check().ok() && plan.unfixable().isEmpty() ? RedisHaCli.OK : RedisHaCli.FAILED;
        }
    }

    @Command(name = "heal", description = {"After failovers, restore zone safety with the fewest graceful CLUSTER FAILOVERs.",
            "Promotes the right replicas so masters spread over the zones again; prints the plan first, then re-checks.",
            "Exit 1 if check fails afterwards, or when failovers cannot make the layout survive a zone loss."})
    static final class Remote extends Base {
        @Parameters(paramLabel = "HOST:PORT", description = "Any node of the cluster.")
        String seed;

        @Option(names = "--zones", required = true, split = ",", paramLabel = "HOST:PORT@ZONE", description = "Zone of every node.")
        List<String> zones;

        @picocli.CommandLine.Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Override
        public Integer call() {
            Map<NodeAddress, String> zoneMap = new LinkedHashMap<>();
            zones.stream().map(ZonedNode::parse).forEach(z -> zoneMap.put(z.address(), z.zone()));
            return heal(NodeAddress.parse(seed), connection.credentials(), zoneMap);
        }
    }

    @Command(name = "heal", description = "Heal the 'local up' cluster: zones and credentials from its state file.")
    static final class Local extends Base {
        @picocli.CommandLine.Mixin
        LocalDirOption dir = new LocalDirOption();

        @Override
        public Integer call() {
            LocalCluster cluster = dir.cluster();
            Map<NodeAddress, String> zones = new LocalFaults(cluster).zones();
            return heal(zones.keySet().iterator().next(), cluster.credentials(), zones);
        }
    }
}
