package io.redisha.mock;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One resource a program declared under mocks, with the inputs the engine would have received.
 *
 * @param type         the Pulumi type token, e.g. {@code aws:ec2/instance:Instance}
 * @param name         the logical name, e.g. {@code dev-node-0-1}
 * @param urn          the URN the mock engine assigned (stable across runs of the same program)
 * @param custom       false for component resources and the stack itself
 * @param inputs       inputs with secrets unwrapped (see {@code secretInputs}); nested maps and lists
 *                     as Java maps and lists, numbers as {@code Double}, assets as {@code asset:<path>}
 * @param secretInputs dotted paths of the inputs that were sent as secrets, e.g. {@code value}
 */
public record DeclaredResource(String type, String name, String urn, boolean custom,
                               Map<String, Object> inputs, Set<String> secretInputs) {

    /** The input at a dotted path ({@code metadataOptions.httpTokens}, {@code ingress.0.cidrBlocks}). */
    public Optional<Object> input(String path) {
        Object current = inputs;
        for (String part : path.split("\\.")) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(part);
            } else if (current instanceof java.util.List<?> list && part.matches("\\d+") && Integer.parseInt(part) < list.size()) {
                current = list.get(Integer.parseInt(part));
            } else {
                return Optional.empty();
            }
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    /** The input at {@code path} as a string, or "" when absent. */
    public String string(String path) {
        return input(path).map(String::valueOf).orElse("");
    }
}
