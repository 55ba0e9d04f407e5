package io.redisha.components;

import com.pulumi.aws.AwsFunctions;
import com.pulumi.aws.iam.InstanceProfile;
import com.pulumi.aws.iam.InstanceProfileArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.iam.RolePolicyAttachmentArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.Resource;
import io.redisha.components.node.MetricsTimer;
import io.redisha.components.node.WatchdogUserData;
import io.redisha.topology.ConvergeRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nodes' IAM role and instance profile: SSM core, this cluster's parameters and jar object, the one
 * parameter a node writes (the converge record), metrics, the watchdog; with backups, write-only access
 * under the cluster's backup prefix ({@link Policies#backupWrite}); with a restore at creation, read
 * access to that backup ({@link Policies#restoreRead}).
 */
final class NodeRole {
    /**
     * @param ready        the policies a node needs before it boots
     * @param backupAccess the policy the scheduled backup needs (with backups)
     * @param restoreAccess the policy converge's restore needs (a new cluster with restoreFrom)
     */
    record Declared(InstanceProfile profile, List<Resource> ready, Optional<RolePolicy> backupAccess, Optional<RolePolicy> restoreAccess) {
    }

    private NodeRole() {
    }

    static Declared declare(Resource parent, String name, ClusterSettings settings, ClusterSecrets.Declared secrets,
                            BootstrapArtifact.Declared artifact, Optional<ClusterBackups.Storage> backups, Map<String, String> baseTags) {
        Role role = new Role(name + "-node-role", RoleArgs.builder()
                .assumeRolePolicy(Policies.ec2AssumeRole())
                .description("redis-ha " + name + " nodes")
                .tags(baseTags)
                .build(), Children.of(parent));
        RolePolicyAttachment ssmCore = new RolePolicyAttachment(name + "-node-ssm-core", RolePolicyAttachmentArgs.builder()
                .role(role.name())
                .policyArn("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")
                .build(), Children.of(parent));
        // the placement parameter is declared after the nodes (it holds their addresses): its ARN is built
        List<Output<String>> parameterArns = new ArrayList<>();
        parameterArns.add(parameterArn(settings.placementParameter()));
        secrets.all().forEach(p -> parameterArns.add(ProviderOutputs.required(p.arn(), p.pulumiResourceName(), "arn")));
        RolePolicy access = new RolePolicy(name + "-node-access", RolePolicyArgs.builder()
                .role(role.name())
                .policy(Output.tuple(Output.all(parameterArns), parameterArn(ConvergeRecord.parameterName(name)), artifact.jarArn())
                        .applyValue(t -> Policies.nodeAccess(t.t1, t.t2, t.t3)))
                .build(), Children.of(parent));
        RolePolicy metricsAccess = new RolePolicy(name + "-node-metrics", RolePolicyArgs.builder()
                .role(role.name())
                .policy(MetricsPolicy.putMetricData(MetricsTimer.NAMESPACE))
                .build(), Children.of(parent));
        RolePolicy watchdogAccess = new RolePolicy(name + "-node-watchdog", RolePolicyArgs.builder()
                .role(role.name())
                .policy(WatchdogUserData.POLICY)
                .build(), Children.of(parent));
        InstanceProfile profile = new InstanceProfile(name + "-node-profile", InstanceProfileArgs.builder()
                .role(role.name())
                .tags(baseTags)
                .build(), Children.of(parent));
        Optional<RolePolicy> backupAccess = backups.map(storage -> new RolePolicy(name + "-node-backups", RolePolicyArgs.builder()
                .role(role.name())
                .policy(Output.tuple(storage.bucketName(), storage.keyArn()).applyValue(t -> Policies.backupWrite(t.t1, storage.prefix(), t.t2)))
                .build(), Children.of(parent)));
        Optional<RolePolicy> restoreAccess = settings.restoreAtCreation().map(source -> new RolePolicy(name + "-node-restore", RolePolicyArgs.builder()
                .role(role.name())
                .policy(AwsFunctions.getRegion().applyValue(r -> Policies.restoreRead(source.objectsArn(), r.name())))
                .build(), Children.of(parent)));
        return new Declared(profile, List.of(ssmCore, access, metricsAccess, watchdogAccess), backupAccess, restoreAccess);
    }

    /** The ARN of an SSM parameter of this region and account (both from the provider). */
    private static Output<String> parameterArn(String parameterName) {
        return Output.tuple(AwsFunctions.getRegion().applyValue(r -> r.name()),
                        AwsFunctions.getCallerIdentity().applyValue(id -> id.accountId()))
                .applyValue(t -> "arn:aws:ssm:" + t.t1 + ":" + t.t2 + ":parameter" + parameterName);
    }
}
