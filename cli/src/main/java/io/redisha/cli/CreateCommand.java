package io.redisha.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.ConvergeResult;
import io.redisha.topology.Placement;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import io.redisha.topology.ZonedNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Plan the given nodes by zone and form the cluster (idempotent: a second run changes nothing).")
final class CreateCommand extends ClusterCommand {
    @Parameters(arity = "1..*", paramLabel = "HOST:PORT@ZONE", description = "Every node and its availability zone.")
    List<String> nodes;

    @Option(names = "--replicas", required = true, description = "Replicas per master.")
    int replicas;

    @Option(names = "--accept-zone-loss-risk", description = "Form a layout that does not survive losing a zone.")
    boolean acceptZoneLossRisk;

    @Option(names = "--timeout", defaultValue = "60", description = "Seconds each wait (join, replica sync) may take. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--wait", defaultValue = "SERVING", paramLabel = "serving|configured",
            converter = ConvergeCommand.ReadinessConverter.class,
            description = "When a newly formed cluster is done: serving (cluster_state:ok everywhere, replica links up; default)"
                    + " or configured (members, slots and replicas agreed, where redis-cli --cluster create returns).")
    io.redisha.cluster.Readiness waitFor;

    @Override
    public Integer call() {
        List<ZonedNode> zoned = nodes.stream().map(ZonedNode::parse).toList();
        // Loaded once: the plan, the printed slot moves and the scaling all start from this view of the cluster.
        java.util.Optional<io.redisha.cluster.model.LiveCluster> serving = io.redisha.cluster.model.LiveCluster.loadServing(
                zoned.stream().map(ZonedNode::address).toList(), connection.credentials());
        // Nodes already in a serving cluster keep their planned names, so create on a bigger list grows it.
        Placement placement = io.redisha.cluster.Resharding.assign(zoned, replicas,
                acceptZoneLossRisk ? ZoneLoss.ACCEPT_RISK : ZoneLoss.MUST_SURVIVE, serving);
        int exit = ConvergeCommand.run(spec.commandLine().getOut(), spec.commandLine().getErr(), placement, serving,
                connection.credentials(), Duration.ofSeconds(timeoutSeconds), waitFor, json);
        // A 'local up' cluster grown or shrunk here: its state must name every member and zone, or status misjudges it.
        DevClusters.follow(placement, spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return exit;
    }
}
