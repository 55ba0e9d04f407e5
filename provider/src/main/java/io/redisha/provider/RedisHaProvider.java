package io.redisha.provider;

import com.pulumi.core.internal.Internal;
import com.pulumi.exceptions.RunException;
import com.pulumi.provider.internal.Provider;
import com.pulumi.provider.internal.models.ConfigureRequest;
import com.pulumi.provider.internal.models.ConfigureResponse;
import com.pulumi.provider.internal.models.ConstructRequest;
import com.pulumi.provider.internal.models.ConstructResponse;
import com.pulumi.provider.internal.models.GetSchemaRequest;
import com.pulumi.provider.internal.models.GetSchemaResponse;
import com.pulumi.provider.internal.properties.PropertyValue;
import com.pulumi.provider.internal.properties.PropertyValue.ValueType;
import com.pulumi.provider.internal.properties.PropertyValueSerializer;
import io.redisha.components.InvalidClusterArgsException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Serves {@link RedisCluster} the way the SDK's {@code ComponentProvider} does, with four corrections:
 * the schema is {@link ProviderSchema}'s; Configure declines output values (the host cannot
 * deserialize an output value into a {@code String}, so a secret input would crash construct; without
 * output values the engine sends secrets as secrets); string maps are read here (the host's
 * deserializer refuses every {@code Map}); and refused inputs end construct with their message only.
 */
final class RedisHaProvider implements Provider {
    /** Inputs of map type (or lists of maps) that {@link #construct} reads itself. */
    static final Set<String> MAP_INPUTS = Set.of("tags", "previousRetiringNodes");

    @Override
    public CompletableFuture<ConfigureResponse> configure(ConfigureRequest request) {
        return CompletableFuture.completedFuture(new ConfigureResponse(true, true, true, false));
    }

    @Override
    public CompletableFuture<GetSchemaResponse> getSchema(GetSchemaRequest request) {
        return CompletableFuture.completedFuture(new GetSchemaResponse(ProviderSchema.json()));
    }

    @Override
    public CompletableFuture<ConstructResponse> construct(ConstructRequest request) {
        if (!request.getType().equals(ProviderSchema.TOKEN)) {
            return CompletableFuture.failedFuture(new RunException("redis-ha serves " + ProviderSchema.TOKEN + " only, not " + request.getType()));
        }
        try {
            RedisCluster cluster = new RedisCluster(request.getName(), inputs(request.getInputs()), request.getOptions());
            Map<String, PropertyValue> state = PropertyValueSerializer.stateFromComponentResource(cluster);
            return Internal.of(cluster.urn()).getValueNullable()
                    .thenApply(urn -> new ConstructResponse(urn, state, new HashMap<>()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(refusal(e).<RuntimeException>map(RunException::new).orElse(e));
        }
    }

    static RedisClusterInputs inputs(Map<String, PropertyValue> given) {
        Map<String, PropertyValue> rest = new LinkedHashMap<>(given);
        MAP_INPUTS.forEach(rest::remove);
        RedisClusterInputs inputs = PropertyValueSerializer.deserialize(PropertyValue.of(rest), RedisClusterInputs.class);
        inputs.tags = Optional.ofNullable(given.get("tags")).map(v -> stringMap("tags", v)).orElse(null);
        inputs.previousRetiringNodes = Optional.ofNullable(given.get("previousRetiringNodes"))
                .map(v -> known("previousRetiringNodes", v))
                .map(v -> (v.getType() == ValueType.ARRAY ? v.getArrayValue() : List.<PropertyValue>of(v)).stream().map(e -> stringMap("previousRetiringNodes", e)).toList())
                .orElse(null);
        return inputs;
    }

    private static Map<String, String> stringMap(String input, PropertyValue value) {
        PropertyValue v = known(input, value);
        if (v.getType() != ValueType.OBJECT) {
            throw new InvalidInputException(input + "=" + v + " is not valid: a map of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.getObjectValue().forEach((key, entry) -> {
            PropertyValue e = known(input, entry);
            Object plain = switch (e.getType()) {
                case STRING -> e.getStringValue();
                case NUMBER -> e.getNumberValue();
                case BOOL -> e.getBooleanValue();
                default -> throw new InvalidInputException(input + "." + key + "=" + e + " is not valid: a string");
            };
            out.put(key, String.valueOf(plain));
        });
        return out;
    }

    /** Plain inputs decide what exists, so they must be known in preview too; secrets are unwrapped. */
    private static PropertyValue known(String input, PropertyValue value) {
        PropertyValue v = value;
        while (v.getType() == ValueType.SECRET) {
            v = v.getSecretValue();
        }
        if (v.isComputed()) {
            throw new InvalidInputException(input + " is not known during preview: pass a plain value (not another"
                    + " resource's output), it decides which resources exist");
        }
        return v;
    }

    /** The message of a refused input somewhere in the cause chain, if the failure is one. */
    static Optional<String> refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidClusterArgsException || t instanceof InvalidInputException) {
                return Optional.of(t.getMessage());
            }
        }
        return Optional.empty();
    }

    /** An input the provider itself refuses (before the component validates the rest). */
    static final class InvalidInputException extends IllegalArgumentException {
        InvalidInputException(String message) {
            super("RedisCluster: " + message);
        }
    }
}
