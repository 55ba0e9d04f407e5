package io.redisha.topology;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The EC2 instance-type facts redis-ha needs, in one table: memory (so {@code maxmemory} can be a
 * percentage, and the policy pack can check headroom) and CPU architecture (so the node image is
 * built for the instance). Only families that make sense for Redis are listed; a type not listed is
 * unknown, never guessed.
 */
public final class InstanceTypes {
    public static final String X86_64 = "x86_64";
    public static final String ARM64 = "arm64";

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
            MIB.put(family + ".nano", 512);
            MIB.put(family + ".micro", 1024);
            MIB.put(family + ".small", 2048);
            MIB.put(family + ".medium", 4096);
            MIB.put(family + ".large", 8192);
            MIB.put(family + ".xlarge", 16384);
            MIB.put(family + ".2xlarge", 32768);
        }
    }

    private InstanceTypes() {
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

    /** The instance's memory in GiB, if the type is in the table. */
    public static Optional<Double> gib(String instanceType) {
        return mib(instanceType).map(m -> m / 1024.0);
    }

    /**
     * {@link #ARM64} for Graviton families (a {@code g} after the generation: r7g, m6gd, t4g, c7gn),
     * {@link #X86_64} otherwise. The node image must be built for the instance's architecture.
     */
    public static String architecture(String instanceType) {
        String family = instanceType.contains(".") ? instanceType.substring(0, instanceType.indexOf('.')) : instanceType;
        return family.matches("[a-z]+[0-9]+g[a-z]*") ? ARM64 : X86_64;
    }

    /** {@code maxmemory} in MiB: the given percentage of the instance's memory, rounded down. */
    public static int maxmemoryMb(int instanceMib, int percent) {
        return (int) ((long) instanceMib * percent / 100);
    }
}
