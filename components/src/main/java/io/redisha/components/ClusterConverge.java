package io.redisha.components;

import com.pulumi.aws.ssm.Association;
import com.pulumi.aws.ssm.AssociationArgs;
import com.pulumi.aws.ssm.Document;
import com.pulumi.aws.ssm.DocumentArgs;
import com.pulumi.aws.ssm.Parameter;
import com.pulumi.aws.ssm.ParameterArgs;
import com.pulumi.aws.ssm.inputs.AssociationTargetArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.redisha.components.node.ConvergeDocument;
import io.redisha.topology.ConvergeRecord;
import io.redisha.topology.Placement;
import io.redisha.topology.Plan;
import io.redisha.topology.PlannedNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The placement (the plan bound to the nodes' addresses, retiring and replaced nodes included, so
 * converge drains, forgets and resets them) published in SSM, and the association that runs
 * {@code redis-ha converge} on node-0-0; {@code pulumi up} waits for it.
 */
final class ClusterConverge {
    record Declared(Parameter placement, Parameter record, Association association) {
    }

    private ClusterConverge() {
    }

    static Declared declare(Resource parent, String name, RedisClusterArgs args, ClusterSettings settings, Output<Plan> plan,
                            ClusterNodes.Declared nodes, ClusterSecrets.Declared secrets, BootstrapArtifact.Declared artifact,
                            List<Resource> restoreAccess, Map<String, String> baseTags) {
        Output<Optional<ConvergeRecord>> last = ConvergeRuns.last(name);
        Output<String> placementJson = Output.tuple(plan, ClusterNodes.addresses(nodes.planned()),
                        ClusterNodes.addresses(nodes.retiring()), ClusterNodes.addresses(nodes.replaced()))
                .applyValue(t -> Placement.bind(t.t1, t.t2, t.t3, t.t4).toJson());
        Parameter placement = new Parameter(name + "-placement", ParameterArgs.builder()
                .name(settings.placementParameter())
                .type("String")
                .tier("Advanced")
                .value(placementJson)
                .description("redis-ha " + name + ": the placement redis-ha converge brings the cluster to")
                .tags(baseTags)
                .build(), Children.of(parent));
        // Written by converge on the node (the only parameter the node role may write); declared so the
        // stack owns it, and never overwritten by a deployment after its creation.
        Parameter record = new Parameter(name + "-converge-state", ParameterArgs.builder()
                .name(ConvergeRecord.parameterName(name))
                .type("String")
                .tier("Advanced")
                .value("{}")
                .description("redis-ha " + name + ": the last converge run (placement digest, attempt, outcome), written by converge")
                .tags(baseTags)
                .build(), CustomResourceOptions.builder().parent(parent).ignoreChanges("value").build());
        Document converge = new Document(name + "-converge", DocumentArgs.builder()
                .documentType("Command")
                .documentFormat("JSON")
                .content(ConvergeDocument.content(args.convergeTimeoutSeconds, settings.redis().tls(), settings.restoreAtCreation().isPresent()))
                .tags(baseTags)
                .build(), Children.of(parent));
        List<Resource> convergeDeps = new ArrayList<>(nodes.all());
        convergeDeps.add(placement);
        convergeDeps.add(record);
        convergeDeps.add(artifact.jar());
        convergeDeps.addAll(secrets.all());
        convergeDeps.addAll(restoreAccess);
        Optional<String> restoreFrom = settings.restoreAtCreation().map(BackupPlan.RestoreSource::uri);
        Output<String> seedId = nodes.planned().get(PlannedNode.nameOf(0, 0)).id();
        Association association = new Association(name + "-converge-association", AssociationArgs.builder()
                .name(converge.name())
                .associationName(name + "-converge")
                .targets(seedId.applyValue(id -> List.of(AssociationTargetArgs.builder().key("InstanceIds").values(id).build())))
                .parameters(Output.tuple(placement.name(), secrets.auth().name(), artifact.bucketName(), placementJson, last)
                        .applyValue(t -> {
                            Map<String, String> p = new LinkedHashMap<>(Map.of(
                                    "planParameter", t.t1,
                                    "passwordParameter", t.t2,
                                    "jarBucket", t.t3,
                                    "jarKey", artifact.jarKey(),
                                    // a new placement changes the association, so it runs again; so does a new
                                    // attempt, asked when the last run on this placement did not converge
                                    "placementDigest", ConvergeRecord.digestOf(t.t4),
                                    "recordParameter", ConvergeRecord.parameterName(name),
                                    "attempt", String.valueOf(ConvergeRecord.nextAttempt(t.t5, ConvergeRecord.digestOf(t.t4)))));
                            restoreFrom.ifPresent(uri -> p.put(ConvergeDocument.RESTORE_FROM.name(), uri));
                            return p;
                        }))
                .waitForSuccessTimeoutSeconds(args.convergeTimeoutSeconds)
                .maxErrors("0")
                .build(), Children.of(parent, convergeDeps));
        return new Declared(placement, record, association);
    }
}
