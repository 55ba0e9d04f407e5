package io.redisha.backup;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * An order-independent digest of a set of keys: per key SHA-256 of its name, its value's digest
 * (DEBUG DIGEST-VALUE: the same for the same value in any encoding) and its expiry, XORed together.
 * Keys with an expiry are grouped by the second they expire in, so two sides compare only the keys
 * that are certain to live at a chosen moment ({@link #alive(long)}): a key expiring during a
 * restore is no difference.
 */
final class KeyDigest {
    private static final long PERSISTENT = Long.MAX_VALUE;
    private final Map<Long, long[]> counts = new TreeMap<>();
    private final Map<Long, byte[]> xors = new TreeMap<>();

    /** @param expiresAtMs absolute expiry in ms (PEXPIRETIME), or -1 for none */
    void add(byte[] key, byte[] valueDigest, long expiresAtMs) {
        long bucket = expiresAtMs < 0 ? PERSISTENT : expiresAtMs / 1000;
        counts.computeIfAbsent(bucket, b -> new long[1])[0]++;
        xor(xors.computeIfAbsent(bucket, b -> new byte[32]), contribution(key, valueDigest, expiresAtMs));
    }

    /** Takes a key out again (the same key, value and expiry added twice). */
    void remove(byte[] key, byte[] valueDigest, long expiresAtMs) {
        long bucket = expiresAtMs < 0 ? PERSISTENT : expiresAtMs / 1000;
        counts.computeIfAbsent(bucket, b -> new long[1])[0]--;
        xor(xors.computeIfAbsent(bucket, b -> new byte[32]), contribution(key, valueDigest, expiresAtMs));
    }

    /** Adds every key another digest holds (digests built in parallel, one per node). */
    void addAll(KeyDigest other) {
        other.counts.forEach((bucket, n) -> counts.computeIfAbsent(bucket, b -> new long[1])[0] += n[0]);
        other.xors.forEach((bucket, x) -> xor(xors.computeIfAbsent(bucket, b -> new byte[32]), x));
    }

    /** Count and digest of the keys without expiry or expiring after {@code afterMs} (whole seconds). */
    Summary alive(long afterMs) {
        long count = 0;
        byte[] digest = new byte[32];
        for (Map.Entry<Long, long[]> e : counts.entrySet()) {
            if (e.getKey() == PERSISTENT || e.getKey() * 1000 > afterMs) {
                count += e.getValue()[0];
                xor(digest, xors.get(e.getKey()));
            }
        }
        return new Summary(count, HexFormat.of().formatHex(digest));
    }

    record Summary(long keys, String digest) {
    }

    private static byte[] contribution(byte[] key, byte[] valueDigest, long expiresAtMs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(4).putInt(key.length).array());
            sha.update(key);
            sha.update(valueDigest);
            sha.update(ByteBuffer.allocate(8).putLong(expiresAtMs).array());
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void xor(byte[] into, byte[] other) {
        for (int i = 0; i < into.length; i++) {
            into[i] ^= other[i];
        }
    }
}
