package io.redisha.components;

import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.MetricAlarmArgs;
import com.pulumi.aws.cloudwatch.inputs.MetricAlarmMetricQueryArgs;
import com.pulumi.aws.cloudwatch.inputs.MetricAlarmMetricQueryMetricArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.redisha.components.node.MetricsTimer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CloudWatch alarms on the metrics the nodes publish ({@link MetricsTimer}), all with the
 * dimension {@code ClusterName}. With an SNS topic, alarm and OK transitions are sent to it;
 * without one the alarms are visible in the console only.
 */
public final class ClusterAlarms {
    public static final String DIMENSION = "ClusterName";

    private ClusterAlarms() {
    }

    /** Declares the alarms as children of {@code parent}; names {@code <name>-alarm-<what>}. */
    public static List<MetricAlarm> declare(Resource parent, String name, Optional<Output<String>> topicArn, Map<String, String> tags) {
        Map<String, String> dimensions = Map.of(DIMENSION, name);
        List<MetricAlarm> alarms = new ArrayList<>();
        alarms.add(simple(parent, name, "cluster-state", topicArn, tags, dimensions, "ClusterStateOk", "Minimum", "LessThanThreshold", 1.0, 2, "breaching",
                "redis-ha " + name + ": cluster_state is not ok on some node (or no node publishes metrics): clients get CLUSTERDOWN"));
        alarms.add(simple(parent, name, "replication-link", topicArn, tags, dimensions, "ReplicasWithLinkDown", "Maximum", "GreaterThanThreshold", 0.0, 3, "notBreaching",
                "redis-ha " + name + ": a replica's link to its master has been down for 3 minutes: that shard has no working replica"));
        alarms.add(simple(parent, name, "zone-loss", topicArn, tags, dimensions, "SurvivesZoneLoss", "Minimum", "LessThanThreshold", 1.0, 5, "notBreaching",
                "redis-ha " + name + ": the live roles no longer survive the loss of a zone (failovers put masters together); run redis-ha heal"));
        alarms.add(new MetricAlarm(name + "-alarm-failover", withActions(MetricAlarmArgs.builder(), topicArn)
                .alarmDescription("redis-ha " + name + ": the cluster's current epoch rose: a failover happened (or a scaling change); check with redis-ha check")
                .comparisonOperator("GreaterThanThreshold")
                .threshold(0.0)
                .evaluationPeriods(1)
                .treatMissingData("notBreaching")
                .metricQueries(
                        MetricAlarmMetricQueryArgs.builder().id("epoch").returnData(false)
                                .metric(MetricAlarmMetricQueryMetricArgs.builder().namespace(MetricsTimer.NAMESPACE)
                                        .metricName("CurrentEpoch").dimensions(dimensions).stat("Maximum").period(60).build())
                                .build(),
                        MetricAlarmMetricQueryArgs.builder().id("rise").returnData(true)
                                .expression("DIFF(epoch)").label("CurrentEpoch rise").build())
                .tags(tags)
                .build(), CustomResourceOptions.builder().parent(parent).build()));
        return alarms;
    }

    /**
     * The age of the last good backup: {@code redis-ha backup --publish} puts BackupSucceeded (1) after a
     * complete backup only, so the alarm fires when no backup succeeded within twice the schedule's
     * interval (every period of the window without a success; missing data is breaching).
     */
    static MetricAlarm backupAge(Resource parent, String name, BackupPlan plan, Optional<Output<String>> topicArn, Map<String, String> tags) {
        return new MetricAlarm(name + "-alarm-backup-age", withActions(MetricAlarmArgs.builder(), topicArn)
                .alarmDescription("redis-ha " + name + ": no backup succeeded for " + plan.alarmWindowSeconds() / 3600.0
                        + " hours (twice the schedule " + plan.schedule() + "): see the backup association's runs on node-0-0")
                .namespace(MetricsTimer.NAMESPACE)
                .metricName("BackupSucceeded")
                .dimensions(Map.of(DIMENSION, name))
                .statistic("Sum")
                .period(plan.alarmPeriodSeconds())
                .evaluationPeriods(plan.alarmEvaluationPeriods())
                .datapointsToAlarm(plan.alarmEvaluationPeriods())
                .comparisonOperator("LessThanThreshold")
                .threshold(1.0)
                .treatMissingData("breaching")
                .tags(tags)
                .build(), CustomResourceOptions.builder().parent(parent).build());
    }

    private static MetricAlarm simple(Resource parent, String name, String what, Optional<Output<String>> topicArn, Map<String, String> tags,
                                      Map<String, String> dimensions, String metric, String statistic, String comparison,
                                      double threshold, int periods, String missing, String description) {
        return new MetricAlarm(name + "-alarm-" + what, withActions(MetricAlarmArgs.builder(), topicArn)
                .alarmDescription(description)
                .namespace(MetricsTimer.NAMESPACE)
                .metricName(metric)
                .dimensions(dimensions)
                .statistic(statistic)
                .period(60)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .comparisonOperator(comparison)
                .threshold(threshold)
                .treatMissingData(missing)
                .tags(tags)
                .build(), CustomResourceOptions.builder().parent(parent).build());
    }

    private static MetricAlarmArgs.Builder withActions(MetricAlarmArgs.Builder b, Optional<Output<String>> topicArn) {
        topicArn.ifPresent(arn -> b.alarmActions(arn.applyValue(List::of)).okActions(arn.applyValue(List::of)));
        return b;
    }
}
