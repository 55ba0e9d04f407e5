package io.redisha.policies.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.policies.ResourceView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The resources of a stack as the Pulumi CLI writes them, so any repository in any language can run
 * the rules without credentials or its program:
 * <ul>
 *   <li>{@code pulumi preview --json}: a PreviewDigest ({@code steps[].newState}, each an
 *       apitype.ResourceV3 with {@code inputs}, {@code outputs}, {@code propertyDependencies});
 *       secrets are shown as {@code "[secret]"}, values not known yet as Pulumi's unknown sentinel;</li>
 *   <li>{@code pulumi stack export}: an UntypedDeployment ({@code deployment.resources[]}, the same
 *       ResourceV3 shape); secrets are envelopes with {@code ciphertext}, or {@code plaintext} with
 *       {@code --show-secrets}.</li>
 * </ul>
 * Per resource the properties are the inputs (what the program asked for), filled in with the known
 * outputs for what the inputs leave out (values only the provider knows after a deployment, such as
 * an instance's metadataOptions or a subnet's zone). A value the preview does not know yet is
 * dropped when the inputs leave it out, so an input the program left out is judged by the
 * provider's default, as the engine's per-resource Analyze does.
 */
public final class PulumiState {
    static final String SIG_KEY = "4dabf18193072939515e22adb298388d";
    static final String SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
    static final String OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
    static final String UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    /** How {@code pulumi preview --json} shows every secret (backend/display MassageSecrets). */
    static final String SHOWN_SECRET = "[secret]";
    /** Steps after which the resource no longer exists. */
    private static final Set<String> GONE = Set.of("delete", "delete-replaced", "discard", "discard-replaced",
            "remove-pending-replace", "read-discard");

    private static final ObjectMapper JSON = new ObjectMapper();

    private PulumiState() {
    }

    public static List<ResourceView> fromPreviewJson(Path file) throws IOException {
        JsonNode steps = read(file, "--preview-json").get("steps");
        if (steps == null || !steps.isArray()) {
            throw new IllegalArgumentException("--preview-json " + file + " is not valid: no \"steps\" array; give the output of `pulumi preview --json`");
        }
        Map<String, ResourceView> byUrn = new LinkedHashMap<>();
        for (JsonNode step : steps) {
            JsonNode state = step.get("newState");
            if (state != null && state.isObject() && !GONE.contains(step.path("op").asText())) {
                resource(state).ifPresent(r -> byUrn.put(r.urn(), r));
            }
        }
        return List.copyOf(byUrn.values());
    }

    public static List<ResourceView> fromStackExport(Path file) throws IOException {
        JsonNode resources = read(file, "--stack-export").path("deployment").get("resources");
        if (resources == null || !resources.isArray()) {
            throw new IllegalArgumentException("--stack-export " + file + " is not valid: no \"deployment.resources\" array; give the output of `pulumi stack export`");
        }
        List<ResourceView> all = new ArrayList<>();
        for (JsonNode state : resources) {
            if (!state.path("delete").asBoolean(false)) {
                resource(state).ifPresent(all::add);
            }
        }
        return all;
    }

    private static JsonNode read(Path file, String flag) throws IOException {
        JsonNode root = OfflineCheck.readJson(file, flag);
        if (!root.isObject()) {
            throw new IllegalArgumentException(flag + " " + file + " is not valid: not a JSON object");
        }
        return root;
    }

    /** One ResourceV3; stacks and providers are skipped (no rule judges them). */
    private static java.util.Optional<ResourceView> resource(JsonNode state) {
        String type = state.path("type").asText();
        String urn = state.path("urn").asText();
        if (type.isEmpty() || urn.isEmpty() || type.equals("pulumi:pulumi:Stack") || type.startsWith("pulumi:providers:")) {
            return java.util.Optional.empty();
        }
        Set<String> secrets = new HashSet<>();
        Map<String, Object> properties = new LinkedHashMap<>();
        merge(state.path("outputs"), properties, secrets, true);
        merge(state.path("inputs"), properties, secrets, false);
        Map<String, List<String>> dependencies = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = state.path("propertyDependencies").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> urns = new ArrayList<>();
            e.getValue().forEach(u -> urns.add(u.asText()));
            dependencies.put(e.getKey(), urns);
        }
        return java.util.Optional.of(new ResourceView(type, urn, ResourceView.nameOf(urn), properties, secrets,
                state.path("id").asText(""), dependencies));
    }

    /**
     * Adds the object's fields; a known value never gives way to an unknown one, and an unknown
     * output is not added at all (inputs come second and may still say it is unknown).
     */
    private static void merge(JsonNode object, Map<String, Object> into, Set<String> secrets, boolean outputs) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("__")) {
                continue; // engine bookkeeping such as __defaults
            }
            boolean[] secret = {false};
            Object value = decode(e.getValue(), secret);
            if (secret[0]) {
                secrets.add(e.getKey());
            }
            boolean unknown = value == ResourceView.UNKNOWN;
            if (outputs ? !unknown : !unknown || !into.containsKey(e.getKey())) {
                into.put(e.getKey(), value);
            }
        }
    }

    /** JSON to plain Java values; secrets and unknowns as the rules expect them ({@link ResourceView#UNKNOWN}). */
    static Object decode(JsonNode node, boolean[] secret) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            String text = node.asText();
            if (text.equals(SHOWN_SECRET)) {
                secret[0] = true;
                return ResourceView.UNKNOWN;
            }
            return text.equals(UNKNOWN) ? ResourceView.UNKNOWN : text;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(v -> list.add(decode(v, secret)));
            return list;
        }
        String sig = node.path(SIG_KEY).asText("");
        if (sig.equals(SECRET_SIG)) {
            secret[0] = true;
            if (!node.has("plaintext")) {
                return ResourceView.UNKNOWN; // ciphertext: the check never decrypts
            }
            try {
                return decode(JSON.readTree(node.get("plaintext").asText()), secret);
            } catch (JsonProcessingException e) {
                return ResourceView.UNKNOWN;
            }
        }
        if (sig.equals(OUTPUT_SIG)) {
            secret[0] |= node.path("secret").asBoolean(false);
            return node.has("value") ? decode(node.get("value"), secret) : ResourceView.UNKNOWN;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), decode(e.getValue(), secret));
        }
        return map;
    }
}
