package io.redisha.components;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a change of each component input does to a deployed cluster: the one table, keyed by the
 * provider schema's input names (the Java-only {@code bootstrapJarPath} too). The invariant it serves:
 * no input change replaces, deletes or stops a running node or its data volume; only the drain phases
 * (scale-in, retired generation) delete nodes. The engine test {@code ChangeMatrixEngineTest} previews
 * a change of every input of the schema against this table, so a new input without a row fails it.
 */
public final class InputChanges {
    /** The three kinds of change. */
    public enum Kind {
        /** Applied to the running cluster without touching a node instance (tags, alarms, access rules, scaling that only adds or drains). */
        APPLIED_IN_PLACE,
        /** Carried by the next node generation: running nodes keep what they run; bump nodeGeneration to roll it in. */
        NEXT_GENERATION,
        /** Refused (or not applied) on a running cluster, for the reason given. */
        REFUSED_WHEN_RUNNING
    }

    /** One row: the kind and why. */
    public record Rule(Kind kind, String reason) {
    }

    /**
     * The instance properties a running node keeps as deployed ({@code ignoreChanges} on every declared
     * instance; a new instance is created with the current values). Each would replace the instance
     * (pulumi-aws ForceNew: ami, ebsBlockDevices, subnetId, availabilityZone) or stop and start it
     * (instanceType, userData), so a change reaches the cluster only through a new generation.
     */
    public static final List<String> PINNED_INSTANCE_PROPERTIES = List.of("ami", "instanceType", "userData", "userDataBase64",
            "ebsBlockDevices", "rootBlockDevice", "subnetId", "availabilityZone");

    private static final String NEXT = "carried by the next node generation: running nodes keep ";
    private static final String LAST_OUTPUT = "bookkeeping: the last deployment's output passed back; a value that does not"
            + " match the plan or generations is refused by validation";

    static final Map<String, Rule> TABLE;

