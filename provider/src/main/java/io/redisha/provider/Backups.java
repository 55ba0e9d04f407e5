package io.redisha.provider;

import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;
import io.redisha.components.BackupArgs;

/**
 * The {@code backups} input of {@code redis-ha:index:RedisCluster} (schema type {@code redis-ha:index:Backups}):
 * the fields of {@link BackupArgs}, every one optional with the Java default. Plain values, known at preview,
 * so they are validated with every other input before anything is declared.
 */
public final class Backups extends ResourceArgs {
    @Import(name = "schedule")
    String schedule;
    @Import(name = "retentionDays")
    Integer retentionDays;
    @Import(name = "bucket")
    String bucket;
    @Import(name = "kmsKeyArn")
    String kmsKeyArn;

    /** The host deserializes into a new instance and sets the fields. */
    public Backups() {
    }

    BackupArgs toArgs() {
        BackupArgs.Builder b = BackupArgs.builder();
        if (schedule != null) b.schedule(schedule);
        if (retentionDays != null) b.retentionDays(retentionDays);
        b.bucket(bucket);
        b.kmsKeyArn(kmsKeyArn);
        return b.build();
    }
}
