package io.redisha.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/**
 * The AWSTOE component documents, loaded from {@code node-image/awstoe/} on the classpath.
 * The tunings document is rendered: its {@code StageFiles} step receives one CreateFile input
 * per baked file, so the files are written once, in the module, and reach the build instance
 * inside the component itself.
 */
public final class NodeImageDocuments {

    static final String PACKAGES = "/node-image/awstoe/redis-ha-packages.yaml";
    static final String TUNINGS = "/node-image/awstoe/redis-ha-tunings.yaml";
    /** Image Builder refuses component data longer than this (CreateComponent 'data'). */
    public static final int MAX_COMPONENT_DATA_CHARS = 16_000;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private NodeImageDocuments() {
    }

    /** The packages component document, as kept in the module. */
    public static String packagesDocument() {
        return NodeImageFiles.resource(PACKAGES);
    }

    /** The tunings component document as kept in the module (StageFiles still empty). */
    public static String tuningsTemplate() {
        return NodeImageFiles.resource(TUNINGS);
    }

    /** The tunings component document with every baked file staged; what Image Builder receives. */
    public static String tuningsDocument() {
        try {
            JsonNode doc = YAML.readTree(tuningsTemplate());
            ArrayNode inputs = stageFilesInputs(doc);
            for (String name : NodeImageFiles.stagedNames()) {
                ObjectNode file = inputs.addObject();
                file.put("path", NodeImageFiles.STAGING_DIR + "/" + name);
                file.put("content", NodeImageFiles.content(name));
                file.put("overwrite", true);
            }
            String rendered = YAML.writeValueAsString(doc);
            if (rendered.length() > MAX_COMPONENT_DATA_CHARS) {
                throw new IllegalStateException("rendered redis-ha-tunings document is " + rendered.length()
                        + " characters; Image Builder accepts at most " + MAX_COMPONENT_DATA_CHARS
                        + ": shorten the baked files");
            }
            return rendered;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("redis-ha-tunings.yaml is not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    private static ArrayNode stageFilesInputs(JsonNode doc) {
        for (JsonNode phase : doc.path("phases")) {
            if (!"build".equals(phase.path("name").asText())) {
                continue;
            }
            for (JsonNode step : phase.path("steps")) {
                if ("StageFiles".equals(step.path("name").asText())) {
                    return ((ObjectNode) step).putArray("inputs");
                }
            }
        }
        throw new IllegalStateException("redis-ha-tunings.yaml has no build step named StageFiles to stage files into");
    }
}
