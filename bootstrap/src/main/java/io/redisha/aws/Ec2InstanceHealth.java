package io.redisha.aws;

import io.redisha.cluster.InstanceHealth;
import io.redisha.topology.NodeAddress;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * it is stopping, stopped, shutting down, terminated, or failing its status checks (impaired).
 * Speaks EC2's query protocol over {@link SignedPost}, so no EC2 client jar is needed; honours
 * {@code AWS_ENDPOINT_URL} (moto) like the other AWS classes.
 */
public final class Ec2InstanceHealth implements InstanceHealth, AutoCloseable {
    private static final String VERSION = "2016-11-15";
    private static final Set<String> DOWN_STATES = Set.of("stopping", "stopped", "shutting-down", "terminated");

    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    /** Private IP to instance id: looked up once, an instance keeps its IP for life. */
    private final Map<String, String> instanceByIp = new ConcurrentHashMap<>();

    public Ec2InstanceHealth(URI endpoint, String region, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.http = UrlConnectionHttpClient.builder().build();
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
            Element set = (Element) items.item(0);
            String state = text(set, "instanceState", "name").orElse("unknown");
            if (DOWN_STATES.contains(state)) {
                return Optional.of("instance " + instance.get() + " (" + ip + ") is " + state);
            }
            for (String check : List.of("systemStatus", "instanceStatus")) {
                if (text(set, check, "status").filter("impaired"::equals).isPresent()) {
                    return Optional.of("instance " + instance.get() + " (" + ip + ") fails its " + check + " check (impaired)");
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            // Not knowing is never certainty: the probe's own evidence decides alone.
            return Optional.empty();
        }
    }

    private Optional<String> instanceOf(String ip) throws Exception {
        String known = instanceByIp.get(ip);
        if (known != null) {
            return Optional.of(known);
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("Filter.1.Name", "private-ip-address");
        query.put("Filter.1.Value.1", ip);
        NodeList ids = call("DescribeInstances", query).getElementsByTagName("instanceId");
        if (ids.getLength() == 0) {
            return Optional.empty();
        }
        String id = ids.item(0).getTextContent().strip();
        instanceByIp.put(ip, id);
        return Optional.of(id);
    }

    private Document call(String action, Map<String, String> parameters) throws Exception {
        StringBuilder body = new StringBuilder("Action=").append(action).append("&Version=").append(VERSION);
        parameters.forEach((k, v) -> body.append('&').append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String xml = SignedPost.send(http, endpoint, region, "ec2", credentials,
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
