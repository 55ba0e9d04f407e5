package io.redisha.policies.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.redisha.policies.EnforcementLevel;
import io.redisha.policies.PolicyPack;
import io.redisha.policies.ResourceView;
import io.redisha.policies.Rule;
import io.redisha.policies.ShardChanges;
import io.redisha.policies.Violation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code check}: the whole checklist on a stack without cloud credentials, from one of four sources:
 * our stack program run under mocks with {@code stacks/Pulumi.<stack>.yaml} (secrets replaced by a
 * dummy), what {@code pulumi preview --json} printed, what {@code pulumi stack export} wrote (any
 * program, any language), or a plain resources list. Every rule is evaluated and the exit code
 * says whether a pull request may merge.
 *
 * <p>Exit codes: 0 no mandatory violation (advisories allowed), 1 a mandatory violation, 2 bad
 * usage, unreadable input or no Redis to check, 3 the stack program refused the config (for
 * example masters that the planner cannot place).
 */
public final class OfflineCheck {
    public static final int OK = 0;
    public static final int MANDATORY_VIOLATION = 1;
    public static final int USAGE = 2;
    public static final int PROGRAM_FAILED = 3;

    static final String USAGE_TEXT = String.join("\n",
            "usage: check (--stack NAME | --preview-json FILE | --stack-export FILE | --resources FILE) [options]",
            "",
            "What to check (one):",
            "  --stack NAME            run this repository's stack program under mocks with stacks/Pulumi.NAME.yaml",
            "  --preview-json FILE     what `pulumi preview --json` printed (any Pulumi program, any language); also judges",
            "                          its changes: at most one Redis node per shard replaced or restarted at once",
            "  --stack-export FILE     what `pulumi stack export` wrote (any Pulumi program, any language)",
            "  --resources FILE        a JSON list of {type, name, urn?, properties}",
            "",
            "Options:",
            "  --stack NAME            with a file: the stack name for production-only rules (default: from the URNs)",
            "  --stack-config FILE     the stack config file (default: stacks/Pulumi.NAME.yaml from here upwards)",
            "  --set ns:key=value      override a stack config value (repeatable; with --stack only)",
            "  --policy-pack-config F  the file `pulumi preview --policy-pack-config` takes (levels and limits)",
            "  --json                  a JSON report instead of the table",
            "  -h, --help              this text",
            "",
            "Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 bad usage or nothing to check,",
            "3 the stack program refused its config.");

    private OfflineCheck() {
    }

    /** Where the resources come from. */
    enum Source {
        PROGRAM, PREVIEW_JSON, STACK_EXPORT, RESOURCES
    }

    /** Options of one run. */
    record Options(Optional<String> stackName, boolean json, Source source, Optional<Path> file, Optional<Path> stackConfig,
                   Map<String, String> overrides, Optional<Path> policyConfig, boolean help) {
        String stack() {
            return stackName.orElse("");
        }

        /** With the stack named by --stack, else by the resources' URNs (production-only rules need it). */
        Options withStack(List<ResourceView> resources) {
            Optional<String> named = stackName.or(() -> resources.stream().map(r -> ResourceView.stackOf(r.urn()))
                    .flatMap(Optional::stream).findFirst());
            return new Options(named, json, source, file, stackConfig, overrides, policyConfig, help);
        }

        String describe() {
            return file.map(Path::toString).orElseGet(() -> "stack program with " + stackConfig.map(Path::toString).orElse("?")
                    + (overrides.isEmpty() ? "" : " and " + overrides));
        }
    }

