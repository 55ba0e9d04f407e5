package io.redisha.cli;

import io.redisha.aws.BackupStores;
import io.redisha.backup.BackupLocation;
import io.redisha.backup.ObjectStore;
import io.redisha.backup.Restore;
import io.redisha.local.BackupVerify;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code backup verify}: needs the local module, so it is registered under {@code backup} by {@link LocalVerbs} (redis-ha.jar only). */
@Command(name = "verify", description = "Restore a backup into a scratch local cluster and compare it with its manifest; exit 1 when it does not restore.")
final class LocalBackupVerify implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "BACKUP", description = "The backup's folder or s3://bucket/prefix/<backup id>.")
    String backup;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where snapshots are downloaded and loaded. Default: the system's temporary folder.")
    Optional<Path> workDir = Optional.empty();

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        BackupLocation location = BackupLocation.parse("BACKUP", backup);
        Restore.Result result;
        try (Progress progress = new Progress(spec.commandLine().getErr(), json); ObjectStore store = BackupStores.open(location, Optional.empty())) {
            result = BackupVerify.verify(store, RestoreCommand.workDir(workDir), progress);
        }
        RestoreCommand.print(spec.commandLine().getOut(), "Verified " + location + ": restores into a scratch local cluster", result, json);
        return RedisHaCli.OK;
    }
}
