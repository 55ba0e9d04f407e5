package io.redisha.topology;

/** A node and the availability zone it runs in, written {@code HOST:PORT@ZONE}. */
public record ZonedNode(NodeAddress address, String zone) implements Comparable<ZonedNode> {
    public ZonedNode {
        Zones.requireValidName("zone of " + address, zone);
    }

    public static ZonedNode parse(String text) {
        int at = text == null ? -1 : text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            throw new InvalidPlanException("node", text, "HOST:PORT@ZONE, for example 10.0.1.15:6379@us-east-1a");
        }
        return new ZonedNode(NodeAddress.parse(text.substring(0, at)), text.substring(at + 1));
    }

    @Override
    public int compareTo(ZonedNode other) {
        int byZone = zone.compareTo(other.zone);
        return byZone != 0 ? byZone : address.compareTo(other.address);
    }

    @Override
    public String toString() {
        return address + "@" + zone;
    }
}
