package io.redisha.policies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One item of the production checklist: a name (stable, used in {@code --policy-pack-config}), a
 * description, a default enforcement level, its configurable values, and the check itself, which
 * looks either at one resource at a time or at the whole stack (cluster-level facts).
 */
public record Rule(String name, String description, EnforcementLevel defaultLevel,
                   List<ConfigProperty> config, Check check) {

    /** What a rule looks at. */
    public sealed interface Check {
        /** Runs on each resource (the engine's {@code Analyze}, with the program's inputs). */
        record PerResource(BiFunction<ResourceView, Settings, List<Finding>> check) implements Check {
        }

        /** Runs once on all resources (the engine's {@code AnalyzeStack}, at the end of a preview). */
        record PerStack(BiFunction<StackView, Settings, List<Finding>> check) implements Check {
        }
    }

    public Rule {
        config = List.copyOf(config);
    }

    public boolean isStackRule() {
        return check instanceof Check.PerStack;
    }

    public Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        config.forEach(p -> defaults.put(p.name(), p.defaultValue()));
        return defaults;
    }
}