    /**
     * Entry point of {@code redis-ha-policy-check.jar}: {@code java -jar redis-ha-policy-check.jar check --stack dev}.
     * The leading {@code check} is the verb the policy pack's jar took before the check moved here,
     * so command lines only change the jar's path.
     */
    public static void main(String[] args) {
        // No SLF4J binding ships in the jar on purpose; its "no providers" warning is noise here.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        String[] rest = args.length > 0 && args[0].equals("check") ? Arrays.copyOfRange(args, 1, args.length) : args;
        System.exit(run(rest, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("check: " + e.getMessage() + " (check --help for usage)");
            return USAGE;
        }
        if (options.help()) {
            out.println(USAGE_TEXT);
            return OK;
        }
        List<ResourceView> resources;
        PolicyPack pack;
        try {
            resources = resources(options);
            options = options.withStack(resources);
            pack = PolicyPack.standard().forStack(options.stack());
            if (options.policyConfig().isPresent()) {
                applyPolicyConfig(pack, options.policyConfig().get());
            }
        } catch (MockedStack.ProgramFailed e) {
            report(options, List.of(), PolicyPack.standard(), out, Optional.of(e.getMessage()), options.describe());
            return PROGRAM_FAILED;
        } catch (IllegalArgumentException | IOException e) {
            err.println("check: " + e.getMessage());
            return USAGE;
        }
        String source = options.describe();
        if (!PolicyPack.declaresRedis(resources)) {
            err.println("check: " + source + " declares no Redis (no EC2 instance that runs redis-server, no ElastiCache for Redis or"
                    + " Valkey, no MemoryDB, no RedisCluster) among " + resources.size() + " resources; nothing was checked");
            return USAGE;
        }
        List<Violation> violations = new ArrayList<>(pack.evaluate(resources));
        if (options.source() == Source.PREVIEW_JSON) {
            // The one rule that needs the old state: only a preview's steps carry it.
            try {
                violations.addAll(ShardChanges.check(ShardChanges.fromPreview(Files.readString(options.file().orElseThrow())),
                        EnforcementLevel.MANDATORY));
            } catch (IOException e) {
                err.println("check: " + e.getMessage());
                return USAGE;
            }
        }
        report(options, violations, pack, out, Optional.empty(), source + " (" + resources.size() + " resources)");
        return violations.stream().anyMatch(Violation::isMandatory) ? MANDATORY_VIOLATION : OK;
    }

    private static List<ResourceView> resources(Options options) throws IOException, MockedStack.ProgramFailed {
        return switch (options.source()) {
            case PREVIEW_JSON -> PulumiState.fromPreviewJson(options.file().orElseThrow());
            case STACK_EXPORT -> PulumiState.fromStackExport(options.file().orElseThrow());
            case RESOURCES -> readResources(options.stackName().orElse("stack"), options.file().orElseThrow());
            case PROGRAM -> MockedStack.runStack(options.stack(), options.stackConfig().orElseThrow(), options.overrides());
        };
    }

    static Options parse(String[] args) {
        Optional<String> stack = Optional.empty();
        boolean json = false;
        boolean help = false;
        List<Source> sources = new ArrayList<>();
        Optional<Path> file = Optional.empty();
        Optional<Path> stackConfig = Optional.empty();
        Optional<Path> policyConfig = Optional.empty();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--stack", "-s" -> stack = Optional.of(value(args, ++i, arg));
                case "--json" -> json = true;
                case "-h", "--help" -> help = true;
                case "--stack-config" -> stackConfig = Optional.of(Path.of(value(args, ++i, arg)));
                case "--policy-pack-config" -> policyConfig = Optional.of(Path.of(value(args, ++i, arg)));
                case "--preview-json", "--stack-export", "--resources" -> {
                    sources.add(arg.equals("--preview-json") ? Source.PREVIEW_JSON : arg.equals("--stack-export") ? Source.STACK_EXPORT : Source.RESOURCES);
                    file = Optional.of(Path.of(value(args, ++i, arg)));
                }
                case "--set" -> {
                    String pair = value(args, ++i, arg);
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--set " + pair + " is not valid: namespace:key=value, e.g. redis-ha:masters=4");
                    }
                    overrides.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("argument '" + arg + "' is not valid: one of --stack, --preview-json,"
                        + " --stack-export, --resources, --stack-config, --set, --policy-pack-config, --json, --help");
            }
        }
        if (help) {
            return new Options(stack, json, Source.PROGRAM, file, stackConfig, overrides, policyConfig, true);
        }
        if (sources.size() > 1) {
            throw new IllegalArgumentException("--preview-json, --stack-export and --resources are not valid together: give one");
        }
        if (stack.isPresent() && stack.get().isBlank()) {
            throw new IllegalArgumentException("--stack '' is not valid: a stack name, e.g. dev");
        }
        Source source = sources.isEmpty() ? Source.PROGRAM : sources.get(0);
        if (source == Source.PROGRAM) {
            String name = stack.orElseThrow(() -> new IllegalArgumentException(
                    "no input given: one of --stack NAME, --preview-json FILE, --stack-export FILE, --resources FILE"));
            stackConfig = stackConfig.or(() -> StackConfig.find(Path.of(""), name));
            if (stackConfig.isEmpty()) {
                throw new IllegalArgumentException("--stack " + name + " is not valid here: no stacks/Pulumi." + name + ".yaml from "
                        + Path.of("").toAbsolutePath() + " upwards; run from the repository or pass --stack-config FILE");
            }
        } else if (!overrides.isEmpty()) {
            throw new IllegalArgumentException("--set is not valid with a file: it changes the stack program's config (use it with --stack)");
        }
        return new Options(stack, json, source, file, stackConfig, overrides, policyConfig, false);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    /** The same file {@code pulumi preview --policy-pack-config} takes: {"rule": "advisory"} or {"rule": {...}}. */
    static void applyPolicyConfig(PolicyPack pack, Path file) throws IOException {
        JsonNode root = readJson(file, "--policy-pack-config");
        if (!root.isObject()) {
            throw new IllegalArgumentException("--policy-pack-config " + file + " is not valid: a JSON object of policy names");
        }
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
        JsonNode root = readJson(file, "--resources");
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

    /** A JSON file, or a one-line refusal naming the flag, the file and what is wrong. */
    static JsonNode readJson(Path file, String flag) throws IOException {
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(file));
            return root == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : root;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(flag + " " + file + " is not valid: no such file");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(flag + " " + file + " is not valid: not JSON (" + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ")");
        }
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
            if (options.source() == Source.PREVIEW_JSON) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("name", ShardChanges.RULE);
                r.put("enforcementLevel", EnforcementLevel.MANDATORY.label());
                r.put("violations", violations.stream().filter(v -> v.policy().equals(ShardChanges.RULE)).count());
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
        if (options.source() == Source.PREVIEW_JSON) {
            List<Violation> changes = violations.stream().filter(v -> v.policy().equals(ShardChanges.RULE)).toList();
            out.printf("  %s %-36s %s%n", changes.isEmpty() ? "ok  " : "FAIL", ShardChanges.RULE, EnforcementLevel.MANDATORY.label());
            changes.forEach(v -> out.println("         - " + v.resourceName() + ": " + v.message()));
        }
        out.println(mandatory == 0
                ? "PASSED: no mandatory violation" + (advisory > 0 ? " (" + advisory + " advisory)" : "")
                : "FAILED: " + mandatory + " mandatory violation(s)" + (advisory > 0 ? ", " + advisory + " advisory" : ""));
    }
}
