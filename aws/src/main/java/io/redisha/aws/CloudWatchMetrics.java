package io.redisha.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Publishes cluster metrics to CloudWatch with the dimension {@code ClusterName}. On a node the
 * region and credentials come from the instance profile; an {@code AWS_ENDPOINT_URL} (LocalStack,
 * moto) is honoured for tests, as in {@link SsmParameters}.
 *
 * <p>Speaks CloudWatch's AWS JSON 1.0 protocol (SigV4-signed by the SDK's signer over the SDK's
 * URL-connection client). The SDK's own CloudWatch client speaks only Smithy RPC v2 CBOR, which
 * CloudWatch accepts but moto, the tests' endpoint, does not; JSON 1.0 is what botocore (the AWS
 * CLI) sends, so one code path works on AWS and on the test endpoint.
 */
public final class CloudWatchMetrics implements AutoCloseable {
    public static final String DIMENSION = "ClusterName";
    /** The AWS service (endpoint prefix) this class calls: a VPC without internet needs an endpoint for it. */
    public static final String SERVICE = "monitoring";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;

    /**
     * The region given, else the SDK's chain (AWS_REGION, profile, instance metadata); a refusal that
     * says what to set when none answers, instead of the chain's list of every place it looked.
     */
    public static String region(Optional<String> given) {
        if (given.isPresent()) {
            return given.get();
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            throw new io.redisha.topology.InvalidInputException("region", "(not set)", "set AWS_REGION or --region, e.g. --region us-east-1");
        }
    }

    public CloudWatchMetrics(URI endpoint, String region, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.http = UrlConnectionHttpClient.builder().build();
    }

    /** The default region and credentials chain, with the endpoint from {@code AWS_ENDPOINT_URL} if set. */
    public static CloudWatchMetrics fromEnvironment() {
        return fromEnvironment(region(Optional.empty()));
    }

    /** As {@link #fromEnvironment()} in {@code region} (see {@link #region(Optional)}). */
    public static CloudWatchMetrics fromEnvironment(String region) {
        URI endpoint = Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")).filter(s -> !s.isBlank()).map(URI::create)
                .orElse(URI.create("https://" + SERVICE + "." + region + ".amazonaws.com"));
        return new CloudWatchMetrics(endpoint, region, DefaultCredentialsProvider.builder().build());
    }

    /** Puts every value under {@code namespace} with {@code ClusterName=clusterName}, in one PutMetricData call. */
    public void publish(String namespace, String clusterName, Map<String, Number> values) {
        if (namespace.isBlank() || namespace.startsWith("AWS/")) {
            throw new IllegalArgumentException("invalid --publish namespace '" + namespace + "': expected a custom namespace such as RedisHA");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("Namespace", namespace);
        ArrayNode data = body.putArray("MetricData");
        values.forEach((name, value) -> {
            ObjectNode datum = data.addObject();
            datum.put("MetricName", name);
            datum.putArray("Dimensions").addObject().put("Name", DIMENSION).put("Value", clusterName);
            datum.put("Value", value.doubleValue());
            datum.put("Unit", name.endsWith("Bytes") ? "Bytes" : name.endsWith("Seconds") ? "Seconds" : "Count");
        });
        call("PutMetricData", body);
    }

    /** One CloudWatch API call in AWS JSON 1.0: the action name and its request; returns the response document. */
    public JsonNode call(String action, JsonNode request) {
        byte[] payload = request.toString().getBytes(StandardCharsets.UTF_8);
        String text = SignedPost.send(http, endpoint, region, "monitoring", credentials, Map.of(
                "Content-Type", "application/x-amz-json-1.0", "X-Amz-Target", "GraniteServiceVersion20100801." + action), payload, "CloudWatch " + action);
        try {
            return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("CloudWatch " + action + " at " + endpoint + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
