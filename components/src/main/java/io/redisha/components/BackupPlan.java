package io.redisha.components;

import io.redisha.topology.InputLimits;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The validated {@code backups} input ({@link BackupArgs}): the schedule with its interval, the
 * retention, the bucket and key (given or created), and the backup-age alarm's window (twice the
 * interval). Pure: no resource is declared here, so every rule is unit-tested on its own.
 *
 * @param intervalMinutes the time between two scheduled backups
 */
public record BackupPlan(String schedule, int intervalMinutes, int retentionDays, Optional<String> bucket, Optional<String> kmsKeyArn) {
    public static final int MIN_RETENTION_DAYS = InputLimits.BACKUP_RETENTION_DAYS.validMin();
    public static final int MAX_RETENTION_DAYS = InputLimits.BACKUP_RETENTION_DAYS.validMax();
    /** SSM associations run at most every 30 minutes. */
    public static final int MIN_INTERVAL_MINUTES = 30;
    /** Twice the interval must fit CloudWatch's 7-day limit on an alarm's evaluation range (period x evaluation periods). */
    public static final int MAX_INTERVAL_MINUTES = 3 * 24 * 60;

    private static final Pattern RATE = Pattern.compile("rate\\((\\d{1,6}) (minute|minutes|hour|hours|day|days)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\(([^()]+)\\)");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern KEY_ARN = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+");
    private static final String VALID_SCHEDULE = "rate(N minutes|hours|days) between 30 minutes and 3 days, a daily"
            + " cron(M H * * ? *) or an hourly cron(M * * * ? *) (the backup-age alarm fires after twice the interval,"
            + " at most 7 days in CloudWatch)";

    /** Checks every field; adds one line per wrong field to {@code problems} and returns empty then. */
    static Optional<BackupPlan> validate(BackupArgs a, List<String> problems) {
        int before = problems.size();
        Optional<Integer> interval = intervalMinutes(a.schedule);
        if (interval.isEmpty()) {
            problems.add("backups.schedule=" + a.schedule + " is not valid: " + VALID_SCHEDULE);
        } else if (interval.get() < MIN_INTERVAL_MINUTES || interval.get() > MAX_INTERVAL_MINUTES) {
            problems.add("backups.schedule=" + a.schedule + " is not valid: the interval must be 30 minutes..3 days ("
                    + VALID_SCHEDULE + ")");
        }
        if (a.retentionDays < MIN_RETENTION_DAYS || a.retentionDays > MAX_RETENTION_DAYS) {
            problems.add("backups.retentionDays=" + a.retentionDays + " is not valid: " + MIN_RETENTION_DAYS + ".." + MAX_RETENTION_DAYS
                    + " (as ElastiCache's snapshot retention)");
        }
        a.bucket.filter(b -> !validBucket(b)).ifPresent(b -> problems.add("backups.bucket=" + b + " is not valid: an S3 bucket"
                + " name, 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit; or leave it"
                + " out to create one"));
        a.kmsKeyArn.filter(k -> !KEY_ARN.matcher(k).matches()).ifPresent(k -> problems.add("backups.kmsKeyArn=" + k
                + " is not valid: a KMS key ARN, arn:aws:kms:<region>:<account>:key/<key id> (not an alias: the node role's"
                + " grant names the key); or leave it out to create one"));
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new BackupPlan(a.schedule, interval.orElseThrow(), a.retentionDays, a.bucket, a.kmsKeyArn));
    }

    /** The interval of a schedule expression this component accepts, in minutes; empty when it is not one. */
    static Optional<Integer> intervalMinutes(String schedule) {
        if (schedule == null) {
            return Optional.empty();
        }
        Matcher rate = RATE.matcher(schedule);
        if (rate.matches()) {
            int n = Integer.parseInt(rate.group(1));
            String unit = rate.group(2);
            if (n == 0 || (n == 1) != !unit.endsWith("s")) {
                return Optional.empty(); // rate(1 hours), rate(5 hour): refused by AWS too
            }
            return Optional.of(n * (unit.startsWith("minute") ? 1 : unit.startsWith("hour") ? 60 : 24 * 60));
        }
        Matcher cron = CRON.matcher(schedule);
        if (cron.matches()) {
            String[] f = cron.group(1).trim().split("\\s+");
            if (f.length != 6 || !f[0].matches("[0-5]?\\d") || !wildcard(f[2]) || !f[3].equals("*") || !wildcard(f[4])
                    || !f[5].equals("*") || (f[2].equals("?") == f[4].equals("?"))) {
                return Optional.empty();
            }
            if (f[1].equals("*")) {
                return Optional.of(60);
            }
            return f[1].matches("(1?\\d|2[0-3])") ? Optional.of(24 * 60) : Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean wildcard(String field) {
        return field.equals("*") || field.equals("?");
    }

    static boolean validBucket(String bucket) {
        return BUCKET.matcher(bucket).matches() && !bucket.contains("..") && !bucket.matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    }

    /** The key prefix every backup of cluster {@code name} is written under ({@code backup --to s3://bucket/<name>/}). */
    public static String prefix(String name) {
        return name + "/";
    }

    /** The alarm window: twice the interval, in seconds. */
    public int alarmWindowSeconds() {
        return 2 * intervalMinutes * 60;
    }

    /**
     * The alarm's period: one hour when the window is whole hours (a window over a day needs periods of
     * at least an hour), else 5 minutes or 1 minute (windows up to a day).
     */
    public int alarmPeriodSeconds() {
        int window = alarmWindowSeconds();
        return window % 3600 == 0 ? 3600 : window % 300 == 0 ? 300 : 60;
    }

    /** Periods evaluated, all of which must be breaching (no success) for the alarm to fire. */
    public int alarmEvaluationPeriods() {
        return alarmWindowSeconds() / alarmPeriodSeconds();
    }

    /**
     * A validated {@code restoreFrom}: a backup's S3 folder ({@code s3://bucket/prefix/<backup id>}), read by
     * {@code redis-ha restore} when the cluster is created.
     */
    public record RestoreSource(String uri, String bucket, String prefix) {
        private static final Pattern S3 = Pattern.compile("s3://([^/]+)/(.+?)/?");

        static Optional<RestoreSource> validate(String uri, List<String> problems) {
            Matcher m = S3.matcher(uri);
            if (!m.matches() || !validBucket(m.group(1)) || m.group(2).contains("//") || m.group(2).matches(".*[\\s\"'`$\\\\{}].*")) {
                problems.add("restoreFrom=" + uri + " is not valid: the S3 folder of a backup, s3://bucket/prefix/<backup id>"
                        + " (the folder holding manifest.json), without spaces, quotes or '$'");
                return Optional.empty();
            }
            return Optional.of(new RestoreSource("s3://" + m.group(1) + "/" + m.group(2), m.group(1), m.group(2)));
        }

        /** The objects restore reads: the backup folder's objects. */
        public String objectsArn() {
            return "arn:aws:s3:::" + bucket + "/" + prefix + "/*";
        }
    }
}
