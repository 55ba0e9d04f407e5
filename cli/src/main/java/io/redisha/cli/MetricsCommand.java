package io.redisha.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.aws.CloudWatchMetrics;
import io.redisha.cluster.monitor.ClusterMetrics;
import io.redisha.text.Count;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ZonedNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "metrics", description = "Measure a live cluster's health (state, slots, roles, replication links and lag,"
        + " current epoch, zone safety); optionally publish to CloudWatch. Exit 1 when the cluster state is not ok"
        + " or, with --zones, the loss of a zone is not survivable.")
final class MetricsCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "A node of the cluster (the rest are discovered).")
    String seed;

    @Option(names = "--zones", split = ",", paramLabel = "HOST:PORT@ZONE", description = "Zone of each node, for MaxMastersInOneZone and SurvivesZoneLoss.")
    List<String> zones = List.of();

    @Option(names = "--publish", paramLabel = "NAMESPACE", description = "Also put the metrics to CloudWatch under this namespace (e.g. RedisHA).")
    Optional<String> namespace = Optional.empty();

    @Option(names = "--cluster-name", paramLabel = "NAME", description = "Value of the ClusterName dimension when publishing (default: the seed HOST:PORT).")
    Optional<String> clusterName = Optional.empty();

    @Option(names = "--placement-ssm", paramLabel = "NAME", description = "SSM parameter holding the placement JSON; its zones are used as --zones (on a node: the stack's placement parameter).")
    Optional<String> placementSsm = Optional.empty();

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region to publish to (default: AWS_REGION, the profile or the instance's region).")
    Optional<String> region = Optional.empty();

    @Option(names = "--watchdog-state", split = ",", paramLabel = "FILE", description = "State file(s) of 'redis-ha watchdog --state': adds the watchdogs' action counts (summed).")
    List<java.nio.file.Path> watchdogStates = List.of();

    @Override
    public Integer call() {
        NodeAddress address = NodeAddress.parse(seed);
        Map<NodeAddress, String> zoneMap = new LinkedHashMap<>();
        zones.stream().map(ZonedNode::parse).forEach(z -> zoneMap.put(z.address(), z.zone()));
        if (namespace.isPresent() && namespace.get().isBlank()) {
            throw new InvalidOptionException("publish", namespace.get(), "a CloudWatch namespace such as RedisHA");
        }
        // Validated before any node is asked: publishing needs a region.
        Optional<String> publishRegion = namespace.map(ns -> CloudWatchMetrics.region(region));
        io.redisha.cluster.transport.Credentials credentials = connection.credentials();
        if (placementSsm.isPresent()) {
            try (io.redisha.aws.SsmParameters ssm = io.redisha.aws.SsmParameters.fromEnvironment()) {
                io.redisha.topology.Placement.fromJson(ssm.read(placementSsm.get())).zoneByAddress().forEach(zoneMap::putIfAbsent);
            }
        }
        Optional<io.redisha.cluster.monitor.WatchdogCounts> watchdog = watchdogStates.isEmpty() ? Optional.empty() : Optional.of(watchdogStates.stream()
                .map(f -> io.redisha.cluster.monitor.WatchdogCounts.read(f).orElseThrow(() -> new InvalidOptionException("watchdog-state", f,
                        "a state file a running 'redis-ha watchdog --state' wrote")))
                .reduce(io.redisha.cluster.monitor.WatchdogCounts.ZERO, io.redisha.cluster.monitor.WatchdogCounts::plus));
        ClusterMetrics collected = ClusterMetrics.collect(address, zoneMap, credentials);
        ClusterMetrics metrics = watchdog.map(collected::withWatchdog).orElse(collected);
        String name = clusterName.orElse(address.toString());
        namespace.ifPresent(ns -> {
            try (CloudWatchMetrics cloudWatch = CloudWatchMetrics.fromEnvironment(publishRegion.orElseThrow())) {
                cloudWatch.publish(ns, name, metrics.values());
            }
        });
        java.io.PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode answer = Output.object();
            answer.put("ok", metrics.ok());
            answer.put("nodes", metrics.nodes());
            answer.put("reachable", metrics.reachable());
            ObjectNode values = answer.putObject("metrics");
            metrics.values().forEach((k, v) -> values.put(k, v.longValue()));
            if (!metrics.zoneSafety().isEmpty()) {
                answer.put("zoneSafety", metrics.zoneSafety());
            }
            namespace.ifPresent(ns -> {
                answer.put("publishedTo", ns);
                answer.put("clusterName", name);
            });
            out.println(Output.write(answer));
        } else {
            out.print(metrics.toTable());
            namespace.ifPresent(ns -> out.println("Published " + Count.of(metrics.values().size(), "metric") + " to CloudWatch namespace "
                    + ns + " (ClusterName=" + name + ")"));
        }
        out.flush();
        return metrics.ok() ? RedisHaCli.OK : RedisHaCli.FAILED;
    }
}
