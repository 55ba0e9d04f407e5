package io.redisha.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceTypesTest {
    @Test
    void gravitonFamiliesAreArm64AndOthersX86() {
        for (String arm : new String[] {"r7g.large", "r6g.xlarge", "m7g.large", "c7g.2xlarge", "t4g.medium", "r6gd.large", "c7gn.large", "x2gd.large"}) {
            assertEquals(InstanceTypes.ARM64, InstanceTypes.architecture(arm), arm);
        }
        for (String x86 : new String[] {"r6i.large", "r7iz.large", "m5zn.large", "c5n.large", "t3.medium", "g5.xlarge", "m6a.large"}) {
            assertEquals(InstanceTypes.X86_64, InstanceTypes.architecture(x86), x86);
        }
    }

    @Test
    void oneMemoryTableForComponentsAndPolicies() {
        assertEquals(Optional.of(16384), InstanceTypes.mib("r6i.large"));
        assertEquals(Optional.of(64.0), InstanceTypes.gib("r7g.2xlarge"));
        assertEquals(Optional.of(0.5), InstanceTypes.gib("t4g.nano"));
        assertEquals(Optional.empty(), InstanceTypes.mib("p5.48xlarge"));
    }
}
