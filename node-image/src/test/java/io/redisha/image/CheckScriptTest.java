package io.redisha.image;

import io.redisha.topology.NodeTunings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** check-tunings.sh against fake /sys, /proc and unit trees. */
class CheckScriptTest {

    @TempDir
    Path staging;
    @TempDir
    Path root;

    /** A fake node tree, tuned as the image promises, with setters to detune one value. */
    private final class FakeNode {
        FakeNode write(String path, String content) throws IOException {
            Path p = root.resolve(path.substring(1));
            Files.createDirectories(p.getParent());
            Files.writeString(p, content + "\n");
            return this;
        }

        FakeNode tuned() throws IOException {
            write("/sys/kernel/mm/transparent_hugepage/enabled", "always madvise [never]");
            write("/sys/kernel/mm/transparent_hugepage/defrag", "always defer defer+madvise madvise [never]");
            write("/proc/sys/vm/overcommit_memory", NodeTunings.value("overcommit_memory"));
            write("/proc/sys/net/core/somaxconn", NodeTunings.value("somaxconn"));
            write("/proc/sys/net/ipv4/tcp_max_syn_backlog", NodeTunings.value("tcp_max_syn_backlog"));
            // Debian/Ubuntu's own unit sets a limit too; the drop-in must be what wins.
            write("/lib/systemd/system/redis-server.service", "[Service]\nLimitNOFILE=1024");
            for (var file : NodeImageFiles.INSTALLED) {
                write(file.installedPath(), file.content().stripTrailing());
            }
            Path wants = root.resolve("etc/systemd/system/basic.target.wants");
            Files.createDirectories(wants);
            Files.createSymbolicLink(wants.resolve("redis-ha-thp.service"),
                    Path.of("/etc/systemd/system/redis-ha-thp.service"));
            return this;
        }
    }

    private Path script;

    @BeforeEach
    void stage() throws IOException {
        script = Scripts.stage(staging).resolve("check-tunings.sh");
    }

    private Scripts.Result check() throws Exception {
        return Scripts.run(Map.of("ROOT", root.toString()), "bash", script.toString());
    }

    private static List<String> failLines(Scripts.Result r) {
        return r.lines().stream().filter(l -> l.startsWith("FAIL ")).toList();
    }

    @Test
    void tunedNodePassesEveryCheck() throws Exception {
        new FakeNode().tuned();
        var result = check();
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(List.of(), failLines(result), result.output());
        // One OK line per guaranteed tuning, keyed exactly as NodeTunings names them, plus the unit.
        Set<String> okKeys = result.lines().stream().filter(l -> l.startsWith("OK "))
                .map(l -> l.substring(4).trim().split(":")[0]).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = NodeTunings.ALL.stream().map(NodeTunings.Tuning::key)
                .collect(Collectors.toCollection(TreeSet::new));
        expected.add("thp_unit");
        assertEquals(expected, okKeys, result.output());
        assertTrue(result.output().contains("all 8 checks passed"), result.output());
    }

    @Test
    void rootCanAlsoBeGivenAsArgument() throws Exception {
        new FakeNode().tuned();
        var result = Scripts.run(Map.of(), "bash", script.toString(), "--root", root.toString());
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void everyWrongValueGetsItsOwnClearFailLine() throws Exception {
        new FakeNode().tuned()
                .write("/sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never")
                .write("/proc/sys/vm/overcommit_memory", "0")
                .write("/proc/sys/net/core/somaxconn", "4096")
                .write("/etc/systemd/system/redis-server.service.d/redis-ha-limits.conf", "[Service]\nLimitNOFILE=1024");
        var result = check();
        assertEquals(1, result.exitCode(), result.output());
        List<String> fails = failLines(result);
        assertTrue(fails.contains("FAIL thp: found always, expected never (/sys/kernel/mm/transparent_hugepage/enabled)"),
                result.output());
        assertTrue(fails.contains("FAIL overcommit_memory: found 0, expected 1 (/proc/sys/vm/overcommit_memory)"),
                result.output());
        assertTrue(fails.contains("FAIL somaxconn: found 4096, expected >= 65535 (/proc/sys/net/core/somaxconn)"),
                result.output());
        assertTrue(fails.contains("FAIL nofile: found 1024, expected >= 65535 (LimitNOFILE in"
                + " /etc/systemd/system/redis-server.service.d/redis-ha-limits.conf)"), result.output());
        // somaxconn 4096 also caps Redis' tcp-backlog below what it asks for.
        assertTrue(fails.stream().anyMatch(l -> l.startsWith("FAIL tcp_backlog: found 65535")), result.output());
        assertEquals(5, fails.size(), result.output());
        assertTrue(result.output().contains("5 of 8 checks FAILED"), result.output());
    }

    @Test
    void eachSingleDetuningFailsOnItsOwn() throws Exception {
        Map<String, String[]> detunings = Map.of(
                "thp_defrag", new String[] {"/sys/kernel/mm/transparent_hugepage/defrag", "[madvise] never"},
                "tcp_max_syn_backlog", new String[] {"/proc/sys/net/ipv4/tcp_max_syn_backlog", "512"},
                "tcp_backlog", new String[] {"/etc/redis/redis-ha-tunings.conf", "tcp-backlog 511"});
        for (var entry : detunings.entrySet()) {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(root)).forEach(p -> p.toFile().delete());
            }
            new FakeNode().tuned().write(entry.getValue()[0], entry.getValue()[1]);
            var result = check();
            assertEquals(1, result.exitCode(), entry.getKey() + "\n" + result.output());
            assertEquals(1, failLines(result).size(), result.output());
            assertTrue(failLines(result).get(0).startsWith("FAIL " + entry.getKey() + ": "), result.output());
        }
    }

    @Test
    void disabledThpUnitAndMissingFilesFail() throws Exception {
        // An empty tree: nothing readable, nothing enabled; every check must fail, none may pass.
        var result = check();
        assertEquals(1, result.exitCode(), result.output());
        assertEquals(8, failLines(result).size(), result.output());
        assertTrue(result.output().contains("FAIL thp: found <unreadable>, expected never"), result.output());
        assertTrue(result.output().contains("FAIL thp_unit: found disabled, expected enabled"), result.output());
    }

    @Test
    void badRootIsAUsageError() throws Exception {
        var result = Scripts.run(Map.of("ROOT", root.resolve("missing").toString()), "bash", script.toString());
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.output().contains("is not a directory"), result.output());
    }
}
