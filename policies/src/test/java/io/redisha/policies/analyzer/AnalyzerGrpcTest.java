package io.redisha.policies.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.redisha.policies.Fixtures;
import io.redisha.policies.PolicyPack;
import io.redisha.policies.ResourceView;
import io.redisha.topology.ZoneLoss;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulumirpc.AnalyzerOuterClass.AnalyzeDiagnostic;
import pulumirpc.AnalyzerOuterClass.AnalyzeRequest;
import pulumirpc.AnalyzerOuterClass.AnalyzeResponse;
import pulumirpc.AnalyzerOuterClass.AnalyzeStackRequest;
import pulumirpc.AnalyzerOuterClass.AnalyzerHandshakeRequest;
import pulumirpc.AnalyzerOuterClass.AnalyzerInfo;
import pulumirpc.AnalyzerOuterClass.AnalyzerResource;
import pulumirpc.AnalyzerOuterClass.AnalyzerStackConfigureRequest;
import pulumirpc.AnalyzerOuterClass.ConfigureAnalyzerRequest;
import pulumirpc.AnalyzerOuterClass.EnforcementLevel;
import pulumirpc.AnalyzerOuterClass.PolicyConfig;
import pulumirpc.AnalyzerOuterClass.PolicyInfo;
import pulumirpc.AnalyzerOuterClass.PolicyType;

/** The analyzer over real gRPC, called in the order the engine calls it (analyzer_plugin.go). */
class AnalyzerGrpcTest {
    private static AnalyzerProcess analyzer;

