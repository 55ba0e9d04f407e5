package io.redisha.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.cluster.CheckReport;
import io.redisha.local.LocalCluster;
import io.redisha.local.LocalState;
import io.redisha.local.LocalWatchdogs;
import io.redisha.topology.RedisDirectives;
import io.redisha.topology.ZoneLoss;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "local", description = "Run a zone-labelled cluster of real redis-server processes on loopback (no cloud needed).",
        subcommands = {LocalCommand.Up.class, LocalCommand.Down.class, LocalCommand.Status.class, DrillCommand.Local.class, HealCommand.Local.class, RollCommand.Local.class,
                LocalCommand.LocalBackup.class, LocalCommand.LocalRestore.class})
final class LocalCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    abstract static class Base implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @picocli.CommandLine.Mixin
        LocalDirOption dir = new LocalDirOption();

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        private LocalCluster cluster;

        LocalCluster cluster() {
            if (cluster == null) {
                cluster = dir.cluster();
            }
            return cluster;
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** The first local node: any node of the cluster will do as a seed. */
        io.redisha.topology.NodeAddress seed() {
            return new io.redisha.topology.NodeAddress("127.0.0.1", cluster().requireState().nodes().get(0).port());
        }
    }

    @Command(name = "up", description = "Start the nodes, form the cluster, print the plan and its status; when already up, only report status.")
    static final class Up extends Base {
        @Option(names = "--masters", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
        int masters;

        @Option(names = "--replicas", defaultValue = "1", description = "Replicas per master. Default: ${DEFAULT-VALUE}.")
        int replicas;

        @Option(names = "--zones", defaultValue = "az-a,az-b,az-c", split = ",", description = "Zone labels. Default: ${DEFAULT-VALUE}.")
        List<String> zones;

        @Option(names = "--base-port", defaultValue = "7000", description = "First client port; node i listens on base+i (bus +10000). Default: ${DEFAULT-VALUE}.")
        int basePort;

        @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding a password: sets requirepass and masterauth.")
        Optional<String> passwordEnv;

        @Option(names = "--accept-zone-loss-risk", description = "Allow a layout that does not survive losing a zone.")
        boolean acceptZoneLossRisk;

        @Option(names = "--tls", description = "TLS only, as on EC2: a CA and node certificate made with openssl in DIR/tls;"
                + " tls-port, tls-cluster and tls-replication on every node.")
        boolean tls;

        @Option(names = "--node-timeout-ms", paramLabel = "MS", defaultValue = "" + RedisDirectives.DEFAULT_NODE_TIMEOUT_MS,
                description = "cluster-node-timeout of every node, as the component's nodeTimeoutMs. Default: ${DEFAULT-VALUE}.")
        int nodeTimeoutMs;
        @Option(names = "--server", paramLabel = "PATH", description = "redis-server or valkey-server executable to run the nodes"
                + " (Valkey 8+ nodes get availability-zone set to their zone). Default: $REDIS_HA_SERVER, else redis-server on the PATH.")
        Optional<String> server;
        @Option(names = "--min-replicas-to-write", paramLabel = "N", defaultValue = "0", description = {
                "Safe write mode: a master refuses writes unless N replicas acknowledged within 10 s (min-replicas-to-write;",
                "0..--replicas). Clients add WAIT 1 <ms> to writes that must survive (docs/faults.md). Default: ${DEFAULT-VALUE}."})
        int minReplicasToWrite;

        @Option(names = "--no-watchdog", description = "Do not start the per-zone watchdogs (failover on certain death); Redis then waits cluster-node-timeout.")
        boolean noWatchdog;

        @Override
        public Integer call() {
            if (minReplicasToWrite < 0 || minReplicasToWrite > replicas) {
                throw new InvalidOptionException("min-replicas-to-write", minReplicasToWrite, "0.." + replicas
                        + " (--replicas): a master cannot wait for more replicas than it has");
            }
            cluster().state().ifPresent(this::refuseOtherOptions);
            LocalCluster.UpResult up;
            try (Progress progress = new Progress(spec.commandLine().getErr(), json)) {
                up = cluster().up(new LocalCluster.Options(masters, replicas, zones, basePort, passwordEnv,
                        acceptZoneLossRisk ? ZoneLoss.ACCEPT_RISK : ZoneLoss.MUST_SURVIVE, tls, nodeTimeoutMs, minReplicasToWrite, server), progress);
            }
            List<LocalWatchdogs.Running> watchdogs = noWatchdog ? List.of() : new LocalWatchdogs(cluster().dir()).start(up.state());
            int port = up.state().nodes().get(0).port();
            String connect = "redis-cli -c -p " + port + (up.state().passwordEnv().isEmpty() ? "" : " -a \"$" + up.state().passwordEnv() + "\"")
                    + (up.state().tls() ? " --tls --cacert " + cluster().dir().resolve("tls").resolve("ca.crt") : "");
            if (json) {
                ObjectNode answer = Output.object();
                answer.put("alreadyUp", up.alreadyUp());
                answer.put("dir", cluster().dir().toString());
                answer.set("placement", Output.placement(up.placement()));
                up.formed().ifPresent(r -> answer.set("result", Output.result(r)));
                answer.set("nodes", Output.tree(up.state().nodes()));
                answer.set("zoneMap", Output.tree(zoneMap(up.state())));
                answer.set("status", Output.tree(up.status()));
                answer.set("watchdogs", Output.tree(watchdogs));
                answer.put("connect", connect);
                out().println(Output.write(answer));
            } else {
                out().print(up.placement().toTable());
                out().println();
                out().println(up.alreadyUp() ? "Already up in " + cluster().dir() + "; nothing changed."
                        : "Started " + io.redisha.text.Count.of(up.state().nodes().size(), "server process", "server processes") + " ("
                                + io.redisha.server.ServerBinary.of(up.state().nodes().get(0).server()).version().label() + ") in " + cluster().dir() + "; "
                                + up.formed().map(r -> r.summary()).orElse(""));
                out().println("Zone map (address -> zone; give it to clients that read from replicas in their own zone): "
                        + zoneMap(up.state()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(",")));
                out().println(up.status().summaryLine());
                up.status().findings().stream().filter(f -> f.severity() != CheckReport.Severity.OK)
                        .forEach(f -> out().println("  " + f.severity() + " " + f.node() + ": " + f.message()));
                if (!watchdogs.isEmpty()) {
                    out().println("Watchdogs: " + watchdogs.size() + " (one per zone, pids " + watchdogs.stream().map(w -> Long.toString(w.pid())).toList()
                            + "); actions in " + cluster().dir().resolve("watchdog-<zone>.log"));
                }
                out().println("Connect: " + connect + "    Stop: " + selfCommand() + " local down --dir " + cluster().dir().toAbsolutePath());
            }
            out().flush();
            return up.status().ok() ? RedisHaCli.OK : RedisHaCli.FAILED;
        }

        /** Every node's client address and zone, in node order: what the component publishes as its zone map. */
        static java.util.Map<String, String> zoneMap(LocalState state) {
            java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
            state.placement().zoneByAddress().forEach((address, zone) -> map.put(address.toString(), zone));
            return map;
        }

        /** Options given on this command line that differ from the running cluster's: refused, never silently ignored. */
        private void refuseOtherOptions(LocalState running) {
            picocli.CommandLine.ParseResult given = spec.commandLine().getParseResult();
            io.redisha.topology.Plan plan = running.placement().plan();
            java.util.Map<String, String[]> asked = new java.util.LinkedHashMap<>();
            asked.put("--masters", new String[] {Integer.toString(masters), Integer.toString(plan.masters())});
            asked.put("--replicas", new String[] {Integer.toString(replicas), Integer.toString(plan.replicasPerMaster())});
            asked.put("--zones", new String[] {String.join(",", new java.util.TreeSet<>(zones)), String.join(",", new java.util.TreeSet<>(plan.zones()))});
            asked.put("--base-port", new String[] {Integer.toString(basePort), Integer.toString(running.basePort())});
            asked.put("--password-env", new String[] {passwordEnv.orElse(""), running.passwordEnv()});
            asked.put("--tls", new String[] {Boolean.toString(tls), Boolean.toString(running.tls())});
            asked.put("--node-timeout-ms", new String[] {Integer.toString(nodeTimeoutMs), Integer.toString(running.nodeTimeoutMs())});
            asked.put("--server", new String[] {server.orElse(""), running.nodes().get(0).server()});
            asked.put("--min-replicas-to-write", new String[] {Integer.toString(minReplicasToWrite), Integer.toString(running.minReplicasToWrite())});
            List<String> differences = new java.util.ArrayList<>();
            asked.forEach((option, values) -> {
                if (given.hasMatchedOption(option) && !values[0].equals(values[1])) {
                    differences.add(option + " " + (values[0].isEmpty() ? "(none)" : values[0]) + " (running: "
                            + (values[1].isEmpty() ? "none" : values[1]) + ")");
                }
            });
            if (!differences.isEmpty()) {
                throw new InvalidOptionException("local up", String.join(", ", differences),
                        "the options of the local cluster already running in " + cluster().dir() + "; run 'redis-ha local down"
                                + " --dir " + cluster().dir() + "' first, or give another --dir and --base-port");
            }
        }
    }

    @Command(name = "backup", description = "Back up the local cluster (as 'redis-ha backup': one snapshot per shard from its replica, a manifest).")
    static final class LocalBackup extends Base {
        @Option(names = "--to", defaultValue = ".redis-ha/backups", paramLabel = "DEST", description = "A folder or s3://bucket/prefix. Default: ${DEFAULT-VALUE}.")
        String to;

        @Option(names = "--master-if-no-replica", description = "Fork a shard's master when it has no healthy replica (a cluster without replicas).")
        boolean masterIfNoReplica;

        @Override
        public Integer call() {
            io.redisha.backup.BackupLocation destination = io.redisha.backup.BackupLocation.parse("to", to);
            BackupCommand.run(spec, seed(), destination, Optional.empty(), new io.redisha.backup.Backup.Options(Optional.empty(), masterIfNoReplica, 4),
                    cluster().credentials(), json);
            return RedisHaCli.OK;
        }
    }

    @Command(name = "restore", description = "Restore a backup into the local cluster (as 'redis-ha restore'; refused when it holds keys unless told).")
    static final class LocalRestore extends Base {
        @picocli.CommandLine.Parameters(paramLabel = "SOURCE", description = "The backup's folder or s3://bucket/prefix/<backup id>.")
        String source;

        @Option(names = "--allow-non-empty", description = "Restore into a cluster that holds keys (keys with the backup's names are replaced).")
        boolean allowNonEmpty;

        @Override
        public Integer call() {
            io.redisha.backup.BackupLocation location = io.redisha.backup.BackupLocation.parse("SOURCE", source);
            return RestoreCommand.run(spec, location, seed(),
                    new io.redisha.backup.Restore.Options(allowNonEmpty, RestoreCommand.workDir(Optional.empty())), cluster().credentials(), json);
        }
    }

    @Command(name = "status", description = "Check the local cluster with its zone labels. Exit 1 on any FAIL.")
    static final class Status extends Base {
        @Override
        public Integer call() {
            CheckReport report = cluster().status();
            CheckCommand.print(out(), report, json);
            return report.ok() ? RedisHaCli.OK : RedisHaCli.FAILED;
        }
    }

    @Command(name = "down", description = "Stop every process 'local up' started, all at once, wait until they are gone, and delete their data.")
    static final class Down extends Base {
        @Override
        public Integer call() {
            LocalCluster.DownResult down;
            try (Progress progress = new Progress(spec.commandLine().getErr(), json)) {
                down = cluster().down(progress);
            }
            List<LocalState.Node> stopped = down.stopped().stream().map(LocalCluster.Stopped::node).toList();
            if (json) {
                ObjectNode answer = Output.object();
                ArrayNode nodes = answer.putArray("stopped");
                stopped.forEach(n -> nodes.add(Output.tree(n)));
                ArrayNode left = answer.putArray("leftRunning");
                down.leftRunning().forEach(n -> left.add(Output.tree(n)));
                out().println(Output.write(answer));
            } else {
                out().println(stopped.isEmpty() ? "No local cluster in " + cluster().dir() + "; nothing to stop."
                        : "Stopped " + io.redisha.text.Count.of(stopped.size(), "server process", "server processes")
                                + " and removed their data in " + cluster().dir() + ".");
                down.leftRunning().forEach(n -> out().println("Left running (not started by 'local up'): " + n.name() + " on port " + n.port()));
            }
            out().flush();
            return RedisHaCli.OK;
        }
    }

    /** How to run this CLI again from anywhere: {@code java -jar <absolute jar path>}, as far as it can be known. */
    static String selfCommand() {
        try {
            java.nio.file.Path jar = java.nio.file.Path.of(LocalCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (jar.toString().endsWith(".jar")) {
                return "java -jar " + jar.toAbsolutePath();
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through: not run from a jar (tests, IDE)
        }
        return "redis-ha";
    }
}
