package io.redisha.policies;

import java.util.Map;
import java.util.Optional;

/**
 * Memory of the EC2 instance types a Redis node is likely to run on, in GiB (from the EC2 instance
 * type tables). A type not listed is reported as unknown, never guessed.
 */
final class InstanceMemory {
    /** GiB per size, by family class. */
    private static final Map<String, Double> GENERAL = Map.of("large", 8.0, "xlarge", 16.0, "2xlarge", 32.0,
            "4xlarge", 64.0, "8xlarge", 128.0, "12xlarge", 192.0, "16xlarge", 256.0);
    private static final Map<String, Double> MEMORY = Map.of("large", 16.0, "xlarge", 32.0, "2xlarge", 64.0,
            "4xlarge", 128.0, "8xlarge", 256.0, "12xlarge", 384.0, "16xlarge", 512.0);
    private static final Map<String, Double> COMPUTE = Map.of("large", 4.0, "xlarge", 8.0, "2xlarge", 16.0,
            "4xlarge", 32.0, "8xlarge", 64.0, "12xlarge", 96.0, "16xlarge", 128.0);
    private static final Map<String, Double> BURSTABLE = Map.of("nano", 0.5, "micro", 1.0, "small", 2.0,
            "medium", 4.0, "large", 8.0, "xlarge", 16.0, "2xlarge", 32.0);

    private InstanceMemory() {
    }

    static Optional<Double> gib(String instanceType) {
        int dot = instanceType.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String family = instanceType.substring(0, dot);
        String size = instanceType.substring(dot + 1);
        Map<String, Double> table;
        if (family.matches("t[34]g?")) {
            table = BURSTABLE;
        } else if (family.matches("m[5-7][a-z]*")) {
            table = GENERAL;
        } else if (family.matches("r[5-7][a-z]*")) {
            table = MEMORY;
        } else if (family.matches("c[5-7][a-z]*")) {
            table = COMPUTE;
        } else {
            return Optional.empty();
        }
        return Optional.ofNullable(table.get(size));
    }
}
