package io.redisha.components;

import io.redisha.components.node.NodeRedisConf;
import io.redisha.components.node.UserData;
import io.redisha.topology.InputLimits;
import io.redisha.topology.InvalidPlanException;
import io.redisha.topology.Plan;
import io.redisha.topology.Planner;
import io.redisha.topology.ServerVersion;
import io.redisha.topology.ZoneLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated, plain form of {@link RedisClusterArgs}: everything {@link RedisCluster} declares is
 * derived from it. Placement comes from the {@link Planner} only; this class adds the EC2- and
 * Redis-level checks around it.
 *
 * @param previousPlan the last deployment's plan (real zone names), when the cluster exists
 * @param previousScalingBase the base of the last deployment's scaling summary ({@link ScalingSummary})
 * @param scaleIn      the retiring nodes kept (phase 1) or removed (phase 2) in this deployment
 * @param generations  the node generations declared: a roll in progress (phase 1) or finishing (phase 2)
 * @param backups      the scheduled backups, when asked for
 * @param restoreAtCreation the backup converge restores: {@code restoreFrom} of a new cluster (no previous plan);
 *                     empty on a running cluster, whatever {@code restoreFrom} says
 * @param zoneLabels the zones the plan was made over: the given zones, or {@code az-1..az-3} standing
 *                   for the region's first three available zones (their names are known at deploy time;
 *                   the layout depends only on zone order, so the plan with real names is the same)
 */
