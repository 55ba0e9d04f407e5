package io.redisha.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.cluster.monitor.InstanceHealth;
import io.redisha.cluster.monitor.Watchdog;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "watchdog", description = {
        "Runs beside a node until stopped and fails over a master that is certainly dead.",
        "Certainly dead: its process gone seen from two vantage points (client and bus port refuse this watchdog's",
        "connections while the host answers, and the chosen replica has lost its replication link), or with --ec2, its",
        "instance stopped, shutting down or terminated (a failing status check never counts). Then it asks the master's",
        "best replica (one that completed a sync) for CLUSTER FAILOVER FORCE (still voted by the masters) instead of",
        "waiting cluster-node-timeout. Never TAKEOVER, never while the master answers PING, one shard at a time, with a",
        "backoff. Logs one line per action; --state FILE keeps the counts for 'redis-ha metrics --watchdog-state FILE'."})
final class WatchdogCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "HOST:PORT", description = "The node(s) beside this watchdog; the rest of the cluster is discovered.")
    List<String> seeds;

    @Option(names = "--interval-ms", defaultValue = "100", description = "Time between two looks. Default: ${DEFAULT-VALUE}.")
    long intervalMs;

    @Option(names = "--confirmations", defaultValue = "2", description = "Consecutive looks that must find a master dead. Default: ${DEFAULT-VALUE}.")
    int confirmations;

    @Option(names = "--state", paramLabel = "FILE", description = "Write the action counts here after every action.")
    Optional<Path> state = Optional.empty();

    @Option(names = "--ec2", description = {"Also ask EC2 (DescribeInstances, DescribeInstanceStatus), in the background, whether a silent master's",
            "instance is stopped or terminated (on EC2 through the VPC's ec2 endpoint; AWS_ENDPOINT_URL overrides)."})
    boolean ec2;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--json", description = "One JSON object per action line.")
    boolean json;

    @Override
    public Integer call() {
        List<NodeAddress> addresses = seeds.stream().map(NodeAddress::parse).toList();
        if (intervalMs < 10 || intervalMs > 60_000) {
            throw new InvalidOptionException("interval-ms", intervalMs, "10..60000");
        }
        if (confirmations < 1 || confirmations > 100) {
            throw new InvalidOptionException("confirmations", confirmations, "1..100");
        }
        // --password-env/--password-ssm and TLS come from the shared connection options.
        Credentials credentials = connection.credentials();
        InstanceHealth health = ec2 ? io.redisha.aws.Ec2InstanceHealth.fromEnvironment() : InstanceHealth.NONE;
        Watchdog.Options d = Watchdog.Options.defaults();
        Watchdog.Options options = new Watchdog.Options(Duration.ofMillis(intervalMs), d.probeTimeoutMs(), confirmations,
                d.promotionWait(), d.backoff(), d.maxBackoff());
        PrintWriter out = spec.commandLine().getOut();
        Watchdog watchdog = new Watchdog(addresses, credentials, health, options, event -> print(out, event), state);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            watchdog.stop();
            try {
                main.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        synchronized (out) {
            out.println(json ? "{\"started\":\"" + String.join(",", seeds) + "\"}"
                    : "redis-ha watchdog: watching the cluster of " + String.join(", ", seeds) + " every " + intervalMs + " ms"
                            + (ec2 ? ", with EC2 instance status" : ""));
            out.flush();
        }
        watchdog.run();
        return RedisHaCli.OK;
    }

    private void print(PrintWriter out, Watchdog.Event event) {
        synchronized (out) {
            if (json) {
                ObjectNode line = Output.object();
                line.put("at", event.at().toString());
                line.put("kind", event.kind().name());
                line.put("master", event.master());
                event.replica().ifPresent(r -> line.put("replica", r));
                line.put("detail", event.detail());
                out.println(line.toString());
            } else {
                out.println("redis-ha watchdog: " + event);
            }
            out.flush();
        }
    }
}
