package io.redisha.image;

import io.redisha.topology.NodeTunings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** install-tunings.sh applied to a scratch root (never the real /). */
class InstallScriptTest {

    @TempDir
    Path staging;

    private Scripts.Result install(Path root) throws Exception {
        Scripts.stage(staging);
        return Scripts.run(Map.of(), "bash", staging.resolve("install-tunings.sh").toString(), root.toString());
    }

    private static Set<String> filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !Files.isDirectory(p))
                    .map(p -> "/" + root.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void scratchRootGetsExactlyTheBakedFiles(@TempDir Path root) throws Exception {
        var result = install(root);
        assertEquals(0, result.exitCode(), result.output());

        var expected = NodeImageFiles.INSTALLED.stream().map(NodeImageFiles.BakedFile::installedPath)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, filesUnder(root), "installed file set");
        assertTrue(result.output().contains("units not enabled"), result.output());
        for (var file : NodeImageFiles.INSTALLED) {
            Path installed = root.resolve(file.installedPath().substring(1));
            assertEquals(file.content(), Files.readString(installed), file.installedPath() + " content");
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(installed));
            assertEquals(file.mode().equals("0755") ? "rwxr-xr-x" : "rw-r--r--", mode, file.installedPath() + " mode");
        }
    }

    @Test
    void sysctlFileCarriesTheGuaranteedKernelValues(@TempDir Path root) throws Exception {
        assertEquals(0, install(root).exitCode());
        Map<String, String> sysctl = new TreeMap<>();
        for (String line : Files.readAllLines(root.resolve("etc/sysctl.d/99-redis-ha.conf"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] kv = line.split("=", 2);
                sysctl.put(kv[0].trim(), kv[1].trim());
            }
        }
        assertEquals(Map.of(
                "vm.overcommit_memory", NodeTunings.value("overcommit_memory"),
                "net.core.somaxconn", NodeTunings.value("somaxconn"),
                "net.ipv4.tcp_max_syn_backlog", NodeTunings.value("tcp_max_syn_backlog")), sysctl);
    }

    @Test
    void unitsAndRedisSnippetCarryTheirKeys(@TempDir Path root) throws Exception {
        assertEquals(0, install(root).exitCode());
        String thp = Files.readString(root.resolve("etc/systemd/system/redis-ha-thp.service"));
        assertTrue(thp.contains("Type=oneshot"), thp);
        assertTrue(thp.lines().anyMatch(l -> l.startsWith("Before=") && l.contains("redis-server.service")), thp);
        assertTrue(thp.contains("echo never > /sys/kernel/mm/transparent_hugepage/enabled"), thp);
        assertTrue(thp.contains("echo never > /sys/kernel/mm/transparent_hugepage/defrag"), thp);
        assertTrue(thp.contains("WantedBy="), thp);

        String limits = Files.readString(root.resolve("etc/systemd/system/redis-server.service.d/redis-ha-limits.conf"));
        assertTrue(limits.contains("[Service]"), limits);
        assertTrue(limits.lines().anyMatch(l -> l.equals("LimitNOFILE=" + NodeTunings.value("nofile"))), limits);

        String redis = Files.readString(root.resolve("etc/redis/redis-ha-tunings.conf"));
        assertTrue(redis.lines().anyMatch(l -> l.equals("tcp-backlog " + NodeTunings.value("tcp_backlog"))), redis);
        assertEquals(NodeTunings.value("somaxconn"), NodeTunings.value("tcp_backlog"),
                "tcp-backlog must equal somaxconn or the kernel caps it");
    }

    @Test
    void existingRedisConfGetsTheIncludeOnceAcrossReruns(@TempDir Path root) throws Exception {
        Path conf = root.resolve("etc/redis/redis.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "port 6379\n");
        assertEquals(0, install(root).exitCode());
        assertEquals(0, install(root).exitCode());
        long includes = Files.readAllLines(conf).stream().filter(NodeTunings.REDIS_CONF_INCLUDE::equals).count();
        assertEquals(1, includes, Files.readString(conf));
        assertTrue(Files.readString(conf).startsWith("port 6379\n"), "original content kept");
    }

    @Test
    void missingRootIsRefusedWithAClearMessage() throws Exception {
        Path missing = staging.resolve("no-such-root");
        var result = install(missing);
        assertNotEquals(0, result.exitCode());
        assertTrue(result.output().contains("'" + missing + "' does not exist"), result.output());
        assertFalse(Files.exists(missing));
    }
}