    static {
        Map<String, Rule> t = new LinkedHashMap<>();
        in(t, "masters", Kind.APPLIED_IN_PLACE, "scale-out adds nodes beside the running ones; scale-in retires nodes in two"
                + " phases (drained by converge, then deleted with retiredNodesDrained=true); existing nodes never move");
        in(t, "replicasPerMaster", Kind.APPLIED_IN_PLACE, "as masters: replicas are added, or retired in two phases");
        in(t, "zones", Kind.REFUSED_WHEN_RUNNING, "nodes never move between zones: the running zones must stay, in their"
                + " order; new zones may only follow them");
        in(t, "vpcId", Kind.REFUSED_WHEN_RUNNING, "a running node never changes VPC: each instance keeps its deployed subnet"
                + " and zone (pinned); moving a cluster to another VPC is a new cluster and a data migration");
        in(t, "subnetIds", Kind.REFUSED_WHEN_RUNNING, "as vpcId: each running instance keeps its deployed subnet (pinned)");
        in(t, "vpcCidr", Kind.REFUSED_WHEN_RUNNING, "the VPC's CIDR cannot change under running nodes; each instance keeps"
                + " its deployed subnet (pinned)");
        in(t, "s3PrefixListId", Kind.APPLIED_IN_PLACE, "a security group rule, updated in place");
        in(t, "instanceType", Kind.NEXT_GENERATION, NEXT + "their type (an in-place change stops the instance), and the data"
                + " volume and maxmemory that follow it");
        in(t, "imageId", Kind.NEXT_GENERATION, NEXT + "their AMI (a new AMI replaces an instance)");
        in(t, "imageProvidesTunings", Kind.APPLIED_IN_PLACE, "only the instances' tunings tags");
        in(t, "previousPlan", Kind.APPLIED_IN_PLACE, LAST_OUTPUT);
        in(t, "previousScalingBase", Kind.APPLIED_IN_PLACE, LAST_OUTPUT);
        in(t, "previousRetiringNodes", Kind.APPLIED_IN_PLACE, LAST_OUTPUT);
        in(t, "retiredNodesDrained", Kind.APPLIED_IN_PLACE, "phase 2 of a scale-in: deletes only the nodes the last"
                + " deployment retired, and only once converge recorded each of them out of the cluster; refused for nodes"
                + " that leave the plan in the same run");
        in(t, "nodeGeneration", Kind.APPLIED_IN_PLACE, "+1 starts a roll: the new generation is created beside the running"
                + " one and converge hands every node over; nothing running is replaced; back to the old generation during a"
                + " roll abandons it (converge hands every node back)");
        in(t, "previousNodeGenerations", Kind.APPLIED_IN_PLACE, LAST_OUTPUT);
        in(t, "retiredGenerationDrained", Kind.APPLIED_IN_PLACE, "phase 2 of a roll: deletes only the retired generation,"
                + " and only once converge recorded each of its nodes out of the cluster; refused when no generation is being retired");
        in(t, "dataVolumeSizeGib", Kind.NEXT_GENERATION, NEXT + "their data volume (a new size replaces an inline EBS"
                + " device); the next generation's volumes have the new size; a smaller size is fine there as long as it"
                + " holds twice maxmemory");
        in(t, "nodeTimeoutMs", Kind.NEXT_GENERATION, NEXT + "cluster-node-timeout in their redis.conf (user data)");
        in(t, "maxmemoryPercent", Kind.NEXT_GENERATION, NEXT + "maxmemory in their redis.conf (user data) and their data"
                + " volume (its default size follows maxmemory)");
        in(t, "maxmemoryMb", Kind.NEXT_GENERATION, "as maxmemoryPercent");
        in(t, "maxmemoryPolicy", Kind.NEXT_GENERATION, NEXT + "maxmemory-policy in their redis.conf (user data)");
        in(t, "minReplicasToWrite", Kind.NEXT_GENERATION, NEXT + "min-replicas-to-write in their redis.conf (user data);"
                + " the directive could be applied with CONFIG SET, which converge does not do yet");
        in(t, "minReplicasMaxLagSeconds", Kind.NEXT_GENERATION, "as minReplicasToWrite (min-replicas-max-lag)");
        in(t, "engine", Kind.NEXT_GENERATION, NEXT + "the server their image runs (redis or valkey): an engine change is a"
                + " cross-version roll, never an in-place change");
        in(t, "engineVersion", Kind.NEXT_GENERATION, "as engine: the roll refuses a downgrade the old version cannot load");
        in(t, "authPassword", Kind.REFUSED_WHEN_RUNNING, "running nodes read the password from SSM at boot only and"
                + " converge would use the new one: a rotation needs CONFIG SET requirepass/masterauth on every node"
                + " first, which redis-ha does not do yet; keep the password of a running cluster");
        in(t, "allowedClientCidrs", Kind.APPLIED_IN_PLACE, "security group rules, added and removed in place");
        in(t, "allowedClientSecurityGroupIds", Kind.APPLIED_IN_PLACE, "security group rules, added and removed in place");
        in(t, "tls", Kind.REFUSED_WHEN_RUNNING, "nodes with and without TLS cannot talk to each other (cluster bus,"
                + " replication) and converge connects one way only; TLS is chosen when a cluster is created");
        in(t, "tlsCaCertificate", Kind.NEXT_GENERATION, NEXT + "the CA they read from SSM at boot; the new one must trust"
                + " the running nodes' certificate until the roll ends");
        in(t, "tlsCertificate", Kind.NEXT_GENERATION, NEXT + "the certificate they read from SSM at boot");
        in(t, "tlsPrivateKey", Kind.NEXT_GENERATION, NEXT + "the key they read from SSM at boot");
        in(t, "terminationProtection", Kind.APPLIED_IN_PLACE, "an instance attribute, changed in place without a stop");
        in(t, "tags", Kind.APPLIED_IN_PLACE, "tags, updated in place");
        in(t, "acceptZoneLossRisk", Kind.APPLIED_IN_PLACE, "changes only which plans are accepted; a plan that moves a"
                + " running node is refused anyway");
        in(t, "bootstrapJarPath", Kind.APPLIED_IN_PLACE, "the jar in S3 is uploaded again; converge runs it");
        in(t, "bootstrapBucket", Kind.APPLIED_IN_PLACE, "the jar is uploaded to the new bucket and the node role and the"
                + " converge association follow it, in place");
        in(t, "convergeTimeoutSeconds", Kind.APPLIED_IN_PLACE, "the converge document and association, updated in place");
        in(t, "alarmTopicArn", Kind.APPLIED_IN_PLACE, "the alarms' actions, updated in place");
        in(t, "backups", Kind.APPLIED_IN_PLACE, "the backup bucket and its settings, key, schedule association, node access"
                + " and alarm are added or updated in place beside the nodes; removing it stops the schedule and keeps the bucket,"
                + " its settings, the key and every backup (retained on delete)");
        in(t, "restoreFrom", Kind.REFUSED_WHEN_RUNNING, "read only when the cluster is created (no previousPlan): converge"
                + " restores the backup into the new, empty cluster before the deployment reports ready; on a running cluster"
                + " it is ignored with a warning and declares nothing, so a change never touches data (restore by hand with"
                + " redis-ha restore)");
        TABLE = Collections.unmodifiableMap(t);
    }

    private InputChanges() {
    }

    private static void in(Map<String, Rule> t, String input, Kind kind, String reason) {
        t.put(input, new Rule(kind, reason));
    }

    /** Every input with its rule, in declaration order. */
    public static Map<String, Rule> table() {
        return TABLE;
    }

    /** The rule of {@code input}; an input without one is a programming error the engine test catches. */
    public static Rule of(String input) {
        Rule rule = TABLE.get(input);
        if (rule == null) {
            throw new IllegalArgumentException("input " + input + " has no row in InputChanges");
        }
        return rule;
    }

    /**
     * The line {@code pulumi preview} shows for a pending next-generation change, e.g.
     * {@code instanceType t3.medium -> r6i.large is carried by the next node generation: ...}.
     */
    public static String pending(String input, String running, String wanted, int generation) {
        Rule rule = of(input);
        if (rule.kind() != Kind.NEXT_GENERATION) {
            throw new IllegalArgumentException(input + " is " + rule.kind() + ", not carried by a generation");
        }
        return input + " " + running + " -> " + wanted + " is carried by the next node generation: set nodeGeneration="
                + (generation + 1) + " to roll it in; the running nodes keep " + running
                + " (nodes a scale-out adds in generation " + generation + " start with " + wanted + ")";
    }
}
