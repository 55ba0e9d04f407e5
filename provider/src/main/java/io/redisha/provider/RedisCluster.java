package io.redisha.provider;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.resources.ComponentResourceOptions;
import io.redisha.components.ClusterSchema;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code redis-ha:index:RedisCluster} as the component provider serves it: the Java component itself
 * ({@link io.redisha.components.RedisCluster}, same type token, same children), built from the
 * provider's {@link RedisClusterInputs}. The host finds the class by its simple name in this package
 * and needs exactly this one constructor; it infers the outputs from the {@link Export} fields
 * declared here (it reads only this class's own fields): their wire shape only. Each output is declared
 * once, as a {@code @ClusterOutput} accessor of the component; the fields are filled from those by name
 * ({@code ProviderSchemaTest} fails when the two lists differ).
 */
public final class RedisCluster extends io.redisha.components.RedisCluster {
    @Export(name = "nodes")
    private Output<List<Map<String, String>>> nodesOut;
    @Export(name = "seedEndpoints")
    private Output<List<String>> seedEndpointsOut;
    @Export(name = "clientSecurityGroupId")
    private Output<String> clientSecurityGroupIdOut;
    @Export(name = "planSummary")
    private Output<String> planSummaryOut;
    @Export(name = "survivesZoneLoss")
    private Output<Boolean> survivesZoneLossOut;
    @Export(name = "placementParameterName")
    private Output<String> placementParameterNameOut;
    @Export(name = "authParameterName")
    private Output<String> authParameterNameOut;
    @Export(name = "vpcId")
    private Output<String> vpcIdOut;
    @Export(name = "subnetIds")
    private Output<List<String>> subnetIdsOut;
    @Export(name = "plan")
    private Output<String> planOut;
    @Export(name = "retiringNodes")
    private Output<List<Map<String, String>>> retiringNodesOut;
    @Export(name = "scalingPlan")
    private Output<String> scalingPlanOut;
    @Export(name = "scalingMoves")
    private Output<Map<String, Object>> scalingMovesOut;
    @Export(name = "scalingBase")
    private Output<String> scalingBaseOut;
    @Export(name = "nodeGenerations")
    private Output<List<Integer>> nodeGenerationsOut;
    @Export(name = "rollPlan")
    private Output<String> rollPlanOut;
    @Export(name = "zoneMap")
    private Output<Map<String, String>> zoneMapOut;

    public RedisCluster(String name, RedisClusterInputs inputs, ComponentResourceOptions options) {
        super(name, inputs.toArgs(BootstrapJar.path().toString()), options);
        Map<String, Output<?>> outputs = ClusterSchema.outputValues(this);
        try {
            for (Field f : RedisCluster.class.getDeclaredFields()) {
                Export export = f.getAnnotation(Export.class);
                if (export != null) {
                    f.set(this, Objects.requireNonNull(outputs.get(export.name()), export.name() + " is no @ClusterOutput"));
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
