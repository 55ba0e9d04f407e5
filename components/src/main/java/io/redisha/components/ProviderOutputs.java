package io.redisha.components;

import com.pulumi.core.Output;
import java.util.List;

/**
 * Outputs of AWS resources the component reads. A provider may leave out an output the bridged
 * pulumi-aws fills (the value arrives as null once known): the component must not crash with a
 * NullPointerException in the middle of {@code pulumi up}. Optional outputs degrade; outputs the
 * cluster cannot work without fail with a message that names the resource and the output.
 */
final class ProviderOutputs {
    private ProviderOutputs() {
    }

    /** The value as a one-element list, or an empty list when the provider returned none. */
    static Output<List<String>> listOfPresent(Output<String> value) {
        return value.applyValue(v -> v == null || v.isBlank() ? List.<String>of() : List.of(v));
    }

    /** The value; a readable error when the provider returned none (preview: stays unknown, no check). */
    static Output<String> required(Output<String> value, String resource, String output) {
        return value.applyValue(v -> {
            if (v == null || v.isBlank()) {
                throw new IllegalStateException(resource + ": the AWS provider returned no " + output
                        + ", which redis-ha needs; use the pulumi-aws provider (6.x) or set it in the provider's outputs");
            }
            return v;
        });
    }
}
