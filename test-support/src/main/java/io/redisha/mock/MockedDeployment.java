package io.redisha.mock;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.core.internal.OutputData;
import com.pulumi.resources.Resource;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import com.pulumi.test.internal.MockMonitor;
import com.pulumi.test.internal.PulumiTestInternal;
import io.redisha.topology.ConvergeRecord;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pulumirpc.Resource.ReadResourceRequest;
import pulumirpc.Resource.ReadResourceResponse;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;

/**
 * Runs a Pulumi program under {@code com.pulumi.test} mocks with a given stack config and returns
 * what it declared: every resource with its inputs (and which inputs were secrets) and the stack
 * outputs. Nothing is deployed; no Pulumi CLI, provider plugin or cloud account is involved.
 *
 * <p>The caller passes the program (this module knows no stack): stacks' tests pass
 * {@code ClusterStack::define} or a program of their own, the policy check passes the cluster program.
 * <pre>{@code
 * MockedDeployment.Result r = MockedDeployment.run("dev", Map.of(
 *         "redis-ha:masters", "3", "redis-ha:authPassword", "s3cret..."), MockedDeployment.DEFAULT_SECRET_KEYS, ClusterStack::define);
 * r.resources("aws:ec2/instance:Instance").forEach(i -> ...);
 * }</pre>
 *
 * <p>Mocked provider behaviour: ids are {@code <name>-id}; instances get private IPs
 * {@code 10.<cluster>.<shard>.<10+member>}; ARNs are built in account 123456789012 and the region of
 * {@code aws:region} (default us-east-1); {@code aws:getAvailabilityZones} answers {@code <region>a..c};
 * the node image's Image Builder image reports {@link #BUILT_AMI}; {@code pulumi:pulumi:readStackOutputs}
 * (the program reading its own last deployment) and any StackReference answer the given previous
 * outputs, none by default.
 * Runs are serialised: the Pulumi Java SDK keeps one deployment per JVM.
 */
public final class MockedDeployment {
    public static final String PROJECT = "redis-ha";
    public static final String ACCOUNT = "123456789012";
    /** The AMI the mocked Image Builder image reports (the stack builds the node image unless redis-ha:imageId is set). */
    public static final String BUILT_AMI = "ami-0b0117a11c0ffee00";
    /** Config keys the redis-ha program treats as secrets (as {@code pulumi config set --secret} would). */
    public static final Set<String> DEFAULT_SECRET_KEYS = Set.of("redis-ha:authPassword", "redis-ha:tlsPrivateKey");
    private static final String SIG = "4dabf18193072939515e22adb298388d";
    private static final String SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
    private static final String ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
    private static final String ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
    private static final String RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
    private static final String OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
    private static final Object LOCK = new Object();

    private MockedDeployment() {
    }

    /**
     * What a mocked run declared.
     *
     * @param resources     in the order the engine received them (asynchronous: not always declaration order)
     * @param outputs       stack outputs with secrets unwrapped
     * @param secretOutputs names of the outputs that are secrets
     * @param failure       the program's error (for example a refused config), if it failed
     * @param engineErrors  the error messages the program sent the engine, as a user would see them
     * @param reads         {@code type name} of every resource the program read (not declared)
     */
    public record Result(List<DeclaredResource> resources, Map<String, Object> outputs, Set<String> secretOutputs,
                         Optional<String> failure, List<String> engineErrors, List<String> reads) {

        public boolean succeeded() {
            return failure.isEmpty();
        }

        /** The placement parameter this run declared (what converge on the node reads). */
        public DeclaredResource placementParameter() {
            return resources("aws:ssm/parameter:Parameter").stream().filter(p -> p.name().endsWith("-placement")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("this run declared no placement parameter"));
        }

        /**
         * What converge on the node records about this deployment's placement (the value of its placement
         * parameter): converged, with every retiring and replaced address forgotten, or failed.
         */
        public String convergeRecord(boolean succeeded) {
            String json = placementParameter().string("value");
            Placement placement = Placement.fromJson(json);
            ConvergeRecord started = ConvergeRecord.started(json, placement, 0);
            List<NodeAddress> old = new ArrayList<>(placement.retiring().values());
            old.addAll(placement.replacing().values());
            return (succeeded ? started.converged(old) : started.failed("mocked: converge failed")).toJson();
        }

        /** Custom resources of one type, e.g. {@code aws:ec2/instance:Instance}. */
        public List<DeclaredResource> resources(String type) {
            return resources.stream().filter(r -> r.type().equals(type)).toList();
        }

        /** Only real cloud resources: no stack, no component. */
        public List<DeclaredResource> customResources() {
            return resources.stream().filter(DeclaredResource::custom).toList();
        }

        public DeclaredResource resource(String name) {
            return resources.stream().filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow(() -> new java.util.NoSuchElementException("no resource named " + name + " was declared"));
        }
    }

