package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.monitor.ClusterMetrics;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code redis-ha metrics} on a real AUTH-protected 3x1 cluster: the values, the zone metrics and the exit codes. */
class MetricsTest {
    private static final String PASSWORD = "metrics-pass";
    private static final Credentials CREDENTIALS = Credentials.password(PASSWORD);
    private static RedisNodes nodes;
    private static Placement placement;

    @BeforeAll
    static void form() {
        nodes = RedisNodes.nodes(6).withPassword(PASSWORD).start();
        placement = Planner.assign(nodes.zoned(List.of("az-a", "az-b", "az-c")), 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
        new ClusterEngine(Duration.ofSeconds(30)).converge(placement, CREDENTIALS, ClusterListener.SILENT);
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static NodeAddress seed() {
        return placement.addressOf("node-0-0");
    }

    /** Zones that put the masters of shards 0 and 1 in one zone: losing it leaves 1 of 3 masters. */
    private static Map<NodeAddress, String> badZones() {
        Map<NodeAddress, String> zones = new LinkedHashMap<>();
        for (PlannedNode n : placement.plan().nodes()) {
            String zone = n.isMaster() ? (n.shard() < 2 ? "az-a" : "az-b") : "az-c";
            zones.put(placement.addressOf(n.name()), zone);
        }
        return zones;
    }

    private static String zonesFlag(Map<NodeAddress, String> zones) {
        return zones.entrySet().stream().map(e -> e.getKey() + "@" + e.getValue()).collect(Collectors.joining(","));
    }

    @Test
    void aHealthyIdleClusterMeasuresRight() {
        ClusterMetrics m = ClusterMetrics.collect(seed(), placement.zoneByAddress(), CREDENTIALS);
        assertEquals(6, m.nodes());
        assertEquals(6, m.reachable());
        assertEquals(1, m.clusterStateOk());
        assertEquals(1, m.slotsOk());
        assertEquals(3, m.masters());
        assertEquals(3, m.replicas());
        assertEquals(0, m.replicasWithLinkDown());
        assertEquals(0, m.maxReplicationLagBytes(), "an idle cluster has no replication lag");
        assertTrue(m.maxMasterLinkSilenceSeconds() >= 0 && m.maxMasterLinkSilenceSeconds() <= 15, m.toTable());
        assertTrue(m.currentEpoch() >= 1, m.toTable());
        assertEquals(Optional.of(1), m.maxMastersInOneZone());
        assertEquals(Optional.of(1), m.survivesZoneLoss());
        assertTrue(m.ok());
        assertEquals(List.of("ClusterStateOk", "SlotsOk", "Masters", "Replicas", "ReplicasWithLinkDown", "MaxReplicationLagBytes",
                "MaxMasterLinkSilenceSeconds", "CurrentEpoch", "MaxMastersInOneZone", "SurvivesZoneLoss"), List.copyOf(m.values().keySet()));
    }

    @Test
    void withoutZonesTheZoneMetricsAreLeftOut() {
        ClusterMetrics m = ClusterMetrics.collect(seed(), Map.of(), CREDENTIALS);
        assertEquals(Optional.empty(), m.survivesZoneLoss());
        assertEquals(8, m.values().size());
        assertTrue(m.ok());
    }

    @Test
    void twoMastersInOneZoneDoNotSurviveItsLoss() {
        ClusterMetrics m = ClusterMetrics.collect(seed(), badZones(), CREDENTIALS);
        assertEquals(Optional.of(2), m.maxMastersInOneZone());
        assertEquals(Optional.of(0), m.survivesZoneLoss());
        assertEquals(1, m.clusterStateOk());
        assertTrue(!m.ok());
    }

    @Test
    void theCliPrintsJsonAndExitsOneWhenAZoneLossIsNotSurvivable() throws Exception {
        Map<String, String> env = Map.of("METRICS_PW", PASSWORD);
        Jar.Result good = Jar.run(env, "metrics", seed().toString(), "--zones", zonesFlag(placement.zoneByAddress()),
                "--password-env", "METRICS_PW", "--json");
        assertEquals(0, good.exit(), good.both());
        JsonNode json = new ObjectMapper().readTree(good.out());
        assertEquals(1, json.get("metrics").get("ClusterStateOk").asInt());
        assertEquals(3, json.get("metrics").get("Masters").asInt());
        assertEquals(3, json.get("metrics").get("Replicas").asInt());
        assertEquals(1, json.get("metrics").get("SurvivesZoneLoss").asInt());

        Jar.Result bad = Jar.run(env, "metrics", seed().toString(), "--zones", zonesFlag(badZones()), "--password-env", "METRICS_PW");
        assertEquals(1, bad.exit(), bad.both());
        assertTrue(bad.out().contains("SurvivesZoneLoss") && bad.out().contains("Cluster NOT OK"), bad.both());

        Jar.Result noAuth = Jar.run(Map.of(), "metrics", seed().toString());
        assertEquals(1, noAuth.exit(), noAuth.both());
    }
}
