package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.mock.DeclaredResource;
import io.redisha.mock.MockedDeployment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every invalid config is refused with a message naming the input, and declares nothing (mocked). */
class InvalidConfigMockedTest {
    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(Map.of("redis-ha:replicasPerMaster", "3", "redis-ha:zones", "[\"us-east-1a\",\"us-east-1b\",\"us-east-1c\"]"),
                        "RedisCluster 'dev': zones=us-east-1a,us-east-1b,us-east-1c is not valid: at least 4 zones for replicasPerMaster=3"),
                Arguments.of(Map.of("redis-ha:masters", "2"), "masters=2 is not valid: at least 3"),
                Arguments.of(Map.of("redis-ha:masters", "4"), "masters=4 is not valid: losing zone az-1 takes 2 of 4 masters"),
                Arguments.of(Map.of("redis-ha:masters", "three"), "redis-ha:masters=three is not valid: a whole number"),
                Arguments.of(Map.of("redis-ha:replicasPerMaster", "0"), "acceptZoneLossRisk"),
                Arguments.of(Map.of("redis-ha:nodeTimeoutMs", "200"), "nodeTimeoutMs=200 is not valid: 1000..60000"),
                Arguments.of(Map.of("redis-ha:maxmemoryPercent", "95"), "maxmemoryPercent=95 is not valid: 10..80"),
                Arguments.of(Map.of("redis-ha:maxmemoryPolicy", "lru"), "maxmemoryPolicy=lru is not valid"),
                Arguments.of(Map.of("redis-ha:instanceType", "z1.mega"), "instanceType=z1.mega has no known memory size"),
                Arguments.of(Map.of("redis-ha:allowedClientCidrs", "[\"0.0.0.0/0\"]"), "allowedClientCidrs contains 0.0.0.0/0"),
                Arguments.of(Map.of("redis-ha:allowedClientCidrs", "[\"::/0\"]"), "allowedClientCidrs contains ::/0"),
                Arguments.of(Map.of("redis-ha:tls", "yes"), "redis-ha:tls=yes is not valid: true or false"),
                Arguments.of(Map.of("redis-ha:tls", "true"), "tls=true needs tlsMaterial"),
                Arguments.of(Map.of("redis-ha:vpcId", "vpc-123", "redis-ha:subnetIds", "[\"subnet-1\"]"),
                        "zones=(default) is not valid with an existing vpcId"),
                Arguments.of(Map.of("redis-ha:zones", "[\"us-east-1a\",\"us-east-1a\",\"us-east-1b\"]"), "appears twice"),
                Arguments.of(Map.of("redis-ha:clusterName", "Bad_Name"), "name=Bad_Name is not valid"),
                Arguments.of(Map.of("redis-ha:imageId", "ami-latest"), "redis-ha:imageId=ami-latest is not an AMI id"),
                Arguments.of(Map.of("redis-ha:imageProvidesTunings", "true"), "imageProvidesTunings is only for your own AMI"),
                Arguments.of(Map.of("redis-ha:imageId", "ami-0123456789abcdef0", "redis-ha:imageProvidesTunings", "maybe"),
                        "redis-ha:imageProvidesTunings=maybe is not valid: true or false"),
                Arguments.of(Map.of("redis-ha:retiredNodesDrained", "yes"), "redis-ha:retiredNodesDrained=yes is not valid: true or false"));
    }

    @ParameterizedTest(name = "mocked: refused {1}")
    @MethodSource("invalid")
    void mockedInvalidConfigIsRefusedAndDeclaresNothing(Map<String, String> overrides, String expected) {
        MockedDeployment.Result r = Stacks.run("dev", overrides);
        assertTrue(r.failure().isPresent(), "should be refused: " + overrides);
        assertTrue(r.failure().get().contains(expected), r.failure().get());
        List<DeclaredResource> declared = r.resources().stream().filter(x -> !x.type().equals("pulumi:pulumi:Stack")).toList();
        assertEquals(List.of(), declared.stream().map(DeclaredResource::name).toList(), "nothing may be declared");
    }

    /** The user sees one line per refused value, no stack trace, and the program fails. */
    @ParameterizedTest(name = "mocked: {0} is reported as one error line")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "redis-ha:masters|three|redis-ha stack config: redis-ha:masters=three is not valid: a whole number",
            "redis-ha:nodeTimeoutMs|200|RedisCluster 'dev': nodeTimeoutMs=200 is not valid: 1000..60000"})
    void mockedRefusalIsOneErrorLineWithoutStackTrace(String key, String value, String expectedStart) {
        MockedDeployment.Result r = Stacks.run("dev", Map.of(key, value));
        assertTrue(r.failure().isPresent(), "should be refused");
        assertEquals(1, r.engineErrors().size(), r.engineErrors().toString());
        String error = r.engineErrors().get(0);
        assertTrue(error.startsWith(expectedStart), error);
        assertEquals(1, error.lines().count(), error);
    }

    @ParameterizedTest(name = "mocked: missing required {0} is refused")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"redis-ha:authPassword"})
    void mockedMissingRequiredIsRefused(String key) {
        Map<String, String> config = new HashMap<>(Stacks.config("dev"));
        config.remove(key);
        MockedDeployment.Result r = MockedDeployment.run("dev", config, Stacks.secretKeys(), ClusterStack::define);
        assertTrue(r.failure().orElse("").contains(key.substring("redis-ha:".length()) + " is missing"), r.failure().orElse("passed"));
        assertTrue(r.customResources().isEmpty());
    }

    @org.junit.jupiter.api.Test
    void mockedNoRegionWithoutOwnImageIsRefused() {
        Map<String, String> config = new HashMap<>(Stacks.config("dev"));
        config.remove("aws:region");
        MockedDeployment.Result r = MockedDeployment.run("dev", config, Stacks.secretKeys(), ClusterStack::define);
        assertTrue(r.failure().orElse("").contains("aws:region is not set"), r.failure().orElse("passed"));
        assertTrue(r.customResources().isEmpty());
    }
}
