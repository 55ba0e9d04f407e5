package io.redisha.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.cluster.CheckReport;
import io.redisha.cluster.ClusterEngine;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ZonedNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check", description = "Check a live cluster: coverage, open slots, agreement, replica links, zones and hosts. Exit 1 on any FAIL.")
final class CheckCommand extends ClusterCommand {
    @Parameters(arity = "1..*", paramLabel = "HOST:PORT", description = "One or more nodes of the cluster (the rest are discovered).")
    List<String> seeds;

    @Option(names = "--zones", split = ",", paramLabel = "HOST:PORT@ZONE", description = "Zone of each node, to check zone safety of the live roles.")
    List<String> zones = List.of();

    @Override
    public Integer call() {
        List<NodeAddress> addresses = seeds.stream().map(NodeAddress::parse).toList();
        Map<NodeAddress, String> zoneMap = new LinkedHashMap<>();
        zones.stream().map(ZonedNode::parse).forEach(z -> zoneMap.put(z.address(), z.zone()));
        CheckReport report = new ClusterEngine().check(addresses, zoneMap, connection.credentials());
        print(spec.commandLine().getOut(), report, json);
        return report.ok() ? RedisHaCli.OK : RedisHaCli.FAILED;
    }

    static void print(java.io.PrintWriter out, CheckReport report, boolean json) {
        if (json) {
            ObjectNode answer = Output.object();
            answer.put("ok", report.ok());
            answer.set("summary", Output.tree(report.summary()));
            answer.set("findings", Output.tree(report.findings()));
            out.println(Output.write(answer));
        } else {
            out.print(report.toTable());
        }
        out.flush();
    }
}
