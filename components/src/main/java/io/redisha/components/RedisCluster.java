package io.redisha.components;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.Resource;
import io.redisha.components.node.NodeRedisConf;
import io.redisha.topology.Plan;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.Planner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A zone-aware Redis Cluster on EC2: one instance per planned node in the subnet of its planned
 * zone, the placement published in SSM, and an SSM association that runs {@code redis-ha converge}
 * on node-0-0 so {@code pulumi up} returns once the cluster matches the plan.
 *
 * <p>The constructor only wires the parts, as pulumi-awsx and pulumi-eks do: {@link ClusterNetwork},
 * {@link NodeSecurity}, {@link ClusterSecrets}, {@link BootstrapArtifact}, {@link NodeRole},
 * {@link ClusterNodes}, {@link ClusterConverge}, {@link ClusterAlarms} and, with {@code backups},
 * {@link ClusterBackups}, each returning a record of what it declared. Which node runs where comes
 * from {@link Planner}; every input is validated once ({@link ClusterSettings}) before the component
 * or any child is registered. Children are named
 * {@code <name>-<suffix>}, nodes {@code <name>-node-<shard>-<member>}, so scaling only adds resources.
 */
public class RedisCluster extends ComponentResource {
    public static final String TYPE = "redis-ha:index:RedisCluster";

    private final ClusterSettings settings;
    private final Output<List<Map<String, String>>> nodes;
    private final Output<List<String>> seedEndpoints;
    private final Output<String> clientSecurityGroupId;
    private final Output<String> planSummary;
    private final Output<Boolean> survivesZoneLoss;
    private final Output<String> placementParameterName;
    private final Output<String> authParameterName;
    private final Output<String> vpcId;
    private final Output<List<String>> subnetIds;
    private final Output<String> plan;
    private final Output<List<Map<String, String>>> retiringNodes;
    private final Output<String> scalingPlan;
    private final Output<Map<String, Object>> scalingMoves;
    private final Output<List<Integer>> nodeGenerations;
    private final Output<String> rollPlan;
    private final Output<String> scalingBase;
    private final Output<Map<String, String>> zoneMap;

    public RedisCluster(String name, RedisClusterArgs args) {
        this(name, args, null);
    }

    public RedisCluster(String name, RedisClusterArgs args, ComponentResourceOptions options) {
        // validated once, before the component is registered (an invalid input declares nothing)
        this(name, args, verified(args.validate(name)), options);
    }

    /** A drain phase is refused, like an invalid input, unless converge recorded its nodes out of the cluster. */
    private static ClusterSettings verified(ClusterSettings settings) {
        ConvergeRuns.requireRemovalVerified(settings);
        return settings;
    }

    private RedisCluster(String name, RedisClusterArgs args, ClusterSettings settings, ComponentResourceOptions options) {
        super(TYPE, name, JudgedInputs.of(args), options);
        this.settings = settings;
        Plan plan = settings.plan(); // over zone labels; the real names are known at deploy time
        Map<String, String> baseTags = new LinkedHashMap<>(settings.tags());
        baseTags.put("redis-ha:cluster", name);

        // every part declares its resources as children of this component, with the names they always had
        ClusterNetwork.Declared network = ClusterNetwork.declare(this, name, args, settings, baseTags);
        NodeSecurity.Declared security = NodeSecurity.declare(this, name, args, network, baseTags);
        ClusterSecrets.Declared secrets = ClusterSecrets.declare(this, name, args, settings, baseTags);
        BootstrapArtifact.Declared artifact = BootstrapArtifact.declare(this, name, args, baseTags);
        Optional<ClusterBackups.Storage> backupStorage = ClusterBackups.storage(this, name, settings, baseTags);
        NodeRole.Declared role = NodeRole.declare(this, name, settings, secrets, artifact, backupStorage, baseTags);
        Output<String> ami = args.imageId.orElseThrow().get(); // valid: the image may be declared now
        ClusterNodes.Declared nodes = ClusterNodes.declare(this, name, ami, settings, network, security, role, secrets, artifact, baseTags);
        // the same plan with the real zone names: a rename, the layout depends only on zone order
        Output<Plan> realPlan = Output.all(network.zoneNames()).applyValue(plan::withZoneNames);
        ClusterConverge.Declared converge = ClusterConverge.declare(this, name, args, settings, realPlan, nodes, secrets, artifact,
                role.restoreAccess().stream().map(Resource.class::cast).toList(), baseTags);
        ClusterAlarms.declare(this, name, args.alarmTopicArn, baseTags);
        backupStorage.ifPresent(storage -> {
            List<Resource> after = new ArrayList<>(List.of(converge.association()));
            role.backupAccess().ifPresent(after::add);
            ClusterBackups.schedule(this, name, args, settings, storage, nodes, secrets, artifact, after, baseTags);
        });
        if (args.restoreFrom.isPresent() && settings.restoreAtCreation().isEmpty()) {
            PendingChanges.warned(Output.of(List.of("restoreFrom=" + args.restoreFrom.get() + " is ignored: the cluster exists"
                    + " (previousPlan given) and a restore runs only when a cluster is created; to load a backup into a running"
                    + " cluster run redis-ha restore by hand")), this);
        }

        // outputs
        this.nodes = nodes.nodes();
        List<Output<String>> seeds = new ArrayList<>();
        plan.masterNodes().forEach(m -> seeds.add(nodes.planned().get(m.name()).privateIp().applyValue(ip -> ip + ":" + NodeRedisConf.CLIENT_PORT)));
        this.seedEndpoints = Output.all(seeds);
        this.clientSecurityGroupId = security.clientGroup().id();
        this.planSummary = realPlan.applyValue(Plan::summary);
        this.plan = realPlan.applyValue(Plan::toJson);
        this.retiringNodes = nodes.retiringNodes();
        NodeGenerations generations = settings.generations();
        this.nodeGenerations = Output.of(generations.declared());
        Output<List<String>> pending = args.previousNodeGenerations.contains(generations.current()) && generations.retiring().isEmpty()
                ? PendingChanges.warned(PendingChanges.of(settings, ami, nodes.planned().get(PlannedNode.nameOf(0, 0)),
                        args.maxmemoryMb.isPresent() ? "maxmemoryMb" : "maxmemoryPercent"), this)
                : Output.of(List.of());
        this.rollPlan = Output.tuple(realPlan, pending).applyValue(t -> generations.rollPlanText(t.t1, t.t2));
        Output<ScalingSummary> scaling = realPlan.applyValue(now ->
                ScalingSummary.of(settings.previousPlan(), settings.previousScalingBase(), now, settings.scaleIn()));
        this.scalingPlan = scaling.applyValue(ScalingSummary::text);
        this.scalingMoves = scaling.applyValue(ScalingSummary::structured);
        this.scalingBase = scaling.applyValue(ScalingSummary::baseJson);
        this.survivesZoneLoss = Output.of(plan.zoneSafety().survivesZoneLoss());
        this.placementParameterName = converge.placement().name();
        this.authParameterName = secrets.auth().name();
        this.vpcId = network.vpcId();
        this.subnetIds = Output.all(network.subnetIds());
        this.zoneMap = this.nodes.applyValue(RedisCluster::zoneMap);
        registerOutputs(ClusterSchema.outputValues(this));
    }