    @BeforeAll
    static void start() throws Exception {
        // the flags the engine prepends when run with -v=9 --logflow --logtostderr and tracing
        analyzer = AnalyzerProcess.start(List.of("--logtostderr", "-v=9", "--tracing", "http://127.0.0.1:9/trace"), null);
        analyzer.stub.handshake(AnalyzerHandshakeRequest.newBuilder().setEngineAddress("127.0.0.1:1")
                .setRootDirectory(System.getProperty("policies.basedir", ".")).setProgramDirectory(".").build());
        analyzer.stub.configureStack(AnalyzerStackConfigureRequest.newBuilder()
                .setStack("prod").setProject("redis-ha").setOrganization("acme").setDryRun(true).build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (analyzer != null) {
            analyzer.close();
        }
    }

    @Test
    void theFirstStdoutLineIsOnlyThePort() {
        assertTrue(analyzer.firstLine.matches("\\d+"), analyzer.firstLine);
        assertTrue(analyzer.port > 0 && analyzer.port <= 65535);
    }

    @Test
    void analyzerInfoListsEveryPolicyWithLevelTypeAndConfigSchema() {
        AnalyzerInfo info = analyzer.stub.getAnalyzerInfo(Empty.getDefaultInstance());
        assertEquals("redis-ha", info.getName());
        assertEquals(PolicyPack.VERSION, info.getVersion());
        assertTrue(info.getSupportsConfig());
        assertEquals(PolicyPack.standard().rules().size(), info.getPoliciesCount());
        PolicyInfo timeout = policy(info, "redis-node-timeout-range");
        assertEquals(EnforcementLevel.MANDATORY, timeout.getEnforcementLevel());
        assertEquals(PolicyType.POLICY_TYPE_RESOURCE, timeout.getPolicyType());
        Struct minMs = timeout.getConfigSchema().getProperties().getFieldsOrThrow("minMs").getStructValue();
        assertEquals("integer", minMs.getFieldsOrThrow("type").getStringValue());
        assertEquals(2000, minMs.getFieldsOrThrow("default").getNumberValue());
        PolicyInfo prodReplicas = policy(info, "redis-replicas-for-production");
        assertEquals(EnforcementLevel.ADVISORY, prodReplicas.getEnforcementLevel());
        assertEquals(PolicyType.POLICY_TYPE_STACK, prodReplicas.getPolicyType());
        assertFalse(analyzer.stub.getPluginInfo(Empty.getDefaultInstance()).getVersion().isEmpty());
    }

    @Test
    void analyzeReportsAnUnsafeInstanceWithItsUrnAndLevel() {
        ResourceView safe = Fixtures.safeCluster().stream().filter(r -> r.name().equals("prod-node-0-0")).findFirst().orElseThrow();
        AnalyzeResponse ok = analyzer.stub.analyze(request(safe, Map.of()));
        assertEquals(0, ok.getDiagnosticsCount(), ok.toString());

        ResourceView unsafe = Fixtures.with(Fixtures.with(Fixtures.with(safe, "metadataOptions.httpTokens", "optional"),
                "associatePublicIpAddress", true), "userData", Fixtures.userData("node-0-0", "500", "11000mb", "yes"));
        AnalyzeResponse bad = analyzer.stub.analyze(request(unsafe, Map.of()));
        List<String> policies = bad.getDiagnosticsList().stream().map(AnalyzeDiagnostic::getPolicyName).sorted().toList();
        assertEquals(List.of("redis-imdsv2-required", "redis-no-public-ip", "redis-node-timeout-range"), policies);
        for (AnalyzeDiagnostic d : bad.getDiagnosticsList()) {
            assertEquals(EnforcementLevel.MANDATORY, d.getEnforcementLevel());
            assertEquals(safe.urn(), d.getUrn());
            assertEquals("redis-ha", d.getPolicyPackName());
            assertTrue(d.getMessage().contains("prod-node-0-0") && d.getMessage().contains("Fix:"), d.getMessage());
        }
    }

    @Test
    void secretsAndUnknownsArriveInPulumisEncoding() {
        ResourceView node = Fixtures.safeCluster().stream().filter(r -> r.name().equals("prod-node-1-0")).findFirst().orElseThrow();
        // user data sent as a secret (a password flowed into it) is flagged by the stack rule
        List<ResourceView> stack = Fixtures.safeCluster();
        AnalyzeStackRequest.Builder req = AnalyzeStackRequest.newBuilder();
        for (ResourceView r : stack) {
            Map<String, Value> overrides = r.name().equals(node.name())
                    ? Map.of("userData", Structs.secret(r.properties().get("userData"))) : Map.of();
            req.addResources(resource(r, overrides));
        }
        AnalyzeResponse response = analyzer.stub.analyzeStack(req.build());
        List<AnalyzeDiagnostic> auth = response.getDiagnosticsList().stream()
                .filter(d -> d.getPolicyName().equals("redis-auth-from-secret")).toList();
        assertEquals(1, auth.size(), response.toString());
        assertEquals(node.urn(), auth.get(0).getUrn());
        // unknown values (preview) are not judged
        AnalyzeResponse unknown = analyzer.stub.analyze(request(node, Map.of(
                "userData", Value.newBuilder().setStringValue(Structs.UNKNOWN).build(),
                "metadataOptions", Value.newBuilder().setStringValue(Structs.UNKNOWN).build())));
        assertEquals(0, unknown.getDiagnosticsCount(), unknown.toString());
    }

    @Test
    void analyzeStackJudgesTheClusterWithTheSharedPlanner() {
        AnalyzeResponse safe = analyzer.stub.analyzeStack(stackRequest(Fixtures.cluster(3, 2,
                List.of("us-east-1a", "us-east-1b", "us-east-1c"), ZoneLoss.MUST_SURVIVE)));
        assertEquals(0, safe.getDiagnosticsCount(), safe.toString());

        // 4 masters over 3 zones: losing the zone with 2 masters leaves no majority
        AnalyzeResponse unsafe = analyzer.stub.analyzeStack(stackRequest(Fixtures.cluster(4, 1,
                List.of("us-east-1a", "us-east-1b", "us-east-1c"), ZoneLoss.ACCEPT_RISK)));
        AnalyzeDiagnostic zoneLoss = unsafe.getDiagnosticsList().stream()
                .filter(d -> d.getPolicyName().equals("redis-zone-loss-survivable")).findFirst().orElseThrow(() -> new AssertionError(unsafe));
        assertEquals(EnforcementLevel.MANDATORY, zoneLoss.getEnforcementLevel());
        assertTrue(zoneLoss.getUrn().endsWith("redis-ha:index:RedisCluster::prod"), zoneLoss.getUrn());
        assertTrue(zoneLoss.getMessage().contains("not a majority"), zoneLoss.getMessage());
        // the stack is prod (ConfigureStack), so 1 replica per master is advised against
        assertTrue(unsafe.getDiagnosticsList().stream().anyMatch(d -> d.getPolicyName().equals("redis-replicas-for-production")
                && d.getEnforcementLevel() == EnforcementLevel.ADVISORY), unsafe.toString());
    }

    @Test
    void configureChangesLevelsAndIsRefusedForUnknownPolicies() throws Exception {
        try (AnalyzerProcess own = AnalyzerProcess.start(List.of(), null)) {
            ResourceView node = Fixtures.with(Fixtures.safeCluster().stream().filter(r -> r.name().equals("prod-node-0-1"))
                    .findFirst().orElseThrow(), "userData", Fixtures.userData("node-0-1", "20000", "11000mb", "yes"));
            assertEquals(0, own.stub.analyze(request(node, Map.of())).getDiagnosticsCount());
            own.stub.configure(ConfigureAnalyzerRequest.newBuilder().putPolicyConfig("redis-node-timeout-range",
                    PolicyConfig.newBuilder().setEnforcementLevel(EnforcementLevel.ADVISORY)
                            .setProperties(Structs.toStruct(Map.of("maxMs", 15000.0))).build()).build());
            AnalyzeResponse r = own.stub.analyze(request(node, Map.of()));
            assertEquals(1, r.getDiagnosticsCount(), r.toString());
            assertEquals(EnforcementLevel.ADVISORY, r.getDiagnostics(0).getEnforcementLevel());
            AnalyzerInfo info = own.stub.getAnalyzerInfo(Empty.getDefaultInstance());
            assertEquals(EnforcementLevel.ADVISORY, policy(info, "redis-node-timeout-range").getEnforcementLevel());

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> own.stub.configure(
                    ConfigureAnalyzerRequest.newBuilder().putPolicyConfig("no-such-policy", PolicyConfig.getDefaultInstance()).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("no-such-policy"));
        }
    }

    @Test
    void remediateIsUnimplementedWhichTheEngineTolerates() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> analyzer.stub.remediate(AnalyzeRequest.newBuilder().setType(ResourceView.INSTANCE).build()));
        assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    }

    @Test
    void theAnalyzerExitsWhenTheEngineGoesAway() throws Exception {
        AnalyzerProcess own = AnalyzerProcess.start(List.of(), null);
        try {
            own.closeEngine();
            assertTrue(own.process.waitFor(30, TimeUnit.SECONDS), "the analyzer outlived its engine");
        } finally {
            own.close();
        }
    }

    static PolicyInfo policy(AnalyzerInfo info, String name) {
        return info.getPoliciesList().stream().filter(p -> p.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no policy " + name));
    }

    static AnalyzeRequest request(ResourceView r, Map<String, Value> overrides) {
        Struct.Builder props = Structs.toStruct(r.properties()).toBuilder();
        overrides.forEach(props::putFields);
        return AnalyzeRequest.newBuilder().setType(r.type()).setUrn(r.urn()).setName(r.name()).setProperties(props).build();
    }

    static AnalyzerResource resource(ResourceView r, Map<String, Value> overrides) {
        Struct.Builder props = Structs.toStruct(r.properties()).toBuilder();
        overrides.forEach(props::putFields);
        return AnalyzerResource.newBuilder().setType(r.type()).setUrn(r.urn()).setName(r.name()).setProperties(props).build();
    }

    static AnalyzeStackRequest stackRequest(List<ResourceView> resources) {
        AnalyzeStackRequest.Builder req = AnalyzeStackRequest.newBuilder();
        resources.forEach(r -> req.addResources(resource(r, Map.of())));
        return req.build();
    }
}
