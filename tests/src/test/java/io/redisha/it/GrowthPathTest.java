package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.Placement;
import io.redisha.topology.Planner;
import io.redisha.topology.SlotRange;
import io.redisha.topology.ZoneLoss;
import io.redisha.topology.ZonedNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Growing a real 3x1 cluster the way a new user tries it: one more shard over 3 zones is refused with
 * the nearest safe targets; one more shard in a new fourth zone works without moving a node, and
 * the plan printed first shows the slots that really move.
 */
class GrowthPathTest {

    @Test
    void aFourthZoneTakesTheNewShardAndThePrintedSlotsAreTheRealOnes() {
        try (RedisNodes nodes = RedisNodes.nodes(8).start()) {
            List<ZonedNode> six = nodes.zoned(List.of("az-a", "az-b", "az-c")).subList(0, 6);
            Placement three = Planner.assign(six, 1, ZoneLoss.MUST_SURVIVE, Optional.empty());
            new ClusterEngine().converge(three, Credentials.none(), ClusterListener.SILENT);

            // Item 6: 4 masters over the same 3 zones is refused, and the refusal says what would work.
            List<String> overThree = args(six, new ZonedNode(nodes.address(6), "az-a"), new ZonedNode(nodes.address(7), "az-b"));
            CliTest.Run refused = CliTest.run(overThree.toArray(String[]::new));
            assertEquals(2, refused.exit(), refused.out() + refused.err());
            assertTrue(refused.err().contains("Use 3 or 5 masters over these zones, or more zones."), refused.err());
            Live.assertAllFresh(nodes, List.of(nodes.address(6), nodes.address(7)));

            // Item 7: the new shard's master in a new zone az-d, its replica in az-a; no existing node moves.
            List<String> overFour = args(six, new ZonedNode(nodes.address(6), "az-d"), new ZonedNode(nodes.address(7), "az-a"));
            CliTest.Run grown = CliTest.run(overFour.toArray(String[]::new));
            assertEquals(0, grown.exit(), grown.out() + grown.err());
            for (ZonedNode z : six) {
                String planned = three.nodeAt(z.address()).isMaster() ? "master" : "slave";
                assertTrue(Live.view(nodes, z.address()).myself().flags().contains(planned), z + " changed role");
            }
            MemberView view = Live.view(nodes, nodes.address(6));
            assertTrue(view.myself().isMaster(), "the new node in az-d leads the new shard");
            List<SlotRange> owned = view.myself().slots();
            assertEquals(4096, SlotRange.total(owned));

            // Item 3: what create printed for the new master is what it now owns (the fewest moves, not 12288-16383).
            String ranges = owned.stream().map(SlotRange::toString).collect(Collectors.joining(" "));
            assertTrue(grown.out().contains(ranges), "printed plan lacks the real ranges " + ranges + ":\n" + grown.out());
            assertFalse(grown.out().contains("12288-16383 (4096)"), grown.out());

            CliTest.Run check = CliTest.run("check", nodes.address(0).toString(), "--zones", String.join(",", overFour.subList(1, 9)));
            assertEquals(0, check.exit(), check.out());
            assertTrue(check.out().contains("survives the loss of any one zone (masters per zone: az-a=1 az-b=1 az-c=1 az-d=1)"), check.out());

            CliTest.Run again = CliTest.run(overFour.toArray(String[]::new));
            assertEquals(0, again.exit(), again.out() + again.err());
            assertTrue(again.out().contains("No slot moves") || again.out().contains("nothing changed"), again.out());
        }
    }

    private static List<String> args(List<ZonedNode> six, ZonedNode... more) {
        List<String> args = new ArrayList<>(List.of("create"));
        six.forEach(z -> args.add(z.toString()));
        for (ZonedNode z : more) {
            args.add(z.toString());
        }
        args.addAll(List.of("--replicas", "1"));
        return args;
    }
}
