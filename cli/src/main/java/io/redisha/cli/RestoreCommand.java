package io.redisha.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisha.aws.BackupStores;
import io.redisha.backup.BackupLocation;
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

@Command(name = "restore", description = {"Restore a backup into a serving, empty cluster of any shape: each shard's snapshot is loaded by a"
        + " temporary local redis-server, its keys go to the masters owning their slots (DUMP/RESTORE, same expiry),"
        + " then the target is compared with the backup (key count, digest).",
        "Checks every object and version before the target is touched."})
final class RestoreCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "The backup's folder or s3://bucket/prefix/<backup id>.")
    String source;

    @Option(names = "--into", required = true, paramLabel = "HOST:PORT", description = "Any node of the target cluster.")
    String into;

    @Option(names = "--allow-non-empty", description = "Restore into a cluster that holds keys (keys with the backup's names are replaced; no comparison).")
    boolean allowNonEmpty;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where snapshots are downloaded and loaded (the backup's size free). Default: the system's temporary folder.")
    Optional<Path> workDir = Optional.empty();

    @Option(names = "--digest-values", description = "Compare every value too (DEBUG DIGEST-VALUE on the loader and the target: about 6x the"
            + " server time of DUMP). Default: key names, expiries and counts; each value is checked by RESTORE's own checksum.")
    boolean digestValues;

    @Override
    public Integer call() {
        BackupLocation location = BackupLocation.parse("SOURCE", source);
        NodeAddress target = NodeAddress.parse(into);
        return run(spec, location, target, new Restore.Options(allowNonEmpty, workDir(workDir), digestValues), connection.credentials(), json);
    }

    static int run(picocli.CommandLine.Model.CommandSpec spec, BackupLocation location, NodeAddress target, Restore.Options options,
                   Credentials credentials, boolean json) {
        Restore.Result result;
        try (Progress progress = new Progress(spec.commandLine().getErr(), json); ObjectStore store = BackupStores.open(location, Optional.empty())) {
            result = new Restore(credentials, progress).run(store, target, options);
        }
        print(spec.commandLine().getOut(), "Restored " + location + " into " + target, result, json);
        return RedisHaCli.OK;
    }

    static Path workDir(Optional<Path> option) {
        return option.orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"))).toAbsolutePath();
    }

    static void print(PrintWriter out, String headline, Restore.Result r, boolean json) {
        if (json) {
            ObjectNode answer = Output.object();
            answer.put("backupId", r.manifest().backupId());
            answer.put("clusterId", r.manifest().clusterId());
            answer.put("shards", r.manifest().shards().size());
            answer.put("manifestKeys", r.manifest().keys());
            answer.put("keysRestored", r.keysRestored());
            answer.put("keysExpired", r.keysExpired());
            answer.put("bytes", r.bytes());
            answer.put("compared", r.compared().name());
            answer.put("digest", r.digest());
            answer.put("elapsedMillis", r.elapsed().toMillis());
            out.println(Output.write(answer));
        } else {
            out.printf(Locale.ROOT, "%s: %d shards, %d keys restored (%d had expired), %.1f MB of snapshots in %.1f s%n", headline,
                    r.manifest().shards().size(), r.keysRestored(), r.keysExpired(), r.bytes() / 1e6, r.elapsed().toMillis() / 1000.0);
            out.println(switch (r.compared()) {
                case NOTHING -> "The target held keys before: it was not compared with the backup.";
                case KEY_COUNT -> "The target has the same number of live keys (its nodes refuse DEBUG, so values were not digested).";
                case KEYS_EXPIRIES -> "The target matches the backup: same live keys and expiries, digest " + r.digest().substring(0, 16)
                        + " (values checked by RESTORE; --digest-values compares them too).";
                case KEYS_VALUES_EXPIRIES -> "The target matches the backup: same live keys, values and expiries, digest " + r.digest().substring(0, 16) + ".";
            });
        }
        out.flush();
    }
}
