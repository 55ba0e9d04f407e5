package io.redisha.provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The bootstrap jar ({@code redis-ha-node.jar}: the CLI the nodes run, without local dev clusters) the provider carries as a
 * resource. The component uploads a file, so it is written once beside the provider jar under a
 * name with its digest: the same path on every run (no spurious asset diff), a new one per version.
 */
final class BootstrapJar {
    static final String RESOURCE = "redis-ha-node.jar";
    private static Path path;

    private BootstrapJar() {
    }

    static synchronized Path path() {
        if (path == null) {
            path = extract();
        }
        return path;
    }

    private static Path extract() {
        String digest = digest();
        Path target = directory().resolve("redis-ha-node-" + digest.substring(0, 16) + ".jar");
        if (Files.isRegularFile(target)) {
            return target;
        }
        try (InputStream in = open()) {
            Path partial = Files.createTempFile(target.getParent(), "redis-ha-node", ".part");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bootstrap jar to " + target, e);
        }
    }

    /** Beside the provider jar when that is writable (the plugin directory), else the temp directory. */
    private static Path directory() {
        try {
            Path jar = Path.of(BootstrapJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.isDirectory(jar) ? jar : jar.getParent();
            if (dir != null && Files.isWritable(dir)) {
                return dir;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the temp directory
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static InputStream open() {
        InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("the provider jar carries no " + RESOURCE + ": build it with mvn package (bootstrap first)");
        }
        return in;
    }

    private static String digest() {
        try (InputStream in = new DigestInputStream(open(), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
