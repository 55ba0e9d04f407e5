package io.redisha.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each input and output is declared once; what is derived from the declarations agrees with them. */
class ClusterSchemaTest {
    private static RedisClusterArgs.Builder valid() {
        return RedisClusterArgs.builder().imageId("ami-0123").authPassword(Output.of("pw"));
    }

    @Test
    void everyArgsFieldIsADeclaredInputWithADescription() {
        Set<String> fields = Arrays.stream(RedisClusterArgs.class.getDeclaredFields()).filter(f -> !Modifier.isStatic(f.getModifiers()))
                .map(Field::getName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(fields, names(ClusterSchema.INPUTS.stream().map(ClusterSchema.InputSpec::name)));
        ClusterSchema.INPUTS.forEach(i -> {
            assertFalse(i.description().isBlank(), i.name());
            assertFalse(i.description().contains("{"), i.name() + ": " + i.description());
        });
    }

    /** The documented defaults are the builder's initial values, and the bounds come from InputLimits. */
    @Test
    void defaultsAreTheBuildersAndRangesTheLimitsTable() {
        assertEquals(Optional.of(3), ClusterSchema.input("masters").orElseThrow().defaultValue());
        assertEquals(Optional.of(true), ClusterSchema.input("terminationProtection").orElseThrow().defaultValue());
        assertEquals(Optional.of(RedisClusterArgs.DEFAULT_ENGINE), ClusterSchema.input("engine").orElseThrow().defaultValue());
        assertEquals(Optional.empty(), ClusterSchema.input("zones").orElseThrow().defaultValue());
        assertTrue(ClusterSchema.input("nodeTimeoutMs").orElseThrow().description().contains("1000..60000"));
        assertTrue(ClusterSchema.input("masters").orElseThrow().plain());
        assertFalse(ClusterSchema.input("imageId").orElseThrow().plain());
        assertFalse(ClusterSchema.input("subnetIds").orElseThrow().plain());
    }

    @Test
    void theJudgedInputsAreTheOnesDeclaredJudged() {
        Set<String> registered = Arrays.stream(JudgedInputs.class.getDeclaredFields()).filter(f -> f.isAnnotationPresent(Import.class))
                .map(f -> f.getAnnotation(Import.class).name()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(names(ClusterSchema.INPUTS.stream().filter(ClusterSchema.InputSpec::judged).map(ClusterSchema.InputSpec::name)), registered);
        assertTrue(ClusterSchema.INPUTS.stream().filter(ClusterSchema.InputSpec::judged).allMatch(ClusterSchema.InputSpec::plain),
                "the policy pack judges plain values only");
        assertTrue(ClusterSchema.INPUTS.stream().filter(ClusterSchema.InputSpec::judged).noneMatch(ClusterSchema.InputSpec::secret));
    }

    @Test
    void judgedInputsCarryTheArgsAndTheServerAndBackupsOnlyWhenSet() {
        JudgedInputs defaults = JudgedInputs.of(valid().build());
        assertEquals(3, defaults.masters);
        assertEquals(1, defaults.replicasPerMaster);
        assertEquals(List.of(), defaults.zones);
        assertEquals(RedisClusterArgs.DEFAULT_INSTANCE_TYPE, defaults.instanceType);
        assertEquals(5000, defaults.nodeTimeoutMs);
        assertEquals(70, defaults.maxmemoryPercent);
        assertEquals(false, defaults.tls);
        assertNull(defaults.engine);
        assertNull(defaults.engineVersion);
        assertNull(defaults.backups);
        JudgedInputs set = JudgedInputs.of(valid().masters(5).replicasPerMaster(2).zones("a", "b", "c").instanceType("r7g.large")
                .nodeTimeoutMs(3000).maxmemoryPercent(60).tls(true).engine("valkey")
                .backups(BackupArgs.builder().schedule("rate(1 day)").retentionDays(7).build()).build());
        assertEquals(List.of(5, 2, List.of("a", "b", "c"), "r7g.large", 3000, 60, true, "valkey", RedisClusterArgs.DEFAULT_ENGINE_VERSION,
                Map.of("schedule", "rate(1 day)", "retentionDays", 7)), List.of(set.masters, set.replicasPerMaster, set.zones,
                set.instanceType, set.nodeTimeoutMs, set.maxmemoryPercent, set.tls, set.engine, set.engineVersion, set.backups));
    }

    @Test
    void everyOutputAccessorIsADeclaredOutput() {
        Set<String> accessors = Arrays.stream(RedisCluster.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getParameterCount() == 0 && m.getReturnType() == Output.class)
                .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(accessors, names(ClusterSchema.OUTPUTS.stream().map(ClusterSchema.OutputSpec::name)));
        ClusterSchema.OUTPUTS.forEach(o -> assertFalse(o.description().isBlank(), o.name()));
        assertEquals("placementParameter", ClusterSchema.OUTPUTS.stream().filter(o -> o.name().equals("placementParameterName"))
                .findFirst().orElseThrow().stackExport());
    }

    private static Set<String> names(java.util.stream.Stream<String> names) {
        return names.collect(Collectors.toCollection(TreeSet::new));
    }
}