    /**
     * Runs {@code program} as {@code stack} under mocks.
     *
     * @param config     full keys ({@code redis-ha:masters}) to string values; lists as JSON arrays
     * @param secretKeys the keys of {@code config} that are secrets
     */
    public static Result run(String stack, Map<String, String> config, Set<String> secretKeys, Consumer<Context> program) {
        return run(stack, config, secretKeys, program, Map.of());
    }

    /**
     * Runs {@code program} as {@code stack} as if its last deployment had exported {@code previousOutputs}
     * (what the program reads back from its own stack; StackReferences to any stack answer them too),
     * e.g. the {@link Result#outputs()} of an earlier run: the way to mock a change to a running cluster.
     */
    public static Result run(String stack, Map<String, String> config, Set<String> secretKeys, Consumer<Context> program,
                             Map<String, Object> previousOutputs) {
        return run(stack, config, secretKeys, program, previousOutputs, Set.of(), Optional.empty(), Map.of());
    }

    /**
     * As {@link #run(String, Map, Set, Consumer, Map)}, with a provider that leaves out some outputs, each given as
     * {@code type.output} (e.g. {@code aws:ec2/vpcEndpoint:VpcEndpoint.prefixListId}): the program must
     * cope with a provider that returns less than the mocks usually do.
     */
    public static Result runWithoutOutputs(String stack, Map<String, String> config, Set<String> secretKeys, Consumer<Context> program,
                                           Map<String, Object> previousOutputs, Set<String> omittedOutputs) {
        return run(stack, config, secretKeys, program, previousOutputs, omittedOutputs, Optional.empty(), Map.of());
    }

    /**
     * As {@link #run(String, Map, Set, Consumer, Map)} after {@code previous}: its outputs passed back and, when
     * {@code convergeSucceeded}, the record converge writes after bringing the cluster to its placement
     * (every retiring and replaced node verified out of the cluster), else the record of a failed run.
     */
    public static Result runAfter(String stack, Map<String, String> config, Set<String> secretKeys, Consumer<Context> program,
                                  Result previous, boolean convergeSucceeded) {
        DeclaredResource placement = previous.placementParameter();
        return run(stack, config, secretKeys, program, previous.outputs(), Set.of(),
                Optional.of(previous.convergeRecord(convergeSucceeded)), Map.of(placement.string("name"), placement.string("value")));
    }

    private static Result run(String stack, Map<String, String> config, Set<String> secretKeys, Consumer<Context> program,
                              Map<String, Object> previousOutputs, Set<String> omittedOutputs, Optional<String> convergeRecord,
                              Map<String, String> parameters) {
        synchronized (LOCK) {
            PulumiTest.cleanup();
            try {
                return runLocked(stack, config, secretKeys, program, previousOutputs, omittedOutputs, convergeRecord, parameters);
            } finally {
                PulumiTest.cleanup();
            }
        }
    }

