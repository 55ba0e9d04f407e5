package io.redisha.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** PulumiPolicy.yaml and the example config agree with the pack and the build. */
class PolicyPackFileTest {
    private static final Path DIR = Path.of(System.getProperty("policies.basedir", "."));

    @Test
    void pulumiPolicyYamlRunsTheShadedJarWithJava() throws Exception {
        JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("PulumiPolicy.yaml").toFile());
        assertEquals("java", yaml.path("runtime").path("name").asText());
        assertEquals("policies/target/redis-ha-policies.jar", yaml.path("runtime").path("options").path("binary").asText());
        assertEquals(PolicyPack.VERSION, yaml.path("version").asText(), "the engine prefers this version over GetAnalyzerInfo's");
        String pom = Files.readString(DIR.resolve("pom.xml"));
        assertTrue(pom.contains("<finalName>redis-ha-policies</finalName>") && pom.contains("<mainClass>io.redisha.policies.Main</mainClass>"));
    }

    @Test
    void theExampleConfigIsValidForThePack() throws Exception {
        JsonNode config = new ObjectMapper().readTree(DIR.resolve("policy-config.example.json").toFile());
        PolicyPack pack = PolicyPack.standard();
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            @SuppressWarnings("unchecked")
            Map<String, Object> values = new ObjectMapper().convertValue(e.getValue(), Map.class);
            pack.configure(e.getKey(), Optional.empty(), values);
        }
        assertEquals(EnforcementLevel.MANDATORY, pack.level("redis-replicas-for-production"));
    }
}
