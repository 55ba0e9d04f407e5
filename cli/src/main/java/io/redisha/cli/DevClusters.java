package io.redisha.cli;

import io.redisha.topology.Placement;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Where the CLI meets the local dev-cluster module (io.redisha.local). redis-ha.jar carries it;
 * redis-ha-node.jar, the jar EC2 nodes run, is built without it, and there {@code local} and
 * {@code backup verify} answer with one line naming the jar that has them.
 */
final class DevClusters {
    static final String MODULE_CLASS = "io.redisha.local.LocalCluster";

    private DevClusters() {
    }

    /** True when the local module is on the class path (redis-ha.jar, the build, the tests). */
    static boolean present() {
        try {
            Class.forName(MODULE_CLASS, false, DevClusters.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static void register(CommandLine root) {
        if (present()) {
            LocalVerbs.register(root);
        } else {
            root.addSubcommand("local", new CommandLine(new Missing("local")));
            root.getSubcommands().get("backup").addSubcommand("verify", new CommandLine(new Missing("backup verify")));
        }
    }

    /** After {@code create}: a 'local up' cluster among the nodes follows the new layout; nothing without the module. */
    static void follow(Placement placement, PrintWriter err) {
        if (present()) {
            LocalVerbs.follow(placement, err);
        }
    }

    static String missing(String verb) {
        return "'" + verb + "' needs local dev clusters, which redis-ha-node.jar (the jar EC2 nodes run) leaves out; run it with redis-ha.jar";
    }

    /** The stand-in for a verb of the local module in redis-ha-node.jar: refuses in one line, whatever the arguments. */
    @Command(name = "local", hidden = true, description = "Not in redis-ha-node.jar: local dev clusters are in redis-ha.jar.")
    static final class Missing implements Callable<Integer> {
        private final String verb;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Unmatched
        List<String> rest = new ArrayList<>();

        Missing(String verb) {
            this.verb = verb;
        }

        @Override
        public Integer call() {
            spec.commandLine().getErr().println("redis-ha: " + missing(verb));
            spec.commandLine().getErr().flush();
            return RedisHaCli.INVALID;
        }
    }
}