    private static Result runLocked(String stack, Map<String, String> config, Set<String> secretKeys, Consumer<Context> program,
                                    Map<String, Object> previousOutputs, Set<String> omittedOutputs, Optional<String> convergeRecord,
                                    Map<String, String> parameters) {
        String region = config.getOrDefault("aws:region", "us-east-1");
        ProviderMocks mocks = new ProviderMocks(region, previousOutputs, omittedOutputs, convergeRecord, parameters);
        List<Recorded> recorded = Collections.synchronizedList(new ArrayList<>());
        List<String> reads = Collections.synchronizedList(new ArrayList<>());
        TestResult result = PulumiTestInternal.builder()
                .options(TestOptions.builder().projectName(PROJECT).stackName(stack).preview(false).build())
                .mocks(mocks)
                .config(config, secretKeys)
                .monitorDecorator(inner -> new RecordingMonitor(mocks, recorded, reads))
                .build()
                .runTest(program);

        Map<String, Object> outputs = new LinkedHashMap<>();
        Set<String> secretOutputs = new TreeSet<>();
        Optional<String> failure = failureOf(result);
        if (failure.isEmpty()) {
            for (Map.Entry<String, Output<?>> e : result.outputs().entrySet()) {
                OutputData<?> data = PulumiTestInternal.extractOutputData(e.getValue());
                outputs.put(e.getKey(), data.getValueNullable());
                if (data.isSecret()) {
                    secretOutputs.add(e.getKey());
                }
            }
        }
        List<DeclaredResource> resources;
        synchronized (recorded) {
            resources = recorded.stream().map(Recorded::toResource).toList();
        }
        return new Result(resources, Collections.unmodifiableMap(outputs), Collections.unmodifiableSet(secretOutputs), failure,
                List.copyOf(result.errors()), List.copyOf(reads));
    }

