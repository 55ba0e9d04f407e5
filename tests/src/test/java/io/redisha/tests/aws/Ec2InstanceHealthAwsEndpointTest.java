package io.redisha.tests.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.aws.Ec2InstanceHealth;
import io.redisha.topology.NodeAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The watchdog's EC2 view against a real EC2 API endpoint (moto's server or LocalStack): instances
 * are started, stopped and terminated through the endpoint's query API, and {@link Ec2InstanceHealth}
 * must find each by its private IP and report exactly the stopped and terminated ones as down.
 * The "impaired" status check (never death) is covered against a double in the bootstrap module: this endpoint cannot fail one.
 */
class Ec2InstanceHealthAwsEndpointTest {
    private static AwsEndpoint endpoint;
    private static Map<String, String> env;

    @BeforeAll
    static void start() {
        endpoint = AwsEndpoint.startOrFail();
        env = endpoint.childEnvironment();
    }

    @AfterAll
    static void stop() {
        endpoint.close();
    }

    @Test
    void reportsStoppedAndTerminatedInstancesAsDownAndRunningOnesAsNotKnownDown() throws Exception {
        String[] running = runInstance();
        String[] stopped = runInstance();
        String[] terminated = runInstance();
        query("StopInstances", "InstanceId.1=" + stopped[0]);
        query("TerminateInstances", "InstanceId.1=" + terminated[0]);
        try (Ec2InstanceHealth health = new Ec2InstanceHealth(URI.create(env.get("AWS_ENDPOINT_URL")), env.get("AWS_REGION"),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))) {
            assertEquals(Optional.empty(), health.certainlyDown(new NodeAddress(running[1], 6379)), "a running instance is not down");
            String down = health.certainlyDown(new NodeAddress(stopped[1], 6379)).orElseThrow();
            assertTrue(down.matches("instance " + stopped[0] + " \\(" + Pattern.quote(stopped[1]) + "\\) is stopped"), down);
            String gone = health.certainlyDown(new NodeAddress(terminated[1], 6379)).orElseThrow();
            assertTrue(gone.matches("instance " + terminated[0] + " .* is (shutting-down|terminated)"), gone);
            assertEquals(Optional.empty(), health.certainlyDown(new NodeAddress("10.255.255.254", 6379)), "no instance with that IP: not known");
        }
    }

    /** Starts one instance; returns its id and private IP. */
    private static String[] runInstance() throws Exception {
        String xml = query("RunInstances", "ImageId=ami-12c6146b&MinCount=1&MaxCount=1&InstanceType=t3.micro");
        return new String[] {first(xml, "instanceId"), first(xml, "privateIpAddress")};
    }

    private static String first(String xml, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">([^<]+)</" + tag + ">").matcher(xml);
        assertTrue(m.find(), tag + " in " + xml);
        return m.group(1);
    }

    /** One EC2 query call; the endpoint does not check signatures, the region comes from the credential scope. */
    private static String query(String action, String parameters) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(env.get("AWS_ENDPOINT_URL")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + env.get("AWS_ACCESS_KEY_ID") + "/20250101/" + env.get("AWS_REGION")
                        + "/ec2/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString("Action=" + action + "&Version=2016-11-15&" + parameters)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }
}
