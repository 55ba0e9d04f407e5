package io.redisha.policies.analyzer;

import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.redisha.policies.ConfigProperty;
import io.redisha.policies.EnforcementLevel;
import io.redisha.policies.PolicyPack;
import io.redisha.policies.ResourceView;
import io.redisha.policies.Rule;
import io.redisha.policies.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import pulumirpc.AnalyzerGrpc;
import pulumirpc.AnalyzerOuterClass.AnalyzeDiagnostic;
import pulumirpc.AnalyzerOuterClass.AnalyzeRequest;
import pulumirpc.AnalyzerOuterClass.AnalyzeResponse;
import pulumirpc.AnalyzerOuterClass.AnalyzeStackRequest;
import pulumirpc.AnalyzerOuterClass.AnalyzerHandshakeRequest;
import pulumirpc.AnalyzerOuterClass.AnalyzerHandshakeResponse;
import pulumirpc.AnalyzerOuterClass.AnalyzerInfo;
import pulumirpc.AnalyzerOuterClass.AnalyzerStackConfigureRequest;
import pulumirpc.AnalyzerOuterClass.AnalyzerStackConfigureResponse;
import pulumirpc.AnalyzerOuterClass.ConfigureAnalyzerRequest;
import pulumirpc.AnalyzerOuterClass.PolicyConfig;
import pulumirpc.AnalyzerOuterClass.PolicyConfigSchema;
import pulumirpc.AnalyzerOuterClass.PolicyInfo;
import pulumirpc.AnalyzerOuterClass.PolicySeverity;
import pulumirpc.AnalyzerOuterClass.PolicyType;
import pulumirpc.Plugin.PluginInfo;

/**
 * Pulumi's Analyzer service over the redis-ha {@link PolicyPack}. The engine (pkg
 * sdk/go/common/resource/plugin/analyzer_plugin.go) calls Handshake, ConfigureStack,
 * GetAnalyzerInfo, GetPluginInfo, Configure, then Analyze per resource and AnalyzeStack once.
 * Remediate is left unimplemented: the engine treats UNIMPLEMENTED there as "no remediations".
 */
public final class AnalyzerService extends AnalyzerGrpc.AnalyzerImplBase {
    private final PolicyPack pack;
    private volatile String rootDirectory = "";

    public AnalyzerService(PolicyPack pack) {
        this.pack = pack;
    }

    @Override
    public void handshake(AnalyzerHandshakeRequest request, StreamObserver<AnalyzerHandshakeResponse> response) {
        rootDirectory = request.getRootDirectory();
        reply(response, AnalyzerHandshakeResponse::getDefaultInstance);
    }

    @Override
    public void configureStack(AnalyzerStackConfigureRequest request, StreamObserver<AnalyzerStackConfigureResponse> response) {
        pack.forStack(request.getStack());
        reply(response, AnalyzerStackConfigureResponse::getDefaultInstance);
    }

    @Override
    public void getAnalyzerInfo(Empty request, StreamObserver<AnalyzerInfo> response) {
        reply(response, () -> {
            AnalyzerInfo.Builder info = AnalyzerInfo.newBuilder()
                    .setName(PolicyPack.NAME)
                    .setDisplayName("redis-ha production checklist")
                    .setVersion(PolicyPack.VERSION)
                    .setDescription("The Redis production checklist over every Redis a stack declares (RedisCluster, hand-written Redis on EC2, ElastiCache, MemoryDB): replicas and zones, failover, tuned hosts, persistence, memory, timeouts, network exposure, encryption and AUTH.")
                    .setSupportsConfig(true);
            for (Rule rule : pack.rules()) {
                Map<String, Object> schema = new LinkedHashMap<>();
                for (ConfigProperty property : rule.config()) {
                    schema.put(property.name(), property.jsonSchema());
                }
                info.addPolicies(PolicyInfo.newBuilder()
                        .setName(rule.name())
                        .setDisplayName(rule.name())
                        .setDescription(rule.description())
                        .setEnforcementLevel(toProto(pack.level(rule.name())))
                        .setConfigSchema(PolicyConfigSchema.newBuilder().setProperties(Structs.toStruct(schema)))
                        .setPolicyType(rule.isStackRule() ? PolicyType.POLICY_TYPE_STACK : PolicyType.POLICY_TYPE_RESOURCE)
                        .setSeverity(rule.defaultLevel() == EnforcementLevel.MANDATORY
                                ? PolicySeverity.POLICY_SEVERITY_HIGH : PolicySeverity.POLICY_SEVERITY_MEDIUM)
                        .addTags("redis"));
            }
            return info.build();
        });
    }

