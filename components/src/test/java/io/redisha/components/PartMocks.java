package io.redisha.components;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one part of {@link RedisCluster} under Pulumi's mocks, with a bare component as its parent
 * (no stack, no other part): records what it declared, answers the provider functions like a region
 * eu-west-1 in account 123456789012, and gives instances a private IP from their name.
 */
final class PartMocks implements Mocks {
    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "123456789012";
    private final List<ResourceArgs> declared = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger ips = new AtomicInteger(10);

    /** What a part declared (type and name to inputs) and returned. */
    record Run<T>(T declared, List<ResourceArgs> resources) {
        ResourceArgs resource(String name) {
            return resources.stream().filter(r -> r.name.equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no resource " + name + " in " + names()));
        }

        List<String> names() {
            return resources.stream().map(r -> r.name).sorted().toList();
        }
    }

    static <T> Run<T> run(Function<Resource, T> part) {
        PartMocks mocks = new PartMocks();
        List<T> result = new ArrayList<>();
        PulumiTest.cleanup();
        try {
            TestResult test = PulumiTest.withMocks(mocks).withOptions(TestOptions.builder().preview(false).build())
                    .runTest(ctx -> result.add(part.apply(new ComponentResource("test:index:Parent", "parent"))));
            if (!test.exceptions().isEmpty() || !test.errors().isEmpty()) {
                throw new AssertionError("the part failed: " + test.exceptions() + " " + test.errors());
            }
            synchronized (mocks.declared) {
                return new Run<>(result.get(0), List.copyOf(mocks.declared));
            }
        } finally {
            PulumiTest.cleanup();
        }
    }

    /** The value of an output of a part, after {@link #run} (the mocks resolve every output). */
    static <T> T value(Output<T> output) {
        return PulumiTest.extractValue(output);
    }

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
        if (!args.type.startsWith("test:")) {
            declared.add(args);
        }
        Map<String, Object> state = new LinkedHashMap<>(args.inputs);
        state.putIfAbsent("name", args.name);
        state.put("arn", "arn:aws:" + args.type.split(":")[1] + ":" + REGION + ":" + ACCOUNT + ":" + args.name);
        if (args.type.equals("aws:ec2/instance:Instance")) {
            state.put("privateIp", "10.0.0." + ips.getAndIncrement());
        }
        if (args.type.equals("aws:s3/bucketV2:BucketV2")) {
            state.put("bucket", args.name + "-bucket");
        }
        if (args.type.equals("aws:ec2/vpcEndpoint:VpcEndpoint")) {
            state.put("prefixListId", "pl-" + args.name);
        }
        return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(args.name + "-id"), state));
    }

    @Override
    public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (args.token) {
            case "aws:ssm/getParametersByPath:getParametersByPath" -> {
                // no converge has recorded anything in these parts' stacks
                out.put("path", "/redis-ha/parts/converge/");
                out.put("id", "/redis-ha/parts/converge/");
                List.of("names", "values", "types", "arns").forEach(k -> out.put(k, List.of()));
            }
            case "aws:index/getRegion:getRegion" -> {
                out.put("name", REGION);
                out.put("id", REGION);
            }
            case "aws:index/getCallerIdentity:getCallerIdentity" -> {
                out.put("accountId", ACCOUNT);
                out.put("arn", "arn:aws:iam::" + ACCOUNT + ":user/test");
                out.put("userId", "AIDATEST");
                out.put("id", ACCOUNT);
            }
            case "aws:index/getAvailabilityZones:getAvailabilityZones" -> {
                out.put("names", List.of(REGION + "a", REGION + "b", REGION + "c", REGION + "d"));
                out.put("zoneIds", List.of("euw1-az1", "euw1-az2", "euw1-az3", "euw1-az4"));
                out.put("id", REGION);
            }
            default -> {
            }
        }
        return CompletableFuture.completedFuture(out);
    }
}
