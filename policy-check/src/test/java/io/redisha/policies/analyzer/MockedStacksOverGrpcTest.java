package io.redisha.policies.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.redisha.policies.ResourceView;
import io.redisha.policies.check.MockedStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pulumirpc.AnalyzerOuterClass.AnalyzeDiagnostic;
import pulumirpc.AnalyzerOuterClass.AnalyzeRequest;
import pulumirpc.AnalyzerOuterClass.AnalyzeStackRequest;
import pulumirpc.AnalyzerOuterClass.AnalyzerHandshakeRequest;
import pulumirpc.AnalyzerOuterClass.AnalyzerResource;
import pulumirpc.AnalyzerOuterClass.AnalyzerStackConfigureRequest;
import pulumirpc.AnalyzerOuterClass.EnforcementLevel;

/**
 * What the engine would send for the real cluster stack: every resource the program declares under
 * mocks (dev, prod, and an unsafe change), as Analyze per resource and AnalyzeStack once, with the
 * secret inputs in Pulumi's secret envelope.
 */
class MockedStacksOverGrpcTest {

    /** Every diagnostic for a stack, the engine's way: Handshake, ConfigureStack, Analyze each, AnalyzeStack. */
    static List<AnalyzeDiagnostic> analyzeAsTheEngine(String stack, Map<String, String> overrides) throws Exception {
        List<ResourceView> resources = MockedStack.runStack(stack, overrides);
        assertTrue(resources.stream().anyMatch(r -> r.is(ResourceView.INSTANCE)), "the program declared instances");
        try (AnalyzerProcess analyzer = AnalyzerProcess.start(List.of(), null)) {
            analyzer.stub.handshake(AnalyzerHandshakeRequest.newBuilder().setEngineAddress("127.0.0.1:1")
                    .setRootDirectory(".").setProgramDirectory(".").build());
            analyzer.stub.configureStack(AnalyzerStackConfigureRequest.newBuilder().setStack(stack).setProject("redis-ha").build());
            assertEquals(io.redisha.policies.PolicyPack.standard().rules().size(), analyzer.stub.getAnalyzerInfo(Empty.getDefaultInstance()).getPoliciesCount());
            List<AnalyzeDiagnostic> diagnostics = new ArrayList<>();
            AnalyzeStackRequest.Builder all = AnalyzeStackRequest.newBuilder();
            for (ResourceView r : resources) {
                Struct props = properties(r);
                diagnostics.addAll(analyzer.stub.analyze(AnalyzeRequest.newBuilder().setType(r.type()).setUrn(r.urn())
                        .setName(r.name()).setProperties(props).build()).getDiagnosticsList());
                all.addResources(AnalyzerResource.newBuilder().setType(r.type()).setUrn(r.urn()).setName(r.name()).setProperties(props));
            }
            diagnostics.addAll(analyzer.stub.analyzeStack(all.build()).getDiagnosticsList());
            return diagnostics;
        }
    }

    /** Secret inputs go in the envelope the engine uses (MarshalOptions KeepSecrets). */
    private static Struct properties(ResourceView r) {
        Struct.Builder props = Struct.newBuilder();
        r.properties().forEach((k, v) -> props.putFields(k, r.secretPaths().contains(k) ? Structs.secret(v) : Structs.toValue(v)));
        return props.build();
    }

    /** Mandatory diagnostics: what would stop a preview. */
    private static List<String> blocking(List<AnalyzeDiagnostic> diagnostics) {
        return diagnostics.stream().filter(d -> d.getEnforcementLevel() == EnforcementLevel.MANDATORY)
                .map(d -> d.getPolicyName() + " " + d.getUrn() + ": " + d.getMessage()).toList();
    }

    @Test
    void devAndProdHaveNoBlockingDiagnostics() throws Exception {
        List<AnalyzeDiagnostic> dev = analyzeAsTheEngine("dev", Map.of());
        assertEquals(List.of(), blocking(dev));
        assertTrue(dev.stream().noneMatch(d -> d.getEnforcementLevel() == EnforcementLevel.ADVISORY), dev.toString());
        List<AnalyzeDiagnostic> prod = analyzeAsTheEngine("prod", Map.of());
        assertEquals(List.of(), blocking(prod));
        assertTrue(prod.stream().noneMatch(d -> d.getEnforcementLevel() == EnforcementLevel.ADVISORY), prod.toString());
    }

    @Test
    void anUnsafeConfigIsBlockedWithTheClusterAsSubject() throws Exception {
        List<AnalyzeDiagnostic> d = analyzeAsTheEngine("prod", Map.of("redis-ha:masters", "4",
                "redis-ha:replicasPerMaster", "1", "redis-ha:acceptZoneLossRisk", "true", "redis-ha:nodeTimeoutMs", "45000"));
        List<String> blocking = blocking(d);
        assertTrue(blocking.stream().anyMatch(b -> b.startsWith("redis-zone-loss-survivable urn:pulumi:prod::redis-ha::") && b.contains("redis-ha:index:RedisCluster::prod:")),
                blocking.toString());
        // the component's own input, and each of the 8 nodes that renders it
        assertEquals(9, blocking.stream().filter(b -> b.startsWith("redis-node-timeout-range")).count(), blocking.toString());
        assertTrue(blocking.stream().anyMatch(b -> b.startsWith("redis-node-timeout-range") && b.contains("redis-ha:index:RedisCluster::prod:")),
                blocking.toString());
        assertTrue(blocking.stream().anyMatch(b -> b.contains("45000 ms") && b.contains("too high")), blocking.toString());
        assertEquals(4, d.stream().filter(x -> x.getPolicyName().equals("redis-replicas-for-production")
                && x.getEnforcementLevel() == EnforcementLevel.ADVISORY).count());
    }

    @Test
    void prodWithoutBackupsIsBlockedOnTheComponent() throws Exception {
        List<String> blocking = blocking(analyzeAsTheEngine("prod", Map.of("redis-ha:backups", "")));
        assertEquals(1, blocking.size(), blocking.toString());
        assertTrue(blocking.get(0).startsWith("redis-backups-for-production urn:pulumi:prod::redis-ha::") && blocking.get(0).contains("redis-ha:index:RedisCluster::prod:")
                && blocking.get(0).contains("takes no backups"), blocking.toString());
        List<String> short0 = blocking(analyzeAsTheEngine("prod", Map.of("redis-ha:backups", "{\"retentionDays\":1}")));
        assertEquals(List.of(), short0, "one day is enough");
    }

    @Test
    void theAuthPasswordArrivesAsASecretAndIsNotInUserData() throws Exception {
        List<ResourceView> resources = MockedStack.runStack("dev", Map.of());
        ResourceView auth = resources.stream().filter(r -> r.is(ResourceView.SSM_PARAMETER)
                && r.string("type").orElse("").equals("SecureString")).findFirst().orElseThrow();
        assertTrue(auth.secretPaths().contains("value"), auth.secretPaths().toString());
        Value envelope = properties(auth).getFieldsOrThrow("value");
        assertTrue(Structs.containsSecret(envelope));
        resources.stream().filter(r -> r.is(ResourceView.INSTANCE)).forEach(i ->
                assertTrue(!i.string("userData").orElse("").contains(io.redisha.policies.check.StackConfig.DUMMY_SECRET), i.name()));
    }
}
