package io.redisha.local;

import io.redisha.cluster.transport.TlsSettings;
import io.redisha.server.RedisConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A private CA and one node certificate (SAN 127.0.0.1, localhost) made with the openssl CLI, as
 * an operator would for EC2: one certificate shared by the cluster's nodes, used by each node as
 * server and as client on the TLS cluster bus and replication links. Keys are PKCS#8 P-256.
 */
public final class LocalTls {
    public static final String CA_CERT = "ca.crt";
    public static final String NODE_CERT = "node.crt";
    public static final String NODE_KEY = "node.key";

    private LocalTls() {
    }

    /** Creates the files in {@code dir} unless they exist already; returns them. */
    public static RedisConf.TlsFiles ensure(Path dir) {
        Path dirAbs = dir.toAbsolutePath();
        RedisConf.TlsFiles files = files(dirAbs);
        if (Files.exists(files.cert()) && Files.exists(files.key()) && Files.exists(files.caCert())) {
            return files;
        }
        try {
            Files.createDirectories(dirAbs);
            Files.writeString(dirAbs.resolve("node.ext"), "basicConstraints=CA:FALSE\n"
                    + "keyUsage=digitalSignature,keyEncipherment\n"
                    + "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dirAbs, e);
        }
        openssl(dirAbs, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ca.key");
        openssl(dirAbs, "req", "-x509", "-new", "-key", "ca.key", "-sha256", "-days", "3650", "-subj", "/CN=redis-ha local CA", "-out", CA_CERT);
        openssl(dirAbs, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", NODE_KEY);
        openssl(dirAbs, "req", "-new", "-key", NODE_KEY, "-subj", "/CN=redis-ha node", "-out", "node.csr");
        openssl(dirAbs, "x509", "-req", "-in", "node.csr", "-CA", CA_CERT, "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "825", "-sha256", "-extfile", "node.ext", "-out", NODE_CERT);
        return files;
    }

    public static RedisConf.TlsFiles files(Path dir) {
        Path d = dir.toAbsolutePath();
        return new RedisConf.TlsFiles(d.resolve(NODE_CERT), d.resolve(NODE_KEY), d.resolve(CA_CERT));
    }

    /** What a client needs to talk to these nodes: trust the CA; client certificates are optional. */
    public static TlsSettings clientSettings(Path dir) {
        return TlsSettings.trusting(files(dir).caCert());
    }

    private static void openssl(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed in " + dir + ": " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl (is it installed and on PATH?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }
}