    @Override
    public void getPluginInfo(Empty request, StreamObserver<PluginInfo> response) {
        reply(response, () -> PluginInfo.newBuilder().setVersion(PolicyPack.VERSION).build());
    }

    @Override
    public void configure(ConfigureAnalyzerRequest request, StreamObserver<Empty> response) {
        try {
            for (Map.Entry<String, PolicyConfig> entry : request.getPolicyConfigMap().entrySet()) {
                Map<String, Object> values = new LinkedHashMap<>();
                entry.getValue().getProperties().getFieldsMap().forEach((k, v) -> values.put(k, Structs.toJava(v)));
                pack.configure(entry.getKey(), Optional.of(fromProto(entry.getValue().getEnforcementLevel())), values);
            }
        } catch (IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        reply(response, Empty::getDefaultInstance);
    }

    @Override
    public void analyze(AnalyzeRequest request, StreamObserver<AnalyzeResponse> response) {
        reply(response, () -> diagnostics(pack.analyze(
                Structs.resource(request.getType(), request.getUrn(), request.getName(), request.getProperties()))));
    }

    @Override
    public void analyzeStack(AnalyzeStackRequest request, StreamObserver<AnalyzeResponse> response) {
        reply(response, () -> diagnostics(pack.analyzeStack(request.getResourcesList().stream()
                .map(r -> Structs.resource(r.getType(), r.getUrn(), r.getName(), r.getProperties(), dependencies(r))).toList())));
    }

    private static Map<String, List<String>> dependencies(pulumirpc.AnalyzerOuterClass.AnalyzerResource r) {
        Map<String, List<String>> dependencies = new LinkedHashMap<>();
        r.getPropertyDependenciesMap().forEach((property, urns) -> dependencies.put(property, List.copyOf(urns.getUrnsList())));
        return dependencies;
    }

    @Override
    public void cancel(Empty request, StreamObserver<Empty> response) {
        reply(response, Empty::getDefaultInstance);
    }

    /** The directory of PulumiPolicy.yaml, as the engine's handshake gave it ("" before it). */
    public String rootDirectory() {
        return rootDirectory;
    }

    private static AnalyzeResponse diagnostics(List<Violation> violations) {
        AnalyzeResponse.Builder response = AnalyzeResponse.newBuilder();
        for (Violation v : violations) {
            response.addDiagnostics(AnalyzeDiagnostic.newBuilder()
                    .setPolicyName(v.policy())
                    .setPolicyPackName(PolicyPack.NAME)
                    .setPolicyPackVersion(PolicyPack.VERSION)
                    .setDescription(v.description())
                    .setMessage(v.message())
                    .setEnforcementLevel(toProto(v.level()))
                    .setUrn(v.urn())
                    .setSeverity(v.isMandatory() ? PolicySeverity.POLICY_SEVERITY_HIGH : PolicySeverity.POLICY_SEVERITY_MEDIUM));
        }
        return response.build();
    }

    static pulumirpc.AnalyzerOuterClass.EnforcementLevel toProto(EnforcementLevel level) {
        return switch (level) {
            case ADVISORY -> pulumirpc.AnalyzerOuterClass.EnforcementLevel.ADVISORY;
            case MANDATORY -> pulumirpc.AnalyzerOuterClass.EnforcementLevel.MANDATORY;
            case DISABLED -> pulumirpc.AnalyzerOuterClass.EnforcementLevel.DISABLED;
        };
    }

    static EnforcementLevel fromProto(pulumirpc.AnalyzerOuterClass.EnforcementLevel level) {
        return switch (level) {
            case ADVISORY -> EnforcementLevel.ADVISORY;
            case MANDATORY -> EnforcementLevel.MANDATORY;
            case DISABLED -> EnforcementLevel.DISABLED;
            // remediate: this pack has no remediations, so the closest is to block
            case REMEDIATE, UNRECOGNIZED -> EnforcementLevel.MANDATORY;
        };
    }

    /** Answers once; an unexpected failure becomes an INTERNAL status naming it, never a hang. */
    private static <T> void reply(StreamObserver<T> response, Supplier<T> body) {
        T value;
        try {
            value = body.get();
        } catch (RuntimeException e) {
            response.onError(Status.INTERNAL.withDescription("redis-ha policy pack: " + e).withCause(e).asRuntimeException());
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }
}
