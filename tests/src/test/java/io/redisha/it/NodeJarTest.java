package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * redis-ha-node.jar, what the component ships to EC2 nodes, carries no local dev-cluster code and
 * still runs every other verb; its {@code local} refuses in one line. redis-ha.jar keeps {@code local}.
 */
class NodeJarTest {
    private static final Path HERE = Path.of("").toAbsolutePath();

    @Test
    void nodeJarHoldsNoLocalClassNorAnyClassThatNamesOne() throws IOException {
        List<String> offending = new ArrayList<>();
        try (JarFile jar = new JarFile(Jar.NODE.toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry e = entries.nextElement();
                if (e.getName().startsWith("io/redisha/local/")) {
                    offending.add(e.getName());
                } else if (e.getName().startsWith("io/redisha/") && e.getName().endsWith(".class")) {
                    // A class that links against the local module would fail at run time on a node.
                    String constants = new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.ISO_8859_1);
                    if (constants.contains("io/redisha/local/")) {
                        offending.add(e.getName() + " (refers to io/redisha/local/)");
                    }
                }
            }
        }
        assertEquals(List.of(), offending, Jar.NODE + " must not carry the local module");
        try (JarFile full = new JarFile(Jar.PATH.toFile())) {
            assertTrue(full.getEntry("io/redisha/local/LocalCluster.class") != null, Jar.PATH + " carries the local module");
        }
    }

    @Test
    void nodeJarRunsTheOtherVerbsAndRefusesLocalInOneLine() {
        Jar.Result help = Jar.runJar(Jar.NODE, HERE, Map.of(), "--help");
        assertEquals(0, help.exit(), help.both());
        assertTrue(help.out().contains("converge") && help.out().contains("backup") && help.out().contains("watchdog"), help.both());
        assertFalse(help.out().contains("  local "), help.both());

        Jar.Result plan = Jar.runJar(Jar.NODE, HERE, Map.of(), "plan", "--zones", "a,b,c", "--masters", "3", "--replicas", "1", "--json");
        assertEquals(0, plan.exit(), plan.both());
        assertTrue(plan.out().contains("\"masters\""), plan.both());

        for (List<String> verb : List.of(List.of("local", "up"), List.of("backup", "verify", "/tmp/none"))) {
            Jar.Result refused = Jar.runJar(Jar.NODE, HERE, Map.of(), verb.toArray(String[]::new));
            assertEquals(2, refused.exit(), refused.both());
            assertEquals(1, refused.err().strip().lines().count(), refused.both());
            assertTrue(refused.err().contains("redis-ha-node.jar") && refused.err().contains("run it with redis-ha.jar"), refused.both());
        }
    }

    @Test
    void fullJarKeepsLocal() {
        Jar.Result help = Jar.runJar(Jar.PATH, HERE, Map.of(), "local", "--help");
        assertEquals(0, help.exit(), help.both());
        assertTrue(help.out().contains("up") && help.out().contains("down"), help.both());
        Jar.Result verify = Jar.runJar(Jar.PATH, HERE, Map.of(), "backup", "verify", "--help");
        assertEquals(0, verify.exit(), verify.both());
    }
}
