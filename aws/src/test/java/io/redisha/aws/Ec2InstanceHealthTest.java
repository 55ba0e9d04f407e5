package io.redisha.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.redisha.topology.NodeAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What the watchdog may take from EC2 as death, against an EC2 double on loopback (a JDK HTTP
 * server answering DescribeInstances and DescribeInstanceStatus with what each case sets: the
 * states and status checks a real endpoint cannot be made to show on demand).
 */
class Ec2InstanceHealthTest {
    private static final NodeAddress NODE = new NodeAddress("10.0.1.7", 6379);

    private HttpServer double_;
    /** The instance the double finds at the node's IP, and each instance's state. */
    private volatile String instanceId = "i-0aaa";
    private final Map<String, String> states = new ConcurrentHashMap<>(Map.of("i-0aaa", "running"));
    private volatile String checks = "ok";
    private final AtomicLong clock = new AtomicLong();

    @BeforeEach
    void startDouble() throws IOException {
        double_ = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        double_.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String xml = body.contains("Action=DescribeInstances&")
                    ? "<DescribeInstancesResponse><reservationSet><item><instancesSet><item><instanceId>" + instanceId
                            + "</instanceId></item></instancesSet></item></reservationSet></DescribeInstancesResponse>"
                    : "<DescribeInstanceStatusResponse><instanceStatusSet><item><instanceId>" + asked(body) + "</instanceId>"
                            + "<instanceState><code>16</code><name>" + states.get(asked(body)) + "</name></instanceState>"
                            + "<systemStatus><status>" + checks + "</status></systemStatus>"
                            + "<instanceStatus><status>" + checks + "</status></instanceStatus>"
                            + "</item></instanceStatusSet></DescribeInstanceStatusResponse>";
            byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        double_.start();
    }

    @AfterEach
    void stopDouble() {
        double_.stop(0);
    }

    private static String asked(String body) {
        Matcher m = Pattern.compile("InstanceId\\.1=([^&]+)").matcher(body);
        return m.find() ? m.group(1) : "none";
    }

    private Ec2InstanceHealth health() {
        return new Ec2InstanceHealth(URI.create("http://127.0.0.1:" + double_.getAddress().getPort()), "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")), clock::get);
    }

    @Test
    void anImpairedStatusCheckOrAStoppingInstanceIsNeverDeath() {
        try (Ec2InstanceHealth health = health()) {
            checks = "impaired";
            assertEquals(Optional.empty(), health.certainlyDown(NODE), "impaired says nothing of the Redis process");
            states.put("i-0aaa", "stopping");
            assertEquals(Optional.empty(), health.certainlyDown(NODE), "a stopping instance may still serve");
            for (String down : new String[] {"stopped", "shutting-down", "terminated"}) {
                states.put("i-0aaa", down);
                assertEquals(Optional.of("instance i-0aaa (10.0.1.7) is " + down), health.certainlyDown(NODE));
            }
        }
    }

    @Test
    void theInstanceFoundByAnIpIsLookedUpAgainOnceItsAnswerExpires() {
        try (Ec2InstanceHealth health = health()) {
            states.put("i-0aaa", "terminated");
            assertEquals(Optional.of("instance i-0aaa (10.0.1.7) is terminated"), health.certainlyDown(NODE));
            // A new instance takes over the terminated one's private IP; the double now maps the IP to it.
            instanceId = "i-0bbb";
            states.put("i-0bbb", "running");
            clock.addAndGet(Ec2InstanceHealth.INSTANCE_ID_MAX_AGE.plus(Duration.ofSeconds(1)).toNanos());
            assertEquals(Optional.empty(), health.certainlyDown(NODE), "the IP now belongs to a running instance");
        }
    }
}