    private static Optional<String> failureOf(TestResult result) {
        if (result.exitCode() == 0 && result.exceptions().isEmpty() && result.errors().isEmpty()) {
            return Optional.empty();
        }
        List<String> messages = new ArrayList<>();
        for (Exception e : result.exceptions()) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            messages.add(root.getMessage() == null ? root.toString() : root.getMessage());
        }
        messages.addAll(result.errors());
        if (messages.isEmpty()) {
            messages.add("the program exited with code " + result.exitCode());
        }
        return Optional.of(String.join("\n", new LinkedHashSet<>(messages)));
    }

    private record Recorded(RegisterResourceRequest request, CompletableFuture<String> urn) {
        DeclaredResource toResource() {
            Set<String> secrets = new TreeSet<>();
            Map<String, Object> inputs = new LinkedHashMap<>();
            request.getObject().getFieldsMap().forEach((k, v) -> inputs.put(k, plain(v, k, secrets)));
            return new DeclaredResource(request.getType(), request.getName(), urn.getNow(""), request.getCustom(),
                    Collections.unmodifiableMap(inputs), Collections.unmodifiableSet(secrets));
        }
    }

    /** Protobuf value -> Java, noting secret paths; secrets, assets and output values unwrapped. */
    static Object plain(Value v, String path, Set<String> secrets) {
        switch (v.getKindCase()) {
            case NULL_VALUE:
            case KIND_NOT_SET:
                return null;
            case NUMBER_VALUE:
                return v.getNumberValue();
            case STRING_VALUE:
                return v.getStringValue();
            case BOOL_VALUE:
                return v.getBoolValue();
            case LIST_VALUE: {
                ListValue list = v.getListValue();
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < list.getValuesCount(); i++) {
                    out.add(plain(list.getValues(i), path + "." + i, secrets));
                }
                return out;
            }
            case STRUCT_VALUE: {
                Struct s = v.getStructValue();
                Value sig = s.getFieldsMap().get(SIG);
                if (sig != null) {
                    String kind = sig.getStringValue();
                    if (kind.equals(SECRET_SIG)) {
                        secrets.add(path);
                        return plain(s.getFieldsOrDefault("value", Value.getDefaultInstance()), path, secrets);
                    }
                    if (kind.equals(OUTPUT_SIG)) {
                        if (s.getFieldsOrDefault("secret", Value.getDefaultInstance()).getBoolValue()) {
                            secrets.add(path);
                        }
                        return plain(s.getFieldsOrDefault("value", Value.getDefaultInstance()), path, secrets);
                    }
                    if (kind.equals(ASSET_SIG) || kind.equals(ARCHIVE_SIG)) {
                        return "asset:" + s.getFieldsOrDefault("path", Value.getDefaultInstance()).getStringValue();
                    }
                    if (kind.equals(RESOURCE_SIG)) {
                        return "ref:" + s.getFieldsOrDefault("urn", Value.getDefaultInstance()).getStringValue();
                    }
                }
                Map<String, Object> out = new LinkedHashMap<>();
                s.getFieldsMap().forEach((k, x) -> out.put(k, plain(x, path + "." + k, secrets)));
                return out;
            }
            default:
                return v.toString();
        }
    }

    /** Records every registration request (with its secret markers) before the mock monitor answers it. */
    private static final class RecordingMonitor extends MockMonitor {
        private final List<Recorded> recorded;
        private final List<String> reads;

        RecordingMonitor(Mocks mocks, List<Recorded> recorded, List<String> reads) {
            super(mocks, PulumiTestInternal.mockLog());
            this.recorded = recorded;
            this.reads = reads;
        }

        @Override
        public CompletableFuture<ReadResourceResponse> readResourceAsync(Resource resource, ReadResourceRequest request) {
            reads.add(request.getType() + " " + request.getName());
            return super.readResourceAsync(resource, request);
        }

        @Override
        public CompletableFuture<RegisterResourceResponse> registerResourceAsync(Resource resource, RegisterResourceRequest request) {
            CompletableFuture<String> urn = new CompletableFuture<>();
            recorded.add(new Recorded(request, urn));
            return super.registerResourceAsync(resource, request).whenComplete((response, error) -> {
                if (response != null) {
                    urn.complete(response.getUrn());
                } else {
                    urn.complete("");
                }
            });
        }
    }

    /** Deterministic answers of a pretend AWS provider. */
    static final class ProviderMocks implements Mocks {
        private static final Pattern NODE = Pattern.compile("(.+)-node-(\\d+)-(\\d+)(?:-g(\\d+))?");
        private final String region;
        private final Map<String, Object> previousOutputs;
        private final Set<String> omittedOutputs;
        private final Optional<String> convergeRecord;
        private final Map<String, String> parameters;

        /**
         * @param convergeRecord what converge recorded after the last deployment (none: it never ran)
         * @param parameters     SSM parameter values the last deployment left, by name (its placement)
         */
        ProviderMocks(String region, Map<String, Object> previousOutputs, Set<String> omittedOutputs, Optional<String> convergeRecord,
                      Map<String, String> parameters) {
            this.region = region;
            this.previousOutputs = previousOutputs;
            this.omittedOutputs = omittedOutputs;
            this.convergeRecord = convergeRecord;
            this.parameters = parameters;
        }

        @Override
        public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
            Map<String, Object> state = new LinkedHashMap<>(args.inputs);
            String id = args.name + "-id";
            String service = args.type.contains(":") ? args.type.split(":")[1].split("/")[0] : "mock";
            state.putIfAbsent("arn", "arn:aws:" + service + ":" + region + ":" + ACCOUNT + ":" + args.name);
            switch (args.type) {
                case "aws:ec2/instance:Instance" -> state.put("privateIp", privateIp(args.name));
                case "aws:ssm/parameter:Parameter" ->
                        state.put("arn", "arn:aws:ssm:" + region + ":" + ACCOUNT + ":parameter" + args.inputs.get("name"));
                case "aws:s3/bucketV2:BucketV2" -> {
                    String bucket = args.inputs.getOrDefault("bucketPrefix", args.name + "-") + "mock";
                    state.put("bucket", bucket);
                    state.put("arn", "arn:aws:s3:::" + bucket);
                    id = bucket;
                }
                case "aws:ec2/vpcEndpoint:VpcEndpoint" -> state.put("prefixListId", "pl-mock" + Math.abs(args.name.hashCode() % 1000));
                case "aws:ec2/securityGroup:SecurityGroup" -> id = "sg-" + args.name;
                case "aws:ec2/subnet:Subnet" -> id = "subnet-" + args.name;
                case "aws:ec2/vpc:Vpc" -> id = "vpc-" + args.name;
                case "aws:imagebuilder/image:Image" -> state.put("outputResources", List.of(Map.of("amis",
                        List.of(Map.of("region", region, "image", BUILT_AMI, "name", args.name + "-ami")))));
                case "pulumi:pulumi:StackReference" -> {
                    state.put("outputs", new LinkedHashMap<>(previousOutputs));
                    state.put("secretOutputNames", List.of());
                    id = String.valueOf(args.inputs.getOrDefault("name", args.name));
                }
                default -> {
                }
            }
            state.putIfAbsent("name", args.name);
            state.keySet().removeIf(output -> omittedOutputs.contains(args.type + "." + output));
            return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(id), state));
        }

        @Override
        public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
            Map<String, Object> out = new LinkedHashMap<>();
            switch (args.token) {
                case "aws:index/getAvailabilityZones:getAvailabilityZones" -> {
                    out.put("names", List.of(region + "a", region + "b", region + "c"));
                    out.put("zoneIds", List.of("use1-az1", "use1-az2", "use1-az4"));
                    out.put("id", region);
                }
                case "pulumi:pulumi:readStackOutputs" -> {
                    out.put("outputs", new LinkedHashMap<>(previousOutputs));
                    out.put("secretOutputNames", List.of());
                }
                case "aws:index/getCallerIdentity:getCallerIdentity" -> {
                    out.put("accountId", "123456789012");
                    out.put("arn", "arn:aws:iam::123456789012:user/mocked");
                    out.put("userId", "AIDAMOCKED");
                    out.put("id", "123456789012");
                }
                case "aws:ssm/getParameter:getParameter" -> {
                    // the one parameter the program reads back: the last deployment's placement
                    if (parameters.isEmpty()) {
                        // as AWS answers: the invoke fails, and with it the program
                        return CompletableFuture.failedFuture(new IllegalStateException("ParameterNotFound"));
                    }
                    String name = parameters.keySet().iterator().next();
                    String value = parameters.get(name);
                    out.put("id", name);
                    out.put("name", name);
                    out.put("arn", "arn:aws:ssm:" + region + ":123456789012:parameter" + name);
                    out.put("type", "String");
                    out.put("value", value);
                    out.put("insecureValue", value);
                    out.put("version", 1);
                    out.put("withDecryption", true);
                }
                case "aws:ssm/getParametersByPath:getParametersByPath" -> {
                    // what converge recorded after the last deployment, if the test says it ran
                    String path = "/redis-ha/mocked/converge/";
                    List<String> names = convergeRecord.map(r -> List.of(path + "state")).orElse(List.of());
                    out.put("path", path);
                    out.put("id", path);
                    out.put("names", names);
                    out.put("values", convergeRecord.map(List::of).orElse(List.of()));
                    out.put("types", names.stream().map(n -> "String").toList());
                    out.put("arns", names.stream().map(n -> "arn:aws:ssm:" + region + ":123456789012:parameter" + n).toList());
                }
                case "aws:index/getRegion:getRegion" -> {
                    out.put("name", region);
                    out.put("id", region);
                    out.put("endpoint", "ec2." + region + ".amazonaws.com");
                    out.put("description", region);
                }
                default -> {
                }
            }
            return CompletableFuture.completedFuture(out);
        }

        static String privateIp(String name) {
            Matcher m = NODE.matcher(name);
            if (m.matches()) {
                int cluster = Math.floorMod(m.group(1).hashCode(), 200) + 1;
                // each node generation (-g<N>) gets its own addresses, 20 apart
                int generation = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
                return "10." + cluster + "." + m.group(2) + "." + (10 + Integer.parseInt(m.group(3)) + 20 * generation);
            }
            return "10.0.0." + (Math.floorMod(name.hashCode(), 200) + 10);
        }
    }
}
