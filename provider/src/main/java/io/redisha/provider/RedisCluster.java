package io.redisha.provider;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.resources.ComponentResourceOptions;
import java.util.List;
import java.util.Map;

/**
 * {@code redis-ha:index:RedisCluster} as the component provider serves it: the Java component itself
 * ({@link io.redisha.components.RedisCluster}, same type token, same children), built from the
 * provider's {@link RedisClusterInputs}. The host finds the class by its simple name in this package
 * and needs exactly this one constructor; it infers the outputs from the {@link Export} fields
 * declared here (it reads only this class's own fields), which mirror the component's accessors.
 */
public final class RedisCluster extends io.redisha.components.RedisCluster {
    @Export(name = "nodes")
    private final Output<List<Map<String, String>>> nodesOut;
    @Export(name = "seedEndpoints")
    private final Output<List<String>> seedEndpointsOut;
    @Export(name = "clientSecurityGroupId")
    private final Output<String> clientSecurityGroupIdOut;
    @Export(name = "planSummary")
    private final Output<String> planSummaryOut;
    @Export(name = "survivesZoneLoss")
    private final Output<Boolean> survivesZoneLossOut;
    @Export(name = "placementParameterName")
    private final Output<String> placementParameterNameOut;
    @Export(name = "authParameterName")
    private final Output<String> authParameterNameOut;
    @Export(name = "vpcId")
    private final Output<String> vpcIdOut;
    @Export(name = "subnetIds")
    private final Output<List<String>> subnetIdsOut;
    @Export(name = "plan")
    private final Output<String> planOut;
    @Export(name = "retiringNodes")
    private final Output<List<Map<String, String>>> retiringNodesOut;
    @Export(name = "scalingPlan")
    private final Output<String> scalingPlanOut;
    @Export(name = "scalingMoves")
    private final Output<Map<String, Object>> scalingMovesOut;
    @Export(name = "scalingBase")
    private final Output<String> scalingBaseOut;
    @Export(name = "nodeGenerations")
    private final Output<List<Integer>> nodeGenerationsOut;
    @Export(name = "rollPlan")
    private final Output<String> rollPlanOut;
    @Export(name = "zoneMap")
    private final Output<Map<String, String>> zoneMapOut;

    public RedisCluster(String name, RedisClusterInputs inputs, ComponentResourceOptions options) {
        super(name, inputs.toArgs(BootstrapJar.path().toString()), options);
        nodesOut = nodes();
        seedEndpointsOut = seedEndpoints();
        clientSecurityGroupIdOut = clientSecurityGroupId();
        planSummaryOut = planSummary();
        survivesZoneLossOut = survivesZoneLoss();
        placementParameterNameOut = placementParameterName();
        authParameterNameOut = authParameterName();
        vpcIdOut = vpcId();
        subnetIdsOut = subnetIds();
        planOut = plan();
        retiringNodesOut = retiringNodes();
        scalingPlanOut = scalingPlan();
        scalingMovesOut = scalingMoves();
        scalingBaseOut = scalingBase();
        nodeGenerationsOut = nodeGenerations();
        rollPlanOut = rollPlan();
        zoneMapOut = zoneMap();
    }
}
