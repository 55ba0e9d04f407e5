package io.redisha.backup;

import io.redisha.cluster.transport.Connections;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * A snapshot of one node taken the way a replica's first sync (and {@code redis-cli --rdb}) takes
 * it: {@code REPLCONF capa eof}, {@code REPLCONF rdb-only 1}, {@code PSYNC ? -1}; the node forks,
 * and its RDB arrives either as a {@code $<length>} bulk (disk-based) or between {@code $EOF:<mark>}
 * and the mark (diskless). Bytes go straight to the sink with a SHA-256 taken on the way; nothing
 * touches local disk.
 */
final class ReplicationSnapshot {
    /** Long enough for the node's fork and the master's keep-alive newlines (one per second) to arrive. */
    private static final int SOCKET_TIMEOUT_MS = 60_000;
    private static final int MARK_LENGTH = 40;

    /** What was received: the replication position the snapshot stands for, its size, digest and header. */
    record Received(String replicationId, long offset, long bytes, String sha256, RdbHeader header) {
    }

    private ReplicationSnapshot() {
    }

    /**
     * Streams the snapshot of {@code node} into {@code sink}.
     *
     * @param progress told the byte count as it grows
     * @throws IllegalStateException naming the node when the node refuses or the stream breaks off
     */
    static Received take(NodeAddress node, Credentials credentials, ObjectStore.Sink sink, LongConsumer progress) {
        try (Socket socket = Connections.socket(node, credentials, SOCKET_TIMEOUT_MS)) {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            OutputStream out = socket.getOutputStream();
            if (credentials.password().isPresent()) {
                expectOk(node, in, out, "AUTH", credentials.password().get());
            }
            expectOk(node, in, out, "REPLCONF", "capa", "eof");
            // Redis 7.0+: the node sends only the RDB, no command stream after it. Older nodes say no; that is fine.
            send(out, "REPLCONF", "rdb-only", "1");
            line(in);
            send(out, "PSYNC", "?", "-1");
            // While the node waits to start its fork it sends keep-alive newlines, before the answer too.
            String answer = nonEmptyLine(in);
            if (!answer.startsWith("+FULLRESYNC ")) {
                throw new IllegalStateException(node + " refused to send a snapshot: " + answer.strip()
                        + (answer.contains("NOMASTERLINK") ? " (its link to its master is down; another replica or a retry will do)" : ""));
            }
            String[] parts = answer.strip().split(" ");
            String replicationId = parts[1];
            long offset = Long.parseLong(parts[2]);
            String bulk = bulkHeader(node, in);
            Digesting digesting = new Digesting(sink, progress);
            if (bulk.startsWith("$EOF:")) {
                copyUntilMark(node, in, bulk.substring(5).getBytes(StandardCharsets.US_ASCII), digesting);
            } else {
                copyExactly(node, in, Long.parseLong(bulk.substring(1)), digesting);
            }
            return new Received(replicationId, offset, digesting.bytes, digesting.hex(), digesting.header(node));
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot from " + node + " broke off: " + e.getMessage(), e);
        }
    }

    private static void expectOk(NodeAddress node, InputStream in, OutputStream out, String... command) throws IOException {
        send(out, command);
        String reply = line(in);
        if (!reply.startsWith("+")) {
            throw new IllegalStateException(node + " refused " + command[0] + ": " + reply.strip()
                    + (command[0].equals("AUTH") ? "; give the nodes' requirepass with --password-env or --password-ssm" : ""));
        }
    }

    private static void send(OutputStream out, String... args) throws IOException {
        StringBuilder resp = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            resp.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                return s.toString().replaceAll("\r$", "");
            }
            s.append((char) c);
        }
        throw new IOException("connection closed");
    }

    private static String nonEmptyLine(InputStream in) throws IOException {
        String l;
        do {
            l = line(in);
        } while (l.isEmpty());
        return l;
    }

    /** Skips the newlines a node sends while it forks and saves, up to the {@code $...} line. */
    private static String bulkHeader(NodeAddress node, InputStream in) throws IOException {
        String l = nonEmptyLine(in);
        if (!l.startsWith("$")) {
            throw new IllegalStateException(node + " sent " + l + " instead of its snapshot");
        }
        return l;
    }

    private static void copyExactly(NodeAddress node, InputStream in, long length, Digesting out) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IllegalStateException("snapshot from " + node + " ended after " + (length - left) + " of " + length + " bytes");
            }
            out.write(buffer, n);
            left -= n;
        }
    }

    /** The diskless form: the data ends with the 40-byte mark announced up front; the last 40 bytes are held back until it is clear they are not it. */
    private static void copyUntilMark(NodeAddress node, InputStream in, byte[] mark, Digesting out) throws IOException {
        byte[] buffer = new byte[(1 << 16) + MARK_LENGTH];
        int held = 0;
        while (true) {
            int n = in.read(buffer, held, buffer.length - held);
            if (n < 0) {
                throw new IllegalStateException("snapshot from " + node + " ended before its end mark, after " + (out.bytes + held) + " bytes");
            }
            int total = held + n;
            int at = indexOf(buffer, total, mark);
            if (at >= 0) {
                out.write(buffer, at);
                return;
            }
            int keep = Math.min(MARK_LENGTH, total);
            out.write(buffer, total - keep);
            System.arraycopy(buffer, total - keep, buffer, 0, keep);
            held = keep;
        }
    }

    private static int indexOf(byte[] buffer, int length, byte[] mark) {
        outer:
        for (int i = 0; i + mark.length <= length; i++) {
            for (int j = 0; j < mark.length; j++) {
                if (buffer[i + j] != mark[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Passes bytes on to the sink, hashing them and keeping the first megabyte for the header. */
    private static final class Digesting {
        private final ObjectStore.Sink sink;
        private final LongConsumer progress;
        private final MessageDigest sha256;
        private final byte[] head = new byte[RdbHeader.CAPTURE_BYTES];
        private int headLength;
        private final byte[] tail = new byte[9];
        long bytes;

        Digesting(ObjectStore.Sink sink, LongConsumer progress) {
            this.sink = sink;
            this.progress = progress;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void write(byte[] buffer, int length) {
            if (length == 0) {
                return;
            }
            sha256.update(buffer, 0, length);
            int copy = Math.min(length, head.length - headLength);
            System.arraycopy(buffer, 0, head, headLength, copy);
            headLength += copy;
            // The last 9 bytes: the EOF opcode and the CRC64 that end every RDB.
            int fromTail = Math.min(9, length);
            System.arraycopy(tail, fromTail, tail, 0, 9 - fromTail);
            System.arraycopy(buffer, length - fromTail, tail, 9 - fromTail, fromTail);
            sink.write(buffer, 0, length);
            bytes += length;
            progress.accept(bytes);
        }

        String hex() {
            return HexFormat.of().formatHex(sha256.digest());
        }

        RdbHeader header(NodeAddress node) {
            if (bytes < 18 || (tail[0] & 0xFF) != 0xFF) {
                throw new IllegalStateException("snapshot from " + node + " is incomplete (" + bytes + " bytes, no RDB end marker)");
            }
            try {
                return RdbHeader.parse(head, headLength);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("snapshot from " + node + ": " + e.getMessage());
            }
        }
    }
}
