package io.redisha.stacks;

import com.pulumi.core.TypeShape;
import com.pulumi.core.annotations.Import;
import com.pulumi.deployment.Deployment;
import com.pulumi.resources.InvokeArgs;
import java.util.Map;
import java.util.Optional;

/**
 * The outputs of this stack's last deployment, read with the engine's built-in
 * {@code pulumi:pulumi:readStackOutputs} invoke. A {@code StackReference} to the stack itself would
 * do the same as a resource read, and every preview would then print it with all previous outputs
 * as a diff (its stored state is always one deployment behind); an invoke is no resource, so
 * nothing shows. Read as plain values, in preview too: they decide which instances exist.
 */
record LastDeployment(Map<String, Object> outputs) {
    static final String READ_STACK_OUTPUTS = "pulumi:pulumi:readStackOutputs";

    /** @param stack the fully qualified stack name, {@code org/project/stack} */
    static LastDeployment of(String stack) {
        Map<String, Object> result = Deployment.getInstance()
                .invokeAsync(READ_STACK_OUTPUTS, TypeShape.map(String.class, Object.class), new Args(stack))
                .join();
        Object outputs = result.get("outputs");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = outputs instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return new LastDeployment(map);
    }

    /** One output, empty when the last deployment did not export it (or there was none). */
    Optional<Object> output(String name) {
        return Optional.ofNullable(outputs.get(name));
    }

    static final class Args extends InvokeArgs {
        @Import(name = "name", required = true)
        private final String name;

        Args(String name) {
            this.name = name;
        }
    }
}
