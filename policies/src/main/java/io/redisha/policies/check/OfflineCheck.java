package io.redisha.policies.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.redisha.policies.EnforcementLevel;
import io.redisha.policies.PolicyPack;
import io.redisha.policies.ResourceView;
import io.redisha.policies.Rule;
import io.redisha.policies.Violation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code check --stack dev}: the whole checklist on a stack without cloud credentials. The stack
 * program runs under mocks with the stack's config (secrets replaced by a dummy), every rule is
 * evaluated on what it declares, and the exit code says whether a pull request may merge.
 *
 * <p>Exit codes: 0 no mandatory violation (advisories allowed), 1 a mandatory violation, 2 bad
 * usage or unreadable input, 3 the stack program refused the config (for example masters that
 * the planner cannot place).
 */
public final class OfflineCheck {
    public static final int OK = 0;
    public static final int MANDATORY_VIOLATION = 1;
    public static final int USAGE = 2;
    public static final int PROGRAM_FAILED = 3;

    private OfflineCheck() {
    }

    /** Options of one run. */
    record Options(String stack, boolean json, Optional<Path> stackConfig, Map<String, String> overrides,
                   Optional<Path> policyConfig, Optional<Path> resources) {
    }

    static final String USAGE_TEXT = "usage: check --stack NAME [--json] [--set namespace:key=value ...] [--stack-config FILE]"
            + " [--policy-pack-config FILE] [--resources FILE]\n"
            + "Runs the stack program under mocks with stacks/Pulumi.NAME.yaml and checks every rule; no cloud credentials.\n"
            + "Exit codes: 0 pass, 1 mandatory violation, 2 usage, 3 the program refused the config.";

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            out.println(USAGE_TEXT);
            return 0;
        }
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("check: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        PolicyPack pack = PolicyPack.standard().forStack(options.stack());
        List<ResourceView> resources;
        String source;
        try {
            if (options.policyConfig().isPresent()) {
                applyPolicyConfig(pack, options.policyConfig().get());
            }
            if (options.resources().isPresent()) {
                resources = readResources(options.stack(), options.resources().get());
                source = options.resources().get().toString();
            } else {
                Path file = options.stackConfig().or(() -> StackConfig.find(Path.of(""), options.stack()))
                        .orElseThrow(() -> new IllegalArgumentException("no stacks/Pulumi." + options.stack()
                                + ".yaml found from " + Path.of("").toAbsolutePath() + "; run from the repository or pass --stack-config FILE"));
                Map<String, String> config = new LinkedHashMap<>(StackConfig.read(file));
                config.putAll(options.overrides());
                List<String> filled = StackConfig.fillDeployTimeValues(config);
                if (!MockedStack.available()) {
                    err.println("check: the stack program is not on the classpath (" + MockedStack.CLASS
                            + "); build the policies jar after the stacks module, or pass --resources FILE");
                    return USAGE;
                }
                resources = MockedStack.run(options.stack(), config);
                source = file + (options.overrides().isEmpty() ? "" : " with " + options.overrides())
                        + (filled.isEmpty() ? "" : ", stand-ins for " + String.join(", ", filled));
            }
        } catch (MockedStack.ProgramFailed e) {
            report(options, List.of(), pack, out, Optional.of(e.getMessage()), "stack program");
            return PROGRAM_FAILED;
        } catch (IllegalArgumentException | IOException e) {
            err.println("check: " + e.getMessage());
            return USAGE;
        }
        if (resources.stream().noneMatch(r -> r.is(ResourceView.INSTANCE) && r.tags().containsKey("redis-ha:role"))) {
            err.println("check: " + source + " declares no Redis node (no instance tagged redis-ha:role); nothing was checked");
            return USAGE;
        }
        List<Violation> violations = pack.evaluate(resources);
        report(options, violations, pack, out, Optional.empty(), source + " (" + resources.size() + " resources)");
        return violations.stream().anyMatch(Violation::isMandatory) ? MANDATORY_VIOLATION : OK;
    }

    static Options parse(String[] args) {
        String stack = null;
        boolean json = false;
        Optional<Path> stackConfig = Optional.empty();
        Optional<Path> policyConfig = Optional.empty();
        Optional<Path> resources = Optional.empty();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--stack", "-s" -> stack = value(args, ++i, arg);
                case "--json" -> json = true;
                case "--stack-config" -> stackConfig = Optional.of(Path.of(value(args, ++i, arg)));
                case "--policy-pack-config" -> policyConfig = Optional.of(Path.of(value(args, ++i, arg)));
                case "--resources" -> resources = Optional.of(Path.of(value(args, ++i, arg)));
                case "--set" -> {
                    String pair = value(args, ++i, arg);
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--set " + pair + " is not valid: namespace:key=value, e.g. redis-ha:masters=4");
                    }
                    overrides.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (stack == null || stack.isBlank()) {
            throw new IllegalArgumentException("--stack is required (e.g. --stack dev)");
        }
        return new Options(stack, json, stackConfig, overrides, policyConfig, resources);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    /** The same file {@code pulumi preview --policy-pack-config} takes: {"rule": "advisory"} or {"rule": {...}}. */
    static void applyPolicyConfig(PolicyPack pack, Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("all")) {
                EnforcementLevel level = EnforcementLevel.parse(e.getValue().isObject()
                        ? e.getValue().path("enforcementLevel").asText() : e.getValue().asText());
                pack.rules().forEach(r -> pack.configure(r.name(), Optional.of(level), Map.of()));
            } else if (e.getValue().isTextual()) {
                pack.configure(e.getKey(), Optional.of(EnforcementLevel.parse(e.getValue().asText())), Map.of());
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> values = new ObjectMapper().convertValue(e.getValue(), Map.class);
                pack.configure(e.getKey(), Optional.empty(), values);
            }
        }
    }

    /** A JSON list of {"type", "name", "urn"?, "properties"}: a stack captured elsewhere. */
    static List<ResourceView> readResources(String stack, Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        List<ResourceView> resources = new ArrayList<>();
        for (JsonNode node : root) {
            String type = node.path("type").asText();
            String name = node.path("name").asText();
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = new ObjectMapper().convertValue(node.path("properties"), Map.class);
            resources.add(new ResourceView(type, node.hasNonNull("urn") ? node.get("urn").asText() : ResourceView.urnOf(stack, type, name),
                    name, properties == null ? Map.of() : properties));
        }
        return resources;
    }

    private static void report(Options options, List<Violation> violations, PolicyPack pack, PrintStream out,
                               Optional<String> programError, String source) {
        long mandatory = violations.stream().filter(Violation::isMandatory).count();
        long advisory = violations.size() - mandatory;
        if (options.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("stack", options.stack());
            doc.put("source", source);
            doc.put("passed", programError.isEmpty() && mandatory == 0);
            programError.ifPresent(e -> doc.put("programError", e));
            doc.put("mandatory", mandatory);
            doc.put("advisory", advisory);
            doc.put("violations", violations);
            List<Map<String, Object>> rules = new ArrayList<>();
            for (Rule rule : pack.rules()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("name", rule.name());
                r.put("enforcementLevel", pack.level(rule.name()).label());
                r.put("violations", violations.stream().filter(v -> v.policy().equals(rule.name())).count());
                rules.add(r);
            }
            doc.put("rules", rules);
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            } catch (IOException e) {
                throw new IllegalStateException("the report always serialises", e);
            }
            return;
        }
        out.println("redis-ha policy check: stack " + options.stack() + " from " + source);
        if (programError.isPresent()) {
            out.println("FAILED: the stack program refused this config before declaring any resource:");
            out.println("  " + programError.get());
            return;
        }
        for (Rule rule : pack.rules()) {
            EnforcementLevel level = pack.level(rule.name());
            List<Violation> mine = violations.stream().filter(v -> v.policy().equals(rule.name())).toList();
            String status = level == EnforcementLevel.DISABLED ? "off " : mine.isEmpty() ? "ok  " : mine.get(0).isMandatory() ? "FAIL" : "warn";
            out.printf("  %s %-36s %s%n", status, rule.name(), level.label());
            for (Violation v : mine) {
                out.println("         - " + v.resourceName() + ": " + v.message());
            }
        }
        out.println(mandatory == 0
                ? "PASSED: no mandatory violation" + (advisory > 0 ? " (" + advisory + " advisory)" : "")
                : "FAILED: " + mandatory + " mandatory violation(s)" + (advisory > 0 ? ", " + advisory + " advisory" : ""));
    }
}
