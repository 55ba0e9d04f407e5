package io.redisha.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dev program declares exactly the resources it declared before {@code RedisCluster} was split
 * into parts (issue 11): same URNs (name, type, parent chain) and same inputs, so an existing stack
 * sees no replacement. The fixture {@code engine/dev-urns.txt} was captured from this preview on
 * main before the split; one line per resource: the URN, a tab, its inputs as sorted JSON. Two lines
 * were added after: {@code dev-node-watchdog}, the watchdog's role policy (issue 14), new on main, and
 * {@code dev-ec2-endpoint}, the ec2 interface endpoint the watchdog's EC2 calls need (issue 19);
 * then {@code dev-converge-state}, the parameter converge records its runs in, with the converge
 * document's new parameters and commands (issue 17).
 *
 * <p>{@code userData} is left out of the inputs: other issues change the node's user data on purpose
 * (the watchdog, the unified redis.conf renderer); instances ignore changes to it (NodeGenerations).
 * The bootstrap jar asset's hash and file change with every build of the jar: left out.
 * Auto-named resources get a random suffix per preview: compared as {@code <name>-<auto>}.
 */
class DevUrnsEngineTest {
    static final String FIXTURE = "/engine/dev-urns.txt";
    static final List<String> NOT_COMPARED = List.of("userData");
    /** The provider's auto-name suffix comes from the engine's random seed, new on every preview. */
    static final Pattern AUTO_NAME_SUFFIX = Pattern.compile("\"(dev-[a-z0-9-]+)-[0-9a-f]{7}\"");

    @BeforeAll
    static void engine() {
        EngineTools.requireOrFail();
    }

    @Test
    void engineDevProgramDeclaresTheSameUrnsAndInputsAsBeforeTheSplit() throws IOException {
        ClusterProgram program = ClusterProgram.fromStackConfig("dev");
        String actual;
        try (EngineProject project = program.start()) {
            actual = declared(project.preview());
        }
        String expected = fixture();
        if (!expected.equals(actual)) {
            // written for review beside the build output, never copied over the fixture by the test
            Files.writeString(Path.of("target", "dev-urns.actual.txt"), actual);
        }
        assertEquals(expected, actual, "the dev program's URNs or inputs changed; see target/dev-urns.actual.txt");
    }

    /** Every step's URN and inputs (without {@link #NOT_COMPARED}), sorted by URN. */
    static String declared(Preview preview) {
        TreeMap<String, String> lines = new TreeMap<>();
        for (JsonNode step : preview.json().path("steps")) {
            JsonNode inputs = step.path("newState").path("inputs").deepCopy();
            if (inputs instanceof ObjectNode object) {
                object.remove(NOT_COMPARED);
                if (object.path("source") instanceof ObjectNode asset) {
                    asset.remove(List.of("hash", "path")); // the bootstrap jar: its digest and file are new with every build
                }
            }
            lines.put(step.path("urn").asText(), AUTO_NAME_SUFFIX.matcher(sorted(inputs).toString()).replaceAll("\"$1-<auto>\""));
        }
        StringBuilder out = new StringBuilder();
        lines.forEach((urn, inputs) -> out.append(urn).append('\t').append(inputs).append('\n'));
        return out.toString();
    }

    private static JsonNode sorted(JsonNode node) {
        try {
            Object value = EngineProject.JSON.treeToValue(node, Object.class);
            return EngineProject.JSON.readTree(EngineProject.JSON.copy()
                    .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                    .writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fixture() throws IOException {
        try (InputStream in = DevUrnsEngineTest.class.getResourceAsStream(FIXTURE)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
