package io.redisha.aws;

import io.redisha.cluster.monitor.InstanceHealth;
import io.redisha.topology.NodeAddress;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * EC2's word on a node's instance, for the watchdog: the instance is found by the node's private
 * IP (DescribeInstances), then DescribeInstanceStatus (all instances, running or not) says whether
 * it is stopped, shutting down or terminated: the only states in which its Redis process is
 * certainly gone. {@code stopping} is not one (the process may still serve for a while) and a
 * failing status check ({@code impaired}) never is: it lags by about a minute and says nothing of
 * the process. The IP-to-instance answer expires ({@link #INSTANCE_ID_MAX_AGE}): a new instance may
 * reuse the IP of a terminated one. Calls time out quickly ({@link #CALL_TIMEOUT}); on EC2 they go
 * through the VPC's {@code ec2} interface endpoint, which the component declares.
 * Speaks EC2's query protocol over {@link SignedPost}, so no EC2 client jar is needed; honours
 * {@code AWS_ENDPOINT_URL} (moto) like the other AWS classes.
 */
public final class Ec2InstanceHealth implements InstanceHealth, AutoCloseable {
    /** The endpoint service name (com.amazonaws.REGION.ec2) a node needs to reach EC2's API. */
    public static final String SERVICE = "ec2";
    private static final String VERSION = "2016-11-15";
    private static final Set<String> DOWN_STATES = Set.of("stopped", "shutting-down", "terminated");
    static final Duration INSTANCE_ID_MAX_AGE = Duration.ofSeconds(60);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final LongSupplier nanoTime;
    /** Private IP to instance id, with when it was read: an instance keeps its IP for life, but the IP outlives the instance. */
    private final Map<String, Map.Entry<String, Long>> instanceByIp = new ConcurrentHashMap<>();

    public Ec2InstanceHealth(URI endpoint, String region, AwsCredentialsProvider credentials) {
        this(endpoint, region, credentials, System::nanoTime);
    }

    Ec2InstanceHealth(URI endpoint, String region, AwsCredentialsProvider credentials, LongSupplier nanoTime) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.nanoTime = nanoTime;
        this.http = UrlConnectionHttpClient.builder().connectionTimeout(CALL_TIMEOUT).socketTimeout(CALL_TIMEOUT).build();
    }

    public static Ec2InstanceHealth fromEnvironment() {
        String region = new DefaultAwsRegionProviderChain().getRegion().id();
        URI endpoint = Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")).filter(s -> !s.isBlank()).map(URI::create)
                .orElse(URI.create("https://ec2." + region + ".amazonaws.com"));
        return new Ec2InstanceHealth(endpoint, region, DefaultCredentialsProvider.builder().build());
    }

    @Override
    public Optional<String> certainlyDown(NodeAddress node) {
        try {
            String ip = InetAddress.getByName(node.bareHost()).getHostAddress();
            Optional<String> instance = instanceOf(ip);
            if (instance.isEmpty()) {
                return Optional.empty();
            }
            Map<String, String> query = new LinkedHashMap<>();
            query.put("InstanceId.1", instance.get());
            query.put("IncludeAllInstances", "true");
            Document answer = call("DescribeInstanceStatus", query);
            NodeList sets = answer.getElementsByTagName("instanceStatusSet");
            NodeList items = sets.getLength() == 0 ? null : ((Element) sets.item(0)).getElementsByTagName("item");
            if (items == null || items.getLength() == 0) {
                return Optional.empty();
            }
            return verdict(instance.get(), ip, (Element) items.item(0));
        } catch (Exception e) {
            // Not knowing is never certainty: the probe's own evidence decides alone.
            return Optional.empty();
        }
    }

    /** The verdict on one {@code instanceStatusSet} item: down only in a state where the process is certainly gone. */
    static Optional<String> verdict(String instance, String ip, Element status) {
        String state = text(status, "instanceState", "name").orElse("unknown");
        return DOWN_STATES.contains(state) ? Optional.of("instance " + instance + " (" + ip + ") is " + state) : Optional.empty();
    }

    private Optional<String> instanceOf(String ip) throws Exception {
        Map.Entry<String, Long> known = instanceByIp.get(ip);
        if (known != null && nanoTime.getAsLong() - known.getValue() <= INSTANCE_ID_MAX_AGE.toNanos()) {
            return Optional.of(known.getKey());
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("Filter.1.Name", "private-ip-address");
        query.put("Filter.1.Value.1", ip);
        NodeList ids = call("DescribeInstances", query).getElementsByTagName("instanceId");
        if (ids.getLength() == 0) {
            return Optional.empty();
        }
        String id = ids.item(0).getTextContent().strip();
        instanceByIp.put(ip, Map.entry(id, nanoTime.getAsLong()));
        return Optional.of(id);
    }

    private Document call(String action, Map<String, String> parameters) throws Exception {
        StringBuilder body = new StringBuilder("Action=").append(action).append("&Version=").append(VERSION);
        parameters.forEach((k, v) -> body.append('&').append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String xml = SignedPost.send(http, endpoint, region, SERVICE, credentials,
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), body.toString().getBytes(StandardCharsets.UTF_8),
                "EC2 " + action);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The text of {@code child} inside the first {@code parent} element under {@code root}. */
    private static Optional<String> text(Element root, String parent, String child) {
        NodeList parents = root.getElementsByTagName(parent);
        if (parents.getLength() == 0) {
            return Optional.empty();
        }
        NodeList children = ((Element) parents.item(0)).getElementsByTagName(child);
        return children.getLength() == 0 ? Optional.empty() : Optional.of(children.item(0).getTextContent().strip());
    }

    @Override
    public void close() {
        http.close();
    }
}
