package io.redisha.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.redisha.topology.NodeTunings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AWSTOE documents parse and wire the scripts into the right phases. */
class AwstoeDocumentsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static JsonNode phase(JsonNode doc, String name) {
        for (JsonNode p : doc.path("phases")) {
            if (name.equals(p.path("name").asText())) {
                return p;
            }
        }
        throw new AssertionError("no phase '" + name + "' in " + doc.path("name").asText());
    }

    /** The bash commands of a phase; each must be a YAML string (an unquoted ": " makes a map). */
    static List<String> commands(JsonNode phase) {
        var out = new ArrayList<String>();
        for (JsonNode step : phase.path("steps")) {
            if ("ExecuteBash".equals(step.path("action").asText())) {
                for (JsonNode c : step.path("inputs").path("commands")) {
                    assertTrue(c.isTextual(), "command in step " + step.path("name").asText() + " is not a string: " + c);
                    out.add(c.asText());
                }
            }
        }
        return out;
    }

    private static void assertSchema(JsonNode doc) {
        assertEquals("1.0", doc.path("schemaVersion").asText());
        assertTrue(doc.path("name").isTextual());
        for (JsonNode p : doc.path("phases")) {
            assertTrue(List.of("build", "validate", "test").contains(p.path("name").asText()), p.toString());
            for (JsonNode step : p.path("steps")) {
                assertTrue(step.path("name").asText().matches("[A-Za-z][A-Za-z0-9]*"), step.toString());
                assertTrue(List.of("ExecuteBash", "CreateFile").contains(step.path("action").asText()), step.toString());
            }
        }
    }

    @Test
    void tuningsDocumentRunsInstallInBuildAndCheckInValidateAndTest() throws Exception {
        for (String text : List.of(NodeImageDocuments.tuningsTemplate(), NodeImageDocuments.tuningsDocument())) {
            JsonNode doc = YAML.readTree(text);
            assertSchema(doc);
            assertTrue(commands(phase(doc, "build")).stream()
                    .anyMatch(c -> c.contains(NodeImageFiles.STAGING_DIR + "/install-tunings.sh /")), text);
            assertEquals(List.of(NodeTunings.CHECK_COMMAND), commands(phase(doc, "validate")));
            assertEquals(List.of(NodeTunings.CHECK_COMMAND), commands(phase(doc, "test")));
        }
    }

    @Test
    void renderedTuningsDocumentStagesEveryBakedFileVerbatim() throws Exception {
        String rendered = NodeImageDocuments.tuningsDocument();
        assertTrue(rendered.length() <= NodeImageDocuments.MAX_COMPONENT_DATA_CHARS,
                "Image Builder component data limit: " + rendered.length());
        JsonNode stage = phase(YAML.readTree(rendered), "build").path("steps").get(0);
        assertEquals("StageFiles", stage.path("name").asText());
        assertEquals("CreateFile", stage.path("action").asText());
        Map<String, String> staged = new TreeMap<>();
        stage.path("inputs").forEach(f -> staged.put(f.path("path").asText(), f.path("content").asText()));
        Map<String, String> expected = new TreeMap<>();
        NodeImageFiles.stagedNames().forEach(n -> expected.put(NodeImageFiles.STAGING_DIR + "/" + n, NodeImageFiles.content(n)));
        assertEquals(expected, staged);
    }

    /**
     * The server check of the validate and test phases, run as AWSTOE would with the recipe's parameters
     * substituted, against the real redis-server 7.0.15 on this machine: it passes only for the engine
     * and version asked.
     */
    @Test
    void theServerCheckPassesOnlyForTheEngineAndVersionAsked() throws Exception {
        JsonNode doc = YAML.readTree(NodeImageDocuments.packagesDocument());
        for (String p : List.of("validate", "test")) {
            String script = commands(phase(doc, p)).get(0);
            String check = script.lines().filter(l -> l.contains("word=") || l.contains("wanted=") || l.contains("FAIL server"))
                    .reduce("failed=0", (a, b) -> a + "\n" + b) + "\nexit \"$failed\"";
            assertEquals(0, runCheck(check, "redis", "7.0").exitCode(), p);
            assertEquals(0, runCheck(check, "redis", "7.0.15").exitCode(), p);
            Scripts.Result newer = runCheck(check, "redis", "8.2");
            assertEquals(1, newer.exitCode(), p);
            assertTrue(newer.output().contains("FAIL server: found 'Redis server v=7.0.15") && newer.output().contains("expected redis 8.2"), newer.output());
            assertEquals(1, runCheck(check, "redis", "7.0.1").exitCode(), p + ": 7.0.1 is not 7.0.15");
            assertEquals(1, runCheck(check, "valkey", "7.0.15").exitCode(), p + ": a Redis binary is not Valkey");
        }
    }

    private static Scripts.Result runCheck(String check, String engine, String version) throws Exception {
        return Scripts.run(java.util.Map.of(), "bash", "-c", check.replace("{{ Engine }}", engine).replace("{{ EngineVersion }}", version));
    }

    @Test
    void packagesDocumentInstallsTheNamedServerSource() throws Exception {
        JsonNode doc = YAML.readTree(NodeImageDocuments.packagesDocument());
        List<String> parameters = new ArrayList<>();
        doc.path("parameters").forEach(p -> p.fieldNames().forEachRemaining(parameters::add));
        assertEquals(List.of("Engine", "EngineVersion", "ServerSource"), parameters);
        String build = String.join("\n", commands(phase(doc, "build")));
        for (ServerSource source : List.of(ServerSource.UBUNTU_ARCHIVE, ServerSource.REDIS_APT, ServerSource.VALKEY_RELEASE)) {
            assertTrue(build.contains("  " + source.name() + ")"), "the build installs from " + source.name() + ": " + build);
        }
        assertTrue(build.contains("\"redis-server=6:${version}*\""), "packages.redis.io pins the version asked");
        assertTrue(build.contains("archive/refs/tags/${version}.tar.gz"), "valkey builds the release tag asked");
    }

    @Test
    void packagesDocumentInstallsRedisJavaSsmAgentAndAwsCliAndTestsThem() throws Exception {
        JsonNode doc = YAML.readTree(NodeImageDocuments.packagesDocument());
        assertSchema(doc);
        String build = String.join("\n", commands(phase(doc, "build")));
        assertTrue(build.contains("apt-get install -y --no-install-recommends redis-server redis-tools openjdk-17-jre-headless"), build);
        assertTrue(build.contains("amazon-ssm-agent"), build);
        // The user data and the converge document call the AWS CLI, which Ubuntu 24.04 does not package.
        assertTrue(build.contains("snap install aws-cli --classic") && build.contains("/usr/local/bin/aws"), build);
        for (String p : List.of("validate", "test")) {
            String cmds = String.join("\n", commands(phase(doc, p)));
            assertTrue(cmds.contains("redis-server --version") && cmds.contains("expected {{ Engine }} {{ EngineVersion }}"), p + ": " + cmds);
            assertTrue(cmds.contains("java -version"), p + ": " + cmds);
            assertTrue(cmds.contains("amazon-ssm-agent"), p + ": " + cmds);
            assertTrue(cmds.contains("/usr/local/bin/aws --version"), p + ": " + cmds);
        }
    }
}
