package io.redisha.cluster.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.model.LiveCluster.NodeLine;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.SlotRange;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemberViewTest {
    // Redis 7.0 output of a formed 3x1 cluster (hostname field empty), with one node mid-migration.
    private static final String FORMED = """
            e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@40001, myself,master - 0 1426238316232 1 connected 0-5460 [93->-292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f]
            292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 127.0.0.1:30002@40002, master - 0 1426238318243 2 connected 5461-10922 [93-<-e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca]
            f4ed3a8a8a1bcbd4c4c2cd39c8e9f5c3a1c50b20 127.0.0.1:30003@40003,node-3.internal master,fail? - 1426238316232 0 3 disconnected 10923-12000 12002 12001-16383
            07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@40004, slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238317239 1 connected
            6ec23923021cf3ffec47632106199cb7f496ce01 ::1:30005@40005 slave 292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 0 1426238316232 2 connected
            824fe116063bc5fcf9f4ffd895bc17aee7731ac3 127.0.0.1:30006@40006 handshake - 1426238316232 0 0 connected
            """;

    @Test
    void parsesIdsAddressesFlagsMastersAndLinks() {
        MemberView nodes = MemberView.parse(FORMED);
        assertEquals(6, nodes.nodes().size());
        NodeLine me = nodes.myself();
        assertEquals("e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca", me.id());
        assertEquals(Optional.of(new NodeAddress("127.0.0.1", 30001)), me.address());
        assertEquals(40001, me.busPort());
        assertTrue(me.isMaster() && me.isMyself() && !me.isReplica());
        assertEquals(1, me.configEpoch());

        NodeLine replica = nodes.byId("07c37dfeb235213a872192d90877d0cd55635b91").orElseThrow();
        assertTrue(replica.isReplica());
        assertEquals(Optional.of(me.id()), replica.masterId());
        assertEquals(List.of(replica), nodes.replicasOf(me.id()));

        NodeLine down = nodes.byId("f4ed3a8a8a1bcbd4c4c2cd39c8e9f5c3a1c50b20").orElseThrow();
        assertTrue(down.isFailing());
        assertFalse(down.isConnected());
        assertEquals("127.0.0.1:30003@40003", down.endpoint());
    }

    @Test
    void parsesIpv6AndHandshakes() {
        MemberView nodes = MemberView.parse(FORMED);
        NodeLine v6 = nodes.byId("6ec23923021cf3ffec47632106199cb7f496ce01").orElseThrow();
        assertEquals("::1", v6.host());
        assertEquals(Optional.of(NodeAddress.parse("[::1]:30005")), v6.address());
        NodeLine handshake = nodes.byId("824fe116063bc5fcf9f4ffd895bc17aee7731ac3").orElseThrow();
        assertTrue(handshake.isHandshake());
        assertFalse(nodes.memberIds().contains(handshake.id()), "a handshake id is a placeholder, not a member");
        assertEquals(5, nodes.memberIds().size());
    }

    @Test
    void parsesSlotsSingleSlotsAndOpenSlotMarkers() {
        MemberView nodes = MemberView.parse(FORMED);
        NodeLine me = nodes.myself();
        assertEquals(List.of(new SlotRange(0, 5460)), me.slots());
        assertEquals(List.of(new OpenSlot(93, OpenSlot.Direction.MIGRATING, "292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f")), me.openSlots());
        NodeLine importing = nodes.byId("292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f").orElseThrow();
        assertEquals(OpenSlot.Direction.IMPORTING, importing.openSlots().get(0).direction());
        assertEquals(me.id(), importing.openSlots().get(0).peerId());

        NodeLine third = nodes.byId("f4ed3a8a8a1bcbd4c4c2cd39c8e9f5c3a1c50b20").orElseThrow();
        assertEquals(List.of(new SlotRange(10923, 12000), new SlotRange(12001, 16383), new SlotRange(12002, 12002)), third.slots());
        assertEquals(16384 + 1, nodes.myself().slotCount() + importing.slotCount() + third.slotCount());
        assertEquals(16384, nodes.assignedSlots());
        assertEquals(3, nodes.slotOwners().size());
        assertEquals(third.id(), nodes.slotOwners().get(new SlotRange(10923, 16383)));
    }

    @Test
    void aFreshNodeKnowsOnlyItselfEvenWithoutItsOwnIp() {
        MemberView fresh = MemberView.parse("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678 :7000@17000 myself,master - 0 0 0 connected\n");
        assertTrue(fresh.knowsOnlyItself());
        assertEquals(Optional.empty(), fresh.myself().address());
        assertEquals(7000, fresh.myself().port());
        assertEquals(0, fresh.assignedSlots());
    }

    @Test
    void rejectsGarbageWithALineToShow() {
        IllegalArgumentException short_ = assertThrows(IllegalArgumentException.class, () -> MemberView.parse("abc 127.0.0.1:7000@17000 master"));
        assertTrue(short_.getMessage().contains("abc 127.0.0.1:7000@17000 master"));
        assertThrows(IllegalArgumentException.class,
                () -> MemberView.parse("abc 127.0.0.1:7000@17000 master - 0 0 x connected"));
        assertThrows(IllegalArgumentException.class,
                () -> MemberView.parse("abc 127.0.0.1:7000@17000 master - 0 0 1 connected"), "no myself line");
        assertThrows(IllegalArgumentException.class,
                () -> MemberView.parse("abc 127.0.0.1:7000@17000 myself,master - 0 0 1 connected [5-?-x]"));
    }
}
