package io.redisha.cli;

import io.redisha.local.LocalCluster;
import io.redisha.topology.Placement;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The CLI's verbs over the local module ({@code local ...}, {@code backup verify}) and the one hook other
 * verbs have into it. Only {@link DevClusters} calls this class, and only when the local module is on the
 * class path: redis-ha-node.jar (what EC2 nodes run) is built without it and without every {@code Local*} class here.
 */
final class LocalVerbs {
    private LocalVerbs() {
    }

    static void register(CommandLine root) {
        root.addSubcommand(new LocalCommand());
        root.getSubcommands().get("backup").addSubcommand(new LocalBackupVerify());
    }

    /** A 'local up' cluster grown or shrunk by {@code create}: its state must name every member and zone, or status misjudges it. */
    static void follow(Placement placement, PrintWriter err) {
        for (Path dir : LocalCluster.follow(placement)) {
            err.println("redis-ha: the local cluster's state in " + dir + " now follows this layout");
        }
    }
}
