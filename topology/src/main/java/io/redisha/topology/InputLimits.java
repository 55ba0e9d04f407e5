package io.redisha.topology;

import java.util.List;

/**
 * The numeric limits on a cluster's inputs, in one table: what is valid at all (the component, the
 * planner and {@code local up} refuse anything outside it) and what the production checklist (the
 * policy pack's defaults) allows. Where the two columns differ, the row says why. The component and
 * the policy pack read their numbers from here; neither keeps a copy.
 */
public final class InputLimits {
    /** No upper limit of this kind (the planner still bounds the total number of nodes). */
    public static final int NONE = Integer.MAX_VALUE;

    /**
     * @param input        the input's name, as the component and the config keys spell it
     * @param unit         appended to a value in messages ("" for counts)
     * @param validMin     smallest value accepted
     * @param validMax     largest value accepted, or {@link #NONE}
     * @param checklistMin smallest value the production checklist allows
     * @param checklistMax largest value the production checklist allows, or {@link #NONE}
     * @param whyTheyDiffer why the checklist is stricter (empty when the columns agree)
     */
    public record Limit(String input, String unit, int validMin, int validMax, int checklistMin, int checklistMax,
                        String whyTheyDiffer) {
        public boolean valid(long value) {
            return value >= validMin && value <= validMax;
        }

        public boolean meetsChecklist(long value) {
            return value >= checklistMin && value <= checklistMax;
        }

        /** {@code 1000..60000}, or {@code at least 3} when there is no upper limit. */
        public String validRange() {
            return range(validMin, validMax);
        }

        public String checklistRange() {
            return range(checklistMin, checklistMax);
        }

        public boolean columnsDiffer() {
            return validMin != checklistMin || validMax != checklistMax;
        }

        private static String range(int min, int max) {
            return max == NONE ? "at least " + min : min + ".." + max;
        }
    }

    public static final Limit MASTERS = new Limit("masters", "", Planner.MIN_MASTERS, NONE, Planner.MIN_MASTERS, NONE, "");

    public static final Limit REPLICAS_PER_MASTER = new Limit("replicasPerMaster", "", 0, NONE, 1, NONE,
            "0 is valid only with acceptZoneLossRisk (a throw-away cluster: losing one node loses its slots and data);"
                    + " the checklist wants a replica of every master");

    /** The number of availability zones (the planner also needs one more zone than replicas per master). */
    public static final Limit ZONES = new Limit("zones", "", 1, NONE, 3, NONE,
            "fewer than 3 zones is valid only with acceptZoneLossRisk (masters over 2 zones can never keep a majority"
                    + " when one is lost); the checklist wants the masters over 3 zones");

    public static final Limit NODE_TIMEOUT_MS = new Limit("nodeTimeoutMs", " ms", 1000, 60000, 2000, 30000,
            "valid is what still forms a working cluster; the checklist keeps production away from both ends: below"
                    + " 2000 ms a short network blip triggers a false failover, above 30000 ms a dead master is not replaced"
                    + " for that long (teams may move the pack's minMs/maxMs)");

    public static final Limit MAXMEMORY_PERCENT = new Limit("maxmemoryPercent", "%", 10, 80, 1, 75,
            "above 80% the OS, replication buffers and the copy-on-write of an AOF rewrite or replica sync run out of"
                    + " memory and the kernel kills redis, so the component refuses it; the checklist keeps 5 points more"
                    + " headroom for production; at the low end the checklist judges headroom only, so its floor is"
                    + " just a share that is set (1), below the component's 10");

    /** {@code min-replicas-max-lag} of the safe write mode; the checklist does not judge it. */
    public static final Limit MIN_REPLICAS_MAX_LAG_SECONDS = new Limit("minReplicasMaxLagSeconds", " s", 1, 60, 1, 60, "");

    /** How long a deployment waits for converge on the first node; the checklist does not judge it. */
    public static final Limit CONVERGE_TIMEOUT_SECONDS = new Limit("convergeTimeoutSeconds", " s", 60, 3600, 60, 3600, "");

    /**
     * Days backups are kept: S3 lifecycle days, bounded as ElastiCache bounds snapshot retention. The
     * checklist (the pack's {@code minDays}, on production stacks) asks for backups kept at least its floor.
     */
    public static final Limit BACKUP_RETENTION_DAYS = new Limit("backups.retentionDays", " days", 1, 35, 1, 35, "");

    /** Every row, for docs and tests. */
    public static final List<Limit> ALL = List.of(MASTERS, REPLICAS_PER_MASTER, ZONES, NODE_TIMEOUT_MS, MAXMEMORY_PERCENT,
            MIN_REPLICAS_MAX_LAG_SECONDS, CONVERGE_TIMEOUT_SECONDS, BACKUP_RETENTION_DAYS);

    private InputLimits() {
    }
}
