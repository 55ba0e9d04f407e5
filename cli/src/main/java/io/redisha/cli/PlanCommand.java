package io.redisha.cli;

import io.redisha.topology.Plan;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

// The synopsis is written out: --zones is required for 'plan' itself but cannot be declared required,
// or picocli would demand it for 'plan diff' too.
@Command(name = "plan", subcommands = {PlanDiffCommand.class, RollCommand.Plan.class},
        customSynopsis = {"redis-ha plan --zones=Z1,Z2,Z3[,...] [--masters=M] [--replicas=R] [--accept-zone-loss-risk] [--json]",
                "redis-ha plan diff OLD NEW [--cluster HOST:PORT] [--json]",
                "redis-ha plan roll HOST:PORT --replace OLD=NEW,... --zones HOST:PORT@ZONE,... [--json]"},
        description = "Show the zone-aware plan for M masters x R replicas over zones; touches no node.")
final class PlanCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--masters", defaultValue = "3", description = "Number of shards (masters), at least 3. Default: ${DEFAULT-VALUE}.")
    int masters;

    @Option(names = "--replicas", defaultValue = "1", description = "Replicas per master. Default: ${DEFAULT-VALUE}.")
    int replicas;

    // Not required=true: picocli would then demand it for "plan diff" too; call() checks it instead.
    @Option(names = "--zones", split = ",", description = "Required. Availability zones, e.g. us-east-1a,us-east-1b,us-east-1c.")
    List<String> zones;

    @Option(names = "--accept-zone-loss-risk", description = "Plan a layout that does not survive losing a zone.")
    boolean acceptZoneLossRisk;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (zones == null || zones.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--zones=<zones>'");
        }
        Plan plan = Planner.plan(masters, replicas, zones, acceptZoneLossRisk ? ZoneLoss.ACCEPT_RISK : ZoneLoss.MUST_SURVIVE);
        spec.commandLine().getOut().print(json ? Output.write(Output.plan(plan)) + "\n" : plan.toTable(name -> ""));
        spec.commandLine().getOut().flush();
        return RedisHaCli.OK;
    }
}