public record ClusterSettings(String name, Plan plan, boolean zonesGiven, List<String> zoneLabels,
                              ZoneLoss zoneLoss, String instanceType, int maxmemoryMb, int dataVolumeSizeGib,
                              NodeRedisConf.Settings redis, boolean terminationProtection, Map<String, String> tags,
                              boolean imageProvidesTunings, Optional<Plan> previousPlan, Optional<Plan> previousScalingBase,
                              ScaleIn scaleIn,
                              NodeGenerations generations, ServerVersion server, String engineVersion,
                              Optional<BackupPlan> backups, Optional<BackupPlan.RestoreSource> restoreAtCreation) {
    // The limits live in one table with the production checklist's (InputLimits); these are its valid columns.
    public static final int MIN_NODE_TIMEOUT_MS = InputLimits.NODE_TIMEOUT_MS.validMin();
    public static final int MAX_NODE_TIMEOUT_MS = InputLimits.NODE_TIMEOUT_MS.validMax();
    public static final int MAX_MAXMEMORY_PERCENT = InputLimits.MAXMEMORY_PERCENT.validMax();
    public static final int MIN_MAXMEMORY_PERCENT = InputLimits.MAXMEMORY_PERCENT.validMin();
    public static final int DEFAULT_ZONE_COUNT = 3;
    /** Lower-case so it is valid in SSM paths, S3 bucket names, IAM names and EC2 tags alike. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}[a-z0-9]");

    public String placementParameter() {
        return "/redis-ha/" + name + "/placement";
    }

    public String authParameter() {
        return "/redis-ha/" + name + "/auth";
    }

    public String tlsParameterPrefix() {
        return "/redis-ha/" + name + "/tls";
    }

    public String redisConf() {
        return NodeRedisConf.render(redis);
    }

    /** User data of one planned node. */
    public String userData(String nodeName) {
        return UserData.render(new UserData.Spec(name, nodeName, redisConf(), authParameter(),
                redis.tls() ? Optional.of(tlsParameterPrefix()) : Optional.empty(), server, engineVersion));
    }

    static ClusterSettings validate(String name, RedisClusterArgs a) {
        List<String> problems = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidClusterArgsException(String.valueOf(name), List.of("name=" + name + " is not valid: 2-32 characters of"
                    + " lower-case letters, digits and '-', starting with a letter (it names SSM parameters and an S3 bucket)"));
        }

        // zones and the plan
        List<String> labels = a.zones;
        boolean zonesGiven = !a.zones.isEmpty();
        if (!zonesGiven) {
            labels = new ArrayList<>();
            for (int i = 1; i <= DEFAULT_ZONE_COUNT; i++) {
                labels.add("az-" + i);
            }
        }
        String zonesText = zonesGiven ? String.join(", ", labels) : "the region's first " + DEFAULT_ZONE_COUNT + " available zones";
        ZoneLoss zoneLoss = a.acceptZoneLossRisk ? ZoneLoss.ACCEPT_RISK : ZoneLoss.MUST_SURVIVE;
        // the last deployment: its plan is grown, so added zones (after the existing ones) move no node
        Optional<Plan> previous = lastDeploymentPlan(a.previousPlan, "previousPlan", "plan", problems);
        final List<String> zoneOrder = labels;
        Optional<Plan> growFrom = previous.filter(p -> zonesGiven && zoneOrder.size() >= p.zones().size()
                && zoneOrder.subList(0, p.zones().size()).equals(p.zones()));
        Plan plan = null;
        try {
            plan = growFrom.isPresent() ? Planner.grow(growFrom.get(), a.masters, a.replicasPerMaster, labels, zoneLoss)
                    : Planner.plan(a.masters, a.replicasPerMaster, labels, zoneLoss);
        } catch (InvalidPlanException e) {
            problems.add(e.getMessage() + (zonesGiven ? "" : " (az-1..az-" + labels.size() + " stand for " + zonesText + ")"));
        }

        // network
        if (a.vpcId.isPresent()) {
            if (!zonesGiven) {
                problems.add("zones=(default) is not valid with an existing vpcId: list the zones of your subnets, in the"
                        + " same order as subnetIds, so the planner places each node in a subnet of its planned zone");
            } else if (a.subnetIds.size() != a.zones.size()) {
                problems.add("subnetIds has " + a.subnetIds.size() + " entries; with an existing vpcId give exactly one private"
                        + " subnet per zone (" + a.zones.size() + ": " + String.join(", ", a.zones) + "), in the same order");
            }
        } else if (!a.subnetIds.isEmpty()) {
            problems.add("subnetIds given without vpcId: set vpcId to the VPC of these subnets, or leave both out for a new VPC");
        }
        try {
            Cidrs.subnetOf(a.vpcCidr, 0);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }

        // instance, memory, volume
        Optional<Integer> instanceMib = a.instanceType == null ? Optional.empty() : io.redisha.topology.InstanceTypes.mib(a.instanceType);
        if (a.instanceType == null || !a.instanceType.matches("[a-z][a-z0-9-]*\\.[a-z0-9]+")) {
            problems.add("instanceType=" + a.instanceType + " is not valid: an EC2 instance type such as r6i.large");
        }
        int maxmemoryMb = 0;
        if (a.maxmemoryPercent < MIN_MAXMEMORY_PERCENT || a.maxmemoryPercent > MAX_MAXMEMORY_PERCENT) {
            problems.add("maxmemoryPercent=" + a.maxmemoryPercent + " is not valid: " + MIN_MAXMEMORY_PERCENT + ".."
                    + MAX_MAXMEMORY_PERCENT + "; above " + MAX_MAXMEMORY_PERCENT + "% the OS, replication buffers and the"
                    + " copy-on-write of an AOF rewrite or replica sync run out of memory and the kernel kills redis");
        }
        if (a.maxmemoryMb.isPresent()) {
            maxmemoryMb = a.maxmemoryMb.get();
            if (maxmemoryMb < 64) {
                problems.add("maxmemoryMb=" + maxmemoryMb + " is not valid: at least 64");
            } else if (instanceMib.isPresent() && maxmemoryMb > io.redisha.topology.InstanceTypes.maxmemoryMb(instanceMib.get(), MAX_MAXMEMORY_PERCENT)) {
                problems.add("maxmemoryMb=" + maxmemoryMb + " is not valid for " + a.instanceType + " (" + instanceMib.get()
                        + " MiB): at most " + io.redisha.topology.InstanceTypes.maxmemoryMb(instanceMib.get(), MAX_MAXMEMORY_PERCENT)
                        + " (" + MAX_MAXMEMORY_PERCENT + "%), the rest is the OS's and fork's");
            }
        } else if (instanceMib.isPresent()) {
            maxmemoryMb = io.redisha.topology.InstanceTypes.maxmemoryMb(instanceMib.get(), a.maxmemoryPercent);
        } else if (a.instanceType != null) {
            problems.add("instanceType=" + a.instanceType + " has no known memory size: use one of the r/m/c 5th-7th"
                    + " generation or t3/t4g types (e.g. r6i.large, r7g.xlarge, m7i.2xlarge, t3.medium), or set maxmemoryMb explicitly");
        }
        int dataGib = a.dataVolumeSizeGib.orElse(Math.max(20, (int) Math.ceil(3.0 * maxmemoryMb / 1024)));
        int neededGib = (int) Math.ceil(2.0 * maxmemoryMb / 1024);
        if (dataGib < Math.max(1, neededGib) || dataGib > 16384) {
            problems.add("dataVolumeSizeGib=" + dataGib + " is not valid: " + Math.max(1, neededGib) + "..16384; an AOF rewrite"
                    + " needs about twice maxmemory (" + maxmemoryMb + " MiB) on disk");
        }

        // redis settings
        if (a.nodeTimeoutMs < MIN_NODE_TIMEOUT_MS || a.nodeTimeoutMs > MAX_NODE_TIMEOUT_MS) {
            problems.add("nodeTimeoutMs=" + a.nodeTimeoutMs + " is not valid: " + MIN_NODE_TIMEOUT_MS + ".." + MAX_NODE_TIMEOUT_MS
                    + " (" + io.redisha.topology.RedisDirectives.DEFAULT_NODE_TIMEOUT_MS + " recommended); too low causes false failovers on a network blip, too high delays a real failover");
        }
        if (a.minReplicasToWrite < 0 || a.minReplicasToWrite > a.replicasPerMaster) {
            problems.add("minReplicasToWrite=" + a.minReplicasToWrite + " is not valid: 0.." + a.replicasPerMaster
                    + " (replicasPerMaster); a master cannot wait for more replicas than it has, it would refuse every write");
        }
        if (!InputLimits.MIN_REPLICAS_MAX_LAG_SECONDS.valid(a.minReplicasMaxLagSeconds)) {
            problems.add("minReplicasMaxLagSeconds=" + a.minReplicasMaxLagSeconds + " is not valid: "
                    + InputLimits.MIN_REPLICAS_MAX_LAG_SECONDS.validRange() + " (10 recommended)");
        }
        if (!NodeRedisConf.MAXMEMORY_POLICIES.contains(a.maxmemoryPolicy)) {
            problems.add("maxmemoryPolicy=" + a.maxmemoryPolicy + " is not valid: one of " + String.join(", ", NodeRedisConf.MAXMEMORY_POLICIES));
        }

        // the server: a change of engine or version is carried by the user data, so only a new node generation applies it
        ServerVersion server = null;
        try {
            server = ServerVersion.of("engine", a.engine, "engineVersion", a.engineVersion);
            server.unsupportedReason("engine=" + a.engine + ", engineVersion=" + a.engineVersion).ifPresent(problems::add);
        } catch (io.redisha.topology.InvalidInputException e) {
            problems.add(e.getMessage());
        }

        // secrets, image, access
        if (a.authPassword.isEmpty()) {
            problems.add("authPassword is missing: give the AUTH password as a secret (pulumi config set --secret redis-ha:authPassword ...)");
        }
        if (a.imageId.isEmpty()) {
            problems.add("imageId is missing: give RedisNodeImage#amiId() (node-image module) or your own AMI with"
                    + " redis-server 7, OpenJDK 17 and the SSM agent");
        }

        // the last deployment: scaling summary and the two-phase scale-in
        Optional<Plan> previousBase = lastDeploymentPlan(a.previousScalingBase, "previousScalingBase", "scalingBase", problems);
        ScaleIn scaleIn = ScaleIn.NONE;
        if (plan != null) {
            scaleIn = ScaleIn.decide(previous, a.previousRetiringNodes, plan, labels, zonesGiven, a.retiredNodesDrained, problems);
        }
        NodeGenerations generations = NodeGenerations.decide(a.previousNodeGenerations, a.nodeGeneration, a.retiredGenerationDrained, problems);
        boolean resized = previous.isPresent() && plan != null && (previous.get().masters() != plan.masters()
                || previous.get().replicasPerMaster() != plan.replicasPerMaster() || previous.get().zones().size() != plan.zones().size());
        if (generations.retiring().isPresent() && (resized || !scaleIn.retiring().isEmpty())) {
            problems.add("nodeGeneration=" + a.nodeGeneration + " rolls every node while the cluster is also resized or"
                    + " retiring nodes: one change at a time; finish the scaling first, or keep masters and replicasPerMaster");
        }
        for (String cidr : a.allowedClientCidrs) {
            String problem = Cidrs.clientSourceProblem(cidr);
            if (problem != null) {
                problems.add("allowedClientCidrs contains " + cidr + ", which is not valid: " + problem);
            }
        }
        if (a.tls && (a.tlsCaCertificate.isEmpty() || a.tlsCertificate.isEmpty() || a.tlsPrivateKey.isEmpty())) {
            problems.add("tls=true needs tlsMaterial (CA certificate, node certificate and private key PEMs); or set tls=false");
        }
        if (!a.tls && (a.tlsCaCertificate.isPresent() || a.tlsCertificate.isPresent() || a.tlsPrivateKey.isPresent())) {
            problems.add("tlsMaterial given with tls=false: set tls=true to use it, or leave it out");
        }
        for (String key : a.tags.keySet()) {
            if (key.startsWith("redis-ha:") || key.startsWith("aws:")) {
                problems.add("tags contains " + key + ", which is not valid: keys starting with redis-ha: or aws: are reserved");
            }
        }
        if (a.bootstrapJarPath == null || a.bootstrapJarPath.isBlank()) {
            problems.add("bootstrapJarPath is empty: the path of redis-ha-node.jar (build it with mvn package; default cli/target/redis-ha-node.jar)");
        }
        if (!InputLimits.CONVERGE_TIMEOUT_SECONDS.valid(a.convergeTimeoutSeconds)) {
            problems.add("convergeTimeoutSeconds=" + a.convergeTimeoutSeconds + " is not valid: " + InputLimits.CONVERGE_TIMEOUT_SECONDS.validRange());
        }

        // backups and restore
        Optional<BackupPlan> backups = a.backups.flatMap(b -> BackupPlan.validate(b, problems));
        Optional<BackupPlan.RestoreSource> restore = a.restoreFrom.flatMap(uri -> BackupPlan.RestoreSource.validate(uri, problems));

        if (!problems.isEmpty()) {
            throw new InvalidClusterArgsException(name, problems);
        }
        return new ClusterSettings(name, plan, zonesGiven, List.copyOf(labels), zoneLoss, a.instanceType, maxmemoryMb, dataGib,
                new NodeRedisConf.Settings(a.nodeTimeoutMs, maxmemoryMb, a.maxmemoryPolicy, a.tls, a.minReplicasToWrite,
                        a.minReplicasMaxLagSeconds), a.terminationProtection, a.tags,
                a.imageProvidesTunings, previous, previousBase, scaleIn, generations, server, a.engineVersion,
                backups, previous.isPresent() ? Optional.empty() : restore);
    }

    /** A plan the last deployment exported (input {@code input}, from its output {@code output}). */
    private static Optional<Plan> lastDeploymentPlan(Optional<String> json, String input, String output, List<String> problems) {
        try {
            return json.map(Plan::fromJson);
        } catch (IllegalArgumentException e) {
            problems.add(input + " is not valid: " + e.getMessage() + "; pass the last deployment's " + output + " output");
            return Optional.empty();
        }
    }
}
