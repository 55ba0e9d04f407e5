package io.redisha.components;

import com.pulumi.Log;
import com.pulumi.aws.ec2.Instance;
import com.pulumi.aws.ec2.outputs.InstanceEbsBlockDevice;
import com.pulumi.core.Output;
import com.pulumi.deployment.Deployment;
import com.pulumi.deployment.internal.DeploymentImpl;
import com.pulumi.deployment.internal.DeploymentInstanceInternal;
import com.pulumi.resources.Resource;
import io.redisha.components.node.UserData;
import io.redisha.topology.RedisDirectives;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The next-generation changes a deployment holds back ({@link InputChanges.Kind#NEXT_GENERATION}):
 * what a running node of the current generation was declared with (the engine keeps its pinned
 * properties, {@link InputChanges#PINNED_INSTANCE_PROPERTIES}, so its outputs are the deployed values)
 * against what the inputs now ask. One line per input, as {@link InputChanges#pending} words it.
 */
final class PendingChanges {
    private static final Pattern MAXMEMORY = Pattern.compile("(?m)^maxmemory (\\d+)mb$");
    /** The server check {@link UserData} renders: {@code # The image must run redis 7.0 (engine, engineVersion)}. */
    private static final Pattern SERVER = Pattern.compile("(?m)^# The image must run (\\S+) (\\S+) \\(engine, engineVersion\\)");

    private PendingChanges() {
    }

    /**
     * @param running        a node of the current generation that the last deployment created (its outputs are known in a preview)
     * @param maxmemoryInput the input maxmemory comes from: maxmemoryMb when given, else maxmemoryPercent
     */
    static Output<List<String>> of(ClusterSettings settings, Output<String> ami, Instance running, String maxmemoryInput) {
        int generation = settings.generations().current();
        return Output.tuple(running.instanceType(), running.ami(), running.ebsBlockDevices(), running.userData(), ami)
                .applyValue(t -> {
                    List<String> lines = new ArrayList<>();
                    compare(lines, "instanceType", t.t1, settings.instanceType(), generation);
                    compare(lines, "imageId", t.t2, t.t5, generation);
                    Integer volume = t.t3 == null ? null : t.t3.stream().filter(d -> UserData.DATA_DEVICE.equals(d.deviceName()))
                            .map(InstanceEbsBlockDevice::volumeSize).flatMap(Optional::stream).findFirst().orElse(null);
                    compare(lines, "dataVolumeSizeGib", volume == null ? null : volume + " GiB",
                            settings.dataVolumeSizeGib() + " GiB", generation);
                    // redis.conf is in the user data; a provider that keeps only a hash of it shows no line here
                    String conf = t.t4 == null ? "" : t.t4;
                    Matcher maxmemory = MAXMEMORY.matcher(conf);
                    compare(lines, maxmemoryInput, maxmemory.find() ? "maxmemory " + maxmemory.group(1) + "mb" : null,
                            "maxmemory " + settings.redis().maxmemoryMb() + "mb", generation);
                    compare(lines, "maxmemoryPolicy", directive(conf, RedisDirectives.MAXMEMORY_POLICY),
                            settings.redis().maxmemoryPolicy(), generation);
                    compare(lines, "nodeTimeoutMs", directive(conf, RedisDirectives.CLUSTER_NODE_TIMEOUT),
                            String.valueOf(settings.redis().nodeTimeoutMs()), generation);
                    if (!conf.isEmpty()) {
                        // absent from redis.conf: plain writes (0)
                        String minReplicas = directive(conf, "min-replicas-to-write");
                        compare(lines, "minReplicasToWrite", minReplicas == null ? "0" : minReplicas,
                                String.valueOf(settings.redis().minReplicasToWrite()), generation);
                    }
                    Matcher server = SERVER.matcher(conf);
                    if (server.find()) {
                        String engine = settings.server().engine().label();
                        compare(lines, "engine", server.group(1), engine, generation);
                        if (server.group(1).equals(engine)) {
                            compare(lines, "engineVersion", server.group(2), settings.engineVersion(), generation);
                        }
                    }
                    return List.copyOf(lines);
                });
    }

    /** {@code pending}, each line also a warning of {@code cluster} in the engine's output ({@code pulumi preview} shows it). */
    static Output<List<String>> warned(Output<List<String>> pending, Resource cluster) {
        // the engine's log is reachable only from the deployment's thread: taken here, used in the apply
        Optional<Log> log = Deployment.getInstance() instanceof DeploymentInstanceInternal d
                && d.getInternal() instanceof DeploymentImpl impl ? Optional.of(impl.getLog()) : Optional.empty();
        return pending.applyValue(lines -> {
            log.ifPresent(l -> lines.forEach(line -> l.warn(line, cluster)));
            return lines;
        });
    }

    private static void compare(List<String> lines, String input, String running, String wanted, int generation) {
        if (running != null && !running.isBlank() && !running.equals(wanted)) {
            lines.add(InputChanges.pending(input, running, wanted, generation));
        }
    }

    private static String directive(String conf, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(conf);
        return m.find() ? m.group(1) : null;
    }
}
