package io.redisha.components;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Memory of common EC2 instance types, in MiB, so {@code maxmemory} can be derived from a percentage.
 * Only families that make sense for Redis are listed; anything else needs an explicit {@code maxmemoryMb}.
 */
public final class InstanceMemory {
    private static final Map<String, Integer> MIB = new TreeMap<>();

    static {
        String[] sizes = {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"};
        int[] vcpus = {2, 4, 8, 16, 32, 48, 64};
        // memory per vCPU in GiB: memory-optimised r = 8, general purpose m = 4, compute c = 2
        for (String family : new String[] {"r5", "r6i", "r6g", "r7i", "r7g"}) {
            put(family, sizes, vcpus, 8);
        }
        for (String family : new String[] {"m5", "m6i", "m6g", "m7i", "m7g"}) {
            put(family, sizes, vcpus, 4);
        }
        for (String family : new String[] {"c6i", "c6g", "c7i", "c7g"}) {
            put(family, sizes, vcpus, 2);
        }
        // burstable: fine for dev, never for production traffic (CPU credits run out under load)
        for (String family : new String[] {"t3", "t4g"}) {
            MIB.put(family + ".small", 2048);
            MIB.put(family + ".medium", 4096);
            MIB.put(family + ".large", 8192);
            MIB.put(family + ".xlarge", 16384);
            MIB.put(family + ".2xlarge", 32768);
        }
    }

    private InstanceMemory() {
    }

    private static void put(String family, String[] sizes, int[] vcpus, int gibPerVcpu) {
        for (int i = 0; i < sizes.length; i++) {
            MIB.put(family + "." + sizes[i], vcpus[i] * gibPerVcpu * 1024);
        }
    }

    /** The instance's memory in MiB, if the type is in the table. */
    public static Optional<Integer> mib(String instanceType) {
        return Optional.ofNullable(MIB.get(instanceType));
    }

    /** Every known type, for error messages and docs. */
    public static java.util.Set<String> knownTypes() {
        return java.util.Collections.unmodifiableSet(MIB.keySet());
    }

    /** Graviton (arm64) types need an arm64 image; x86_64 types an x86_64 one. */
    public static String architecture(String instanceType) {
        String family = instanceType.contains(".") ? instanceType.substring(0, instanceType.indexOf('.')) : instanceType;
        return family.matches("[a-z]+[0-9]+g[a-z]*") ? "arm64" : "x86_64";
    }

    /** {@code maxmemory} in MiB: the given percentage of the instance's memory, rounded down. */
    public static int maxmemoryMb(int instanceMib, int percent) {
        return (int) ((long) instanceMib * percent / 100);
    }
}
