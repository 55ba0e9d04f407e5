package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.mock.MockedDeployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The program reads its own last deployment without a resource: a StackReference to itself would be
 * read on every preview and shown with all previous outputs as a diff.
 */
class LastDeploymentMockedTest {
    @Test
    void mockedTheLastDeploymentIsReadWithoutReadingOrDeclaringAResource() {
        MockedDeployment.Result first = Stacks.run("dev", Map.of());
        MockedDeployment.Result grown = ScalingOutputsMockedTest.change("dev", first.outputs(), Map.of("redis-ha:masters", "5"));
        assertTrue(grown.succeeded(), () -> grown.failure().orElse(""));
        assertEquals(List.of(), grown.reads(), "no resource is read");
        assertTrue(grown.resources("pulumi:pulumi:StackReference").isEmpty(), "no StackReference is declared");
        // and the last deployment was read all the same: the scaling summary is against its plan
        assertEquals(List.of("node-3-0", "node-3-1", "node-4-0", "node-4-1"),
                ((Map<?, ?>) grown.outputs().get("scalingMoves")).get("added"));
    }
}
