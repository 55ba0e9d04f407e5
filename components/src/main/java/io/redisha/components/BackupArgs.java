package io.redisha.components;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code backups} input of {@link RedisCluster}: scheduled {@code redis-ha backup} runs on node-0-0
 * into an S3 bucket under the cluster's prefix ({@code s3://bucket/<cluster>/}), kept
 * {@link #retentionDays} days, and an alarm when no backup succeeded within twice the schedule's
 * interval. Validated with every other input ({@link BackupPlan#validate}); see docs/backups.md.
 */
public final class BackupArgs {
    public static final String DEFAULT_SCHEDULE = "rate(1 day)";
    public static final int DEFAULT_RETENTION_DAYS = 7;

    /**
     * When the backup runs: an SSM association schedule, {@code rate(N minutes|hours|days)} (30 minutes
     * to 3 days), a daily {@code cron(M H * * ? *)} or an hourly {@code cron(M * * * ? *)}. Default
     * {@value #DEFAULT_SCHEDULE}.
     */
    final String schedule;
    /** Days a backup is kept (current and, after it expires, noncurrent versions alike): 1..35, as ElastiCache. Default 7. */
    final int retentionDays;
    /**
     * An existing bucket. Default: none, the component creates one (versioning, SSE-KMS, public access
     * blocked, the retention lifecycle rule) and keeps it when the stack is destroyed. An existing
     * bucket's own configuration is its owner's: the component declares none of it.
     */
    final Optional<String> bucket;
    /**
     * ARN of an existing KMS key for the backups ({@code arn:aws:kms:<region>:<account>:key/<id>}; an
     * alias is refused: IAM grants on an alias ARN do not reach the key). Default: none, the component
     * creates one (rotation on) and keeps it when the stack is destroyed.
     */
    final Optional<String> kmsKeyArn;

    private BackupArgs(Builder b) {
        schedule = b.schedule;
        retentionDays = b.retentionDays;
        bucket = Optional.ofNullable(b.bucket).filter(s -> !s.isBlank());
        kmsKeyArn = Optional.ofNullable(b.kmsKeyArn).filter(s -> !s.isBlank());
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String schedule = DEFAULT_SCHEDULE;
        private int retentionDays = DEFAULT_RETENTION_DAYS;
        private String bucket;
        private String kmsKeyArn;

        public Builder schedule(String schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        public Builder retentionDays(int days) {
            this.retentionDays = days;
            return this;
        }

        /** An existing bucket; null or blank: the component creates one. */
        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        /** An existing KMS key's ARN; null or blank: the component creates one. */
        public Builder kmsKeyArn(String kmsKeyArn) {
            this.kmsKeyArn = kmsKeyArn;
            return this;
        }

        public BackupArgs build() {
            return new BackupArgs(this);
        }
    }
}
