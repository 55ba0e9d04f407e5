package io.redisha.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.aws.BackupStores;
import io.redisha.backup.Backup;
import io.redisha.backup.BackupLocation;
import io.redisha.backup.BackupManifest;
import io.redisha.backup.ObjectStore;
import io.redisha.backup.Restore;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "backup", description = {"Snapshot every shard from a healthy replica (the replication protocol, as redis-cli --rdb)"
        + " straight to a folder or s3://bucket/prefix, in a new folder named by the UTC time, with a manifest written last.",
        "Each shard's snapshot is consistent; the backup is not one point in time across shards.",
        "'backup verify' (redis-ha.jar only) restores one into a scratch local cluster."})
final class BackupCommand extends ClusterCommand {
    // Not required to picocli, which would then demand them of 'backup verify' too; call() checks them.
    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST:PORT", description = "Any node of the cluster (the rest are discovered).")
    String seed;

    @Option(names = "--to", paramLabel = "DEST", description = "A folder or s3://bucket/prefix (required).")
    String to;

    @Option(names = "--kms-key", paramLabel = "KEY", description = "SSE-KMS key id or ARN for the objects (S3); default: the bucket's default encryption.")
    Optional<String> kmsKey = Optional.empty();

    @Option(names = "--cluster-id", paramLabel = "NAME", description = "Name recorded in the manifest; default: derived from the node ids.")
    Optional<String> clusterId = Optional.empty();

    @Option(names = "--master-if-no-replica", description = "Fork a shard's master when it has no healthy replica (default: refuse).")
    boolean masterIfNoReplica;

    @Option(names = "--parallel", defaultValue = "4", paramLabel = "N", description = "Shards snapshotted at once. Default: ${DEFAULT-VALUE}.")
    int parallel;

    @Option(names = "--publish", paramLabel = "NAMESPACE", description = "After a complete backup, put BackupSucceeded (1), BackupBytes,"
            + " BackupKeys and BackupSeconds to CloudWatch under this namespace, dimension ClusterName = the cluster id"
            + " (an alarm on BackupSucceeded missing for twice the schedule catches backups that stopped).")
    Optional<String> publish = Optional.empty();

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region to publish to (default: AWS_REGION, the profile or the instance's region).")
    Optional<String> region = Optional.empty();

    @Override
    public Integer call() {
        if (publish.isPresent() && (publish.get().isBlank() || publish.get().startsWith("AWS/"))) {
            throw new InvalidOptionException("publish", publish.get(), "a custom CloudWatch namespace such as RedisHA");
        }
        // Validated before any node is asked: publishing needs a region.
        Optional<String> publishRegion = publish.map(ns -> io.redisha.aws.CloudWatchMetrics.region(region));
        if (seed == null) {
            throw new InvalidOptionException("HOST:PORT", "(none)", "a node of the cluster to back up, e.g. redis-ha backup 10.0.1.5:6379 --to s3://bucket/prefix");
        }
        NodeAddress address = NodeAddress.parse(seed);
        BackupLocation destination = BackupLocation.parse("to", to);
        Backup.Options options = new Backup.Options(clusterId, masterIfNoReplica, parallel);
        Credentials credentials = connection.credentials();
        Backup.Result result = run(spec, address, destination, kmsKey, options, credentials, json);
        publish.ifPresent(ns -> {
            try (io.redisha.aws.CloudWatchMetrics cloudWatch = io.redisha.aws.CloudWatchMetrics.fromEnvironment(publishRegion.orElseThrow())) {
                cloudWatch.publish(ns, result.manifest().clusterId(), java.util.Map.of("BackupSucceeded", 1, "BackupBytes", result.manifest().bytes(),
                        "BackupKeys", result.manifest().keys(), "BackupSeconds", result.elapsed().toMillis() / 1000.0));
            }
        });
        return RedisHaCli.OK;
    }

    /** Takes the backup and prints what was done. */
    static Backup.Result run(picocli.CommandLine.Model.CommandSpec spec, NodeAddress seed, BackupLocation destination, Optional<String> kmsKey,
                   Backup.Options options, Credentials credentials, boolean json) {
        if (kmsKey.isPresent() && !destination.isS3()) {
            throw new InvalidOptionException("kms-key", kmsKey.get(), "only with an s3:// destination");
        }
        Backup.Result result;
        try (Progress progress = new Progress(spec.commandLine().getErr(), json); ObjectStore store = BackupStores.open(destination, kmsKey)) {
            result = new Backup(credentials, progress).run(seed, destination, store, options);
        }
        PrintWriter out = spec.commandLine().getOut();
        BackupManifest m = result.manifest();
        if (json) {
            ObjectNode answer = Output.object();
            answer.put("location", result.location());
            answer.put("elapsedMillis", result.elapsed().toMillis());
            answer.set("manifest", Output.tree(m));
            out.println(Output.write(answer));
        } else {
            out.printf(Locale.ROOT, "%-6s %-14s %-24s %-8s %12s %10s %s%n", "SHARD", "SLOTS", "SOURCE", "ROLE", "BYTES", "KEYS", "SHA256");
            m.shards().forEach(s -> out.printf(Locale.ROOT, "%-6d %-14s %-24s %-8s %12d %10d %s%n", s.index(), String.join(",", s.slots()),
                    s.sourceAddress(), s.sourceRole(), s.bytes(), s.keys(), s.sha256().substring(0, 16)));
            out.printf(Locale.ROOT, "Backed up %d shards, %d keys, %.1f MB in %.1f s to %s%n", m.shards().size(), m.keys(), m.bytes() / 1e6,
                    result.elapsed().toMillis() / 1000.0, result.location());
            out.println("Note: " + m.consistency() + ".");
            out.println("Restore: redis-ha restore " + result.location() + " --into HOST:PORT    Verify: redis-ha backup verify " + result.location());
        }
        out.flush();
        return result;
    }
}
