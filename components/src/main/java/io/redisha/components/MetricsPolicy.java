package io.redisha.components;

/** The node policy statement for the metrics timer: PutMetricData into one namespace only. */
public final class MetricsPolicy {
    private MetricsPolicy() {
    }

    /** PutMetricData has no resource ARN; the {@code cloudwatch:namespace} condition keeps the nodes to {@code namespace}. */
    public static String putMetricData(String namespace) {
        if (!namespace.matches("[A-Za-z0-9._/#:-]+") || namespace.startsWith("AWS/")) {
            throw new IllegalArgumentException("not a custom CloudWatch namespace: " + namespace);
        }
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PublishClusterMetrics\",\"Effect\":\"Allow\","
                + "\"Action\":\"cloudwatch:PutMetricData\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"cloudwatch:namespace\":\"" + namespace + "\"}}}]}";
    }
}
