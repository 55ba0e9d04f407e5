package io.redisha.aws;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Publishes cluster metrics to CloudWatch with the dimension {@code ClusterName}. On a node the
 * region and credentials come from the instance profile; an {@code AWS_ENDPOINT_URL} (LocalStack,
 * moto) is honoured for tests, as in {@link SsmParameters}.
 */
public final class CloudWatchMetrics implements AutoCloseable {
    public static final String DIMENSION = "ClusterName";
    private final CloudWatchClient cloudWatch;

    public CloudWatchMetrics(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /** A client for the default region and credentials chain, with the endpoint from the environment if set. */
    public static CloudWatchMetrics fromEnvironment() {
        CloudWatchClientBuilder builder = CloudWatchClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")).filter(s -> !s.isBlank())
                .ifPresent(url -> builder.endpointOverride(URI.create(url)));
        return new CloudWatchMetrics(builder.build());
    }

    /** Puts every value under {@code namespace} with {@code ClusterName=clusterName}, one timestamp for all. */
    public void publish(String namespace, String clusterName, Map<String, Number> values) {
        if (namespace.isBlank() || namespace.startsWith("AWS/")) {
            throw new IllegalArgumentException("invalid --publish namespace '" + namespace + "': expected a custom namespace such as RedisHA");
        }
        Instant now = Instant.now();
        Dimension dimension = Dimension.builder().name(DIMENSION).value(clusterName).build();
        List<MetricDatum> data = new ArrayList<>();
        values.forEach((name, value) -> data.add(MetricDatum.builder().metricName(name).value(value.doubleValue())
                .unit(name.endsWith("Bytes") ? StandardUnit.BYTES : name.endsWith("Seconds") ? StandardUnit.SECONDS : StandardUnit.COUNT)
                .timestamp(now).dimensions(dimension).build()));
        // PutMetricData takes up to 1000 data per call; the cluster metrics are ten.
        cloudWatch.putMetricData(PutMetricDataRequest.builder().namespace(namespace).metricData(data).build());
    }

    @Override
    public void close() {
        cloudWatch.close();
    }
}
