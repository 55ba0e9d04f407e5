package io.redisha.tests.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML program declaring one {@code redis-ha:index:RedisCluster} with the inputs of a committed
 * stack config ({@code stacks/Pulumi.<stack>.yaml}: every {@code redis-ha:} key becomes the input of
 * the same name, typed as the Java stack reads it), plus what a user of the component sets outside
 * it: an AMI (the Java stack would build the node image), the secrets, and the last deployment's
 * outputs ({@link #withLastDeployment}). Written as JSON, which YAML reads.
 */
final class ClusterProgram {
    static final String AMI = "ami-0123456789abcdef0";
    static final String PASSWORD = "engine-auth-password-4d9c1f7e";
    static final String TLS_KEY = "-----BEGIN PRIVATE KEY-----engine-test-key-7731-----END PRIVATE KEY-----";
    static final List<String> OUTPUTS = List.of("nodes", "seedEndpoints", "clientSecurityGroupId", "planSummary",
            "survivesZoneLoss", "plan", "retiringNodes", "scalingPlan", "scalingMoves", "scalingBase", "nodeGenerations", "rollPlan");
    private static final ObjectMapper JSON = EngineProject.JSON;

    private final String name;
    private final Map<String, JsonNode> inputs = new LinkedHashMap<>();
    private final Map<String, JsonNode> beside = new LinkedHashMap<>();

    private ClusterProgram(String name) {
        this.name = name;
    }

    /** The inputs of {@code stacks/Pulumi.<stack>.yaml}; the cluster is named after the stack, as there. */
    static ClusterProgram fromStackConfig(String stack) {
        ClusterProgram p = new ClusterProgram(stack);
        try {
            JsonNode file = new YAMLMapper().readTree(Files.readString(stackFile(stack)));
            for (Iterator<Map.Entry<String, JsonNode>> it = file.path("config").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().startsWith("redis-ha:")) {
                    p.inputs.put(e.getKey().substring("redis-ha:".length()), typed(e.getValue()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!p.inputs.containsKey("imageId")) {
            // the AMI stands in for the node image the Java stack builds when imageId is unset, which provides the tunings
            p.inputs.put("imageId", JSON.getNodeFactory().textNode(AMI));
            p.inputs.put("imageProvidesTunings", JSON.getNodeFactory().booleanNode(true));
        }
        if (p.inputs.getOrDefault("tls", JSON.getNodeFactory().booleanNode(false)).asBoolean()) {
            p.set("tlsCaCertificate", "-----BEGIN CERTIFICATE-----engine-test-ca-----END CERTIFICATE-----");
            p.set("tlsCertificate", "-----BEGIN CERTIFICATE-----engine-test-node-----END CERTIFICATE-----");
        }
        return p;
    }

    static Path stackFile(String stack) {
        Path here = Path.of("..", "stacks", "Pulumi." + stack + ".yaml");
        return Files.exists(here) ? here : Path.of("stacks", "Pulumi." + stack + ".yaml");
    }

    /** A config string as the Java stack reads it: whole numbers, true/false, lists; else text. */
    private static JsonNode typed(JsonNode value) {
        if (value.isTextual() && value.asText().matches("-?\\d+")) {
            return JSON.getNodeFactory().numberNode(Integer.parseInt(value.asText()));
        }
        if (value.isTextual() && value.asText().matches("true|false")) {
            return JSON.getNodeFactory().booleanNode(Boolean.parseBoolean(value.asText()));
        }
        return value;
    }

    String name() {
        return name;
    }

    ClusterProgram set(String input, Object value) {
        inputs.put(input, JSON.valueToTree(value));
        return this;
    }

    ClusterProgram remove(String input) {
        inputs.remove(input);
        return this;
    }

    /** Resources the program declares beside the cluster: YAML resource declarations by name (they may use ${cluster.output}). */
    ClusterProgram beside(JsonNode resources) {
        resources.fields().forEachRemaining(e -> beside.put(e.getKey(), e.getValue()));
        return this;
    }

    /** The last deployment's plan, scalingBase, retiringNodes and nodeGenerations as inputs, as a user of the component passes them. */
    ClusterProgram withLastDeployment(JsonNode outputs) {
        inputs.put("previousPlan", outputs.path("plan"));
        if (!outputs.path("scalingBase").asText().isEmpty()) {
            inputs.put("previousScalingBase", outputs.path("scalingBase"));
        } else {
            inputs.remove("previousScalingBase");
        }
        if (outputs.path("retiringNodes").size() > 0) {
            inputs.put("previousRetiringNodes", outputs.path("retiringNodes"));
        } else {
            inputs.remove("previousRetiringNodes");
        }
        if (outputs.path("nodeGenerations").isArray()) {
            inputs.put("previousNodeGenerations", outputs.path("nodeGenerations"));
        }
        return this;
    }

    boolean tls() {
        return inputs.containsKey("tlsCertificate");
    }

    /** Pulumi.yaml; the secrets come from config ({@link #setSecrets}). */
    String yaml() {
        ObjectNode program = JSON.createObjectNode();
        program.put("name", "redis-ha-engine-test");
        program.put("runtime", "yaml");
        ObjectNode config = program.putObject("config");
        ObjectNode properties = JSON.createObjectNode();
        inputs.forEach(properties::set);
        secret(config, properties, "authPassword");
        if (tls()) {
            secret(config, properties, "tlsPrivateKey");
        }
        ObjectNode cluster = program.putObject("resources").putObject(name);
        cluster.put("type", "redis-ha:index:RedisCluster");
        cluster.set("properties", properties);
        beside.forEach(((ObjectNode) program.path("resources"))::set);
        ObjectNode outputs = program.putObject("outputs");
        OUTPUTS.forEach(o -> outputs.put(o, "${" + name + "." + o + "}"));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(program);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void secret(ObjectNode config, ObjectNode properties, String key) {
        config.putObject(key).put("type", "string").put("secret", true);
        properties.put(key, "${" + key + "}");
    }

    /** {@code pulumi config set --secret} for the AUTH password and, with TLS, the private key. */
    void setSecrets(EngineProject project) {
        project.ok("config", "set", "--secret", "authPassword", PASSWORD);
        if (tls()) {
            project.ok("config", "set", "--secret", "--", "tlsPrivateKey", TLS_KEY);
        }
    }

    /** A new project running this program, secrets set. */
    EngineProject start() {
        EngineProject project = EngineProject.create(name, yaml());
        return project.initialised(() -> setSecrets(project));
    }
}
