package io.redisha.cluster.model;

import io.redisha.cluster.model.LiveCluster.NodeLine;
import io.redisha.topology.SlotRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one parser of CLUSTER NODES: {@code <id> <ip:port@bus[,hostname[,aux]]> <flags> <master|->
 * <ping-sent> <pong-recv> <config-epoch> <link-state> <slot>...}, with {@code [slot->-id]} and
 * {@code [slot-<-id]} markers for open slots.
 */
final class ClusterNodesText {

    private ClusterNodesText() {
    }

    static List<NodeLine> parse(String text) {
        List<NodeLine> nodes = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (!line.isEmpty()) {
                nodes.add(parseLine(line));
            }
        }
        return nodes;
    }

    static NodeLine parseLine(String line) {
        String[] f = line.split(" +");
        if (f.length < 8) {
            throw new IllegalArgumentException("not a CLUSTER NODES line (expected at least 8 fields): " + line);
        }
        // Redis 7 appends ",hostname" and later versions ",hostname,aux=..." to the address field.
        String endpoint = f[1].split(",", 2)[0];
        int at = endpoint.lastIndexOf('@');
        String hostPort = at < 0 ? endpoint : endpoint.substring(0, at);
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address '" + f[1] + "' is not ip:port@bus in line: " + line);
        }
        int port = parseInt(hostPort.substring(colon + 1), line);
        int bus = at < 0 ? port + 10000 : parseInt(endpoint.substring(at + 1), line);
        Set<String> flags = new LinkedHashSet<>(Arrays.asList(f[2].split(",")));
        Optional<String> master = "-".equals(f[3]) ? Optional.empty() : Optional.of(f[3]);
        List<SlotRange> slots = new ArrayList<>();
        List<OpenSlot> open = new ArrayList<>();
        for (int i = 8; i < f.length; i++) {
            String token = f[i];
            if (token.startsWith("[")) {
                open.add(parseOpenSlot(token, line));
            } else {
                slots.add(SlotRange.parse(token));
            }
        }
        slots.sort(null);
        return new NodeLine(f[0], hostPort.substring(0, colon), port, bus, flags, master,
                parseLong(f[6], line), f[7], slots, open);
    }

    private static OpenSlot parseOpenSlot(String token, String line) {
        String body = token.substring(1, token.length() - (token.endsWith("]") ? 1 : 0));
        int migrating = body.indexOf("->-");
        int importing = body.indexOf("-<-");
        if (migrating > 0) {
            return new OpenSlot(parseInt(body.substring(0, migrating), line), OpenSlot.Direction.MIGRATING, body.substring(migrating + 3));
        }
        if (importing > 0) {
            return new OpenSlot(parseInt(body.substring(0, importing), line), OpenSlot.Direction.IMPORTING, body.substring(importing + 3));
        }
        throw new IllegalArgumentException("open-slot marker '" + token + "' is not [slot->-id] or [slot-<-id] in line: " + line);
    }

    private static int parseInt(String text, String line) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number in CLUSTER NODES line: " + line, e);
        }
    }

    private static long parseLong(String text, String line) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number in CLUSTER NODES line: " + line, e);
        }
    }
}