    /** {@code ip:6379} of every node to its zone, in plan order: what clients reading from replicas in their own zone need. */
    static Map<String, String> zoneMap(List<Map<String, String>> nodes) {
        Map<String, String> map = new LinkedHashMap<>();
        nodes.forEach(n -> map.put(n.get("privateIp") + ":" + NodeRedisConf.CLIENT_PORT, n.get("zone")));
        return map;
    }

    @ClusterOutput("Node address ip:6379 to its zone: give it to clients that read from replicas in their own zone (docs/versions.md).")
    public Output<Map<String, String>> zoneMap() {
        return zoneMap;
    }

    /** The validated settings this cluster was declared from (plan with zone labels, limits, redis.conf). */
    public ClusterSettings settings() {
        return settings;
    }

    @ClusterOutput("Every node: name, zone, role, shard, instanceId, privateIp.")
    public Output<List<Map<String, String>>> nodes() {
        return nodes;
    }

    @ClusterOutput("ip:6379 of the planned masters; any node works as a cluster client's seed.")
    public Output<List<String>> seedEndpoints() {
        return seedEndpoints;
    }

    @ClusterOutput("Attach this group to clients to let them reach port 6379.")
    public Output<String> clientSecurityGroupId() {
        return clientSecurityGroupId;
    }

    @ClusterOutput("The plan in one line, with the real zone names and zone safety.")
    public Output<String> planSummary() {
        return planSummary;
    }

    @ClusterOutput("Whether the layout survives the loss of any one zone.")
    public Output<Boolean> survivesZoneLoss() {
        return survivesZoneLoss;
    }

    @ClusterOutput(value = "SSM parameter with the placement JSON (redis-ha converge --plan-ssm).", stackExport = "placementParameter")
    public Output<String> placementParameterName() {
        return placementParameterName;
    }

    @ClusterOutput(value = "SSM SecureString with the AUTH password (--password-ssm).", stackExport = "authParameter")
    public Output<String> authParameterName() {
        return authParameterName;
    }

    @ClusterOutput("The VPC the nodes run in.")
    public Output<String> vpcId() {
        return vpcId;
    }

    @ClusterOutput("The subnets the nodes run in, one per zone.")
    public Output<List<String>> subnetIds() {
        return subnetIds;
    }

    @ClusterOutput("The plan with the real zone names (Plan JSON); pass it back as previousPlan.")
    public Output<String> plan() {
        return plan;
    }

    @ClusterOutput("Nodes being retired by a scale-in (phase 1): name, zone, role, shard, member, replicaOf, instanceId,"
            + " privateIp; pass back as previousRetiringNodes.")
    public Output<List<Map<String, String>>> retiringNodes() {
        return retiringNodes;
    }

    @ClusterOutput("The last layout change: nodes added and removed, slot moves, zone safety, scale-in phase.")
    public Output<String> scalingPlan() {
        return scalingPlan;
    }

    @ClusterOutput("The plan scalingPlan compares against (empty for a new cluster); pass back as previousScalingBase.")
    public Output<String> scalingBase() {
        return scalingBase;
    }

    @ClusterOutput("scalingPlan for machines: newCluster, added, removed, retiring, removing, slotsMoved, moves.")
    public Output<Map<String, Object>> scalingMoves() {
        return scalingMoves;
    }

    @ClusterOutput("The node generations declared: [g], or [g, g+1] while a roll runs; pass back as previousNodeGenerations.")
    public Output<List<Integer>> nodeGenerations() {
        return nodeGenerations;
    }

    @ClusterOutput("The rolling replacement this deployment runs (order, handovers), or why there is none.")
    public Output<String> rollPlan() {
        return rollPlan;
    }
}
