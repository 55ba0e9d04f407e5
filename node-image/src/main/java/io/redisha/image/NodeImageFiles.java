package io.redisha.image;

import io.redisha.topology.NodeTunings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The files baked into the node image. They live as real files under
 * {@code src/main/resources/node-image/files/}; this list says where each one ends up, so the
 * AWSTOE rendering and the tests agree with {@code install-tunings.sh}.
 */
public final class NodeImageFiles {

    /** Where the build phase stages the files before the install script copies them into place. */
    public static final String STAGING_DIR = "/opt/redis-ha/node-image";
    static final String RESOURCE_DIR = "/node-image/files/";

    /** A baked file: its name in the module, where install puts it, and with which mode. */
    public record BakedFile(String name, String installedPath, String mode) {
        /** The file's content, read from the classpath. */
        public String content() {
            return NodeImageFiles.resource(RESOURCE_DIR + name);
        }
    }

    /** Files installed on the node. */
    public static final List<BakedFile> INSTALLED = List.of(
            new BakedFile("99-redis-ha.conf", "/etc/sysctl.d/99-redis-ha.conf", "0644"),
            new BakedFile("redis-ha-thp.service", "/etc/systemd/system/redis-ha-thp.service", "0644"),
            // Installed disabled: the user data configures and enables it (it needs the cluster's parameters).
            new BakedFile("redis-ha-watchdog.service", "/etc/systemd/system/redis-ha-watchdog.service", "0644"),
            new BakedFile("redis-ha-limits.conf",
                    "/etc/systemd/system/redis-server.service.d/redis-ha-limits.conf", "0644"),
            new BakedFile("redis-ha-tunings.conf", NodeTunings.REDIS_CONF_SNIPPET, "0644"),
            new BakedFile("check-tunings.sh", NodeTunings.CHECK_COMMAND, "0755"));

    /** The installer itself: staged on the build instance, not installed. */
    public static final String INSTALL_SCRIPT = "install-tunings.sh";

    private NodeImageFiles() {
    }

    /** Every file staged on the build instance: the installed ones plus the installer. */
    public static List<String> stagedNames() {
        var names = new java.util.ArrayList<>(INSTALLED.stream().map(BakedFile::name).toList());
        names.add(INSTALL_SCRIPT);
        return List.copyOf(names);
    }

    /** Content of a staged file by name. */
    public static String content(String name) {
        return resource(RESOURCE_DIR + name);
    }

    static String resource(String path) {
        try (InputStream in = NodeImageFiles.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + path
                        + " is missing from redis-ha-node-image; the jar was built without its baked files");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading classpath resource " + path, e);
        }
    }
}
