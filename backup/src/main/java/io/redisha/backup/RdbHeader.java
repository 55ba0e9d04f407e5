package io.redisha.backup;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the first bytes of an RDB file say about it, read without loading it: the format version,
 * the Redis version that wrote it, and the key count the writer recorded for the snapshot
 * (RESIZEDB, taken in the forked child: exactly the keys of the snapshot).
 */
public record RdbHeader(int version, Optional<String> redisVersion, OptionalLong keys, OptionalLong volatileKeys) {
    /** How much of a stream to keep for {@link #parse}: AUX fields and the first RESIZEDB fit well inside. */
    public static final int CAPTURE_BYTES = 1 << 20;

    private static final int AUX = 0xFA;
    private static final int RESIZEDB = 0xFB;
    private static final int SELECTDB = 0xFE;
    private static final int FUNCTION2 = 0xF5;
    private static final int EOF = 0xFF;

    /**
     * Parses the start of an RDB; the key count stays empty when it is not in {@code prefix}.
     *
     * @throws IllegalArgumentException when the bytes do not start like an RDB file
     */
    public static RdbHeader parse(byte[] prefix, int length) {
        if (length < 9 || !new String(prefix, 0, 5, StandardCharsets.US_ASCII).equals("REDIS")) {
            throw new IllegalArgumentException("not an RDB file (it does not start with REDIS and a version)");
        }
        int version;
        try {
            version = Integer.parseInt(new String(prefix, 5, 4, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an RDB file (no version after REDIS)");
        }
        Reader in = new Reader(prefix, length, 9);
        Optional<String> redisVersion = Optional.empty();
        try {
            while (true) {
                int op = in.u8();
                if (op == AUX) {
                    String key = in.string();
                    String value = in.string();
                    if (key.equals("redis-ver")) {
                        redisVersion = Optional.of(value);
                    }
                } else if (op == FUNCTION2) {
                    in.string();
                } else if (op == SELECTDB) {
                    in.length();
                } else if (op == RESIZEDB) {
                    long keys = in.length();
                    long expires = in.length();
                    return new RdbHeader(version, redisVersion, OptionalLong.of(keys), OptionalLong.of(expires));
                } else if (op == EOF) {
                    // An empty dataset has no database section at all.
                    return new RdbHeader(version, redisVersion, OptionalLong.of(0), OptionalLong.of(0));
                } else {
                    return new RdbHeader(version, redisVersion, OptionalLong.empty(), OptionalLong.empty());
                }
            }
        } catch (IndexOutOfBoundsException e) {
            return new RdbHeader(version, redisVersion, OptionalLong.empty(), OptionalLong.empty());
        }
    }

    /** RDB length and string encodings (rdb.c: rdbLoadLen, rdbGenericLoadStringObject), reading only what a header holds. */
    private static final class Reader {
        private final byte[] bytes;
        private final int length;
        private int at;

        Reader(byte[] bytes, int length, int at) {
            this.bytes = bytes;
            this.length = length;
            this.at = at;
        }

        int u8() {
            if (at >= length) {
                throw new IndexOutOfBoundsException();
            }
            return bytes[at++] & 0xFF;
        }

        /** A length, or -(encoding+1) for the special string encodings. */
        long length() {
            int first = u8();
            return switch (first >> 6) {
                case 0 -> first & 0x3F;
                case 1 -> ((first & 0x3F) << 8) | u8();
                case 2 -> first == 0x80 ? bigEndian(4) : bigEndian(8);
                default -> -((first & 0x3F) + 1);
            };
        }

        private long bigEndian(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | u8();
            }
            return v;
        }

        String string() {
            long len = length();
            if (len >= 0) {
                return new String(take((int) len), StandardCharsets.UTF_8);
            }
            int encoding = (int) (-len - 1);
            return switch (encoding) {
                case 0 -> Integer.toString((byte) u8());
                case 1 -> Integer.toString((short) (u8() | (u8() << 8)));
                case 2 -> Integer.toString(u8() | (u8() << 8) | (u8() << 16) | (u8() << 24));
                case 3 -> {
                    // LZF compressed: skipped, a header field we do not need (only redis-ver is read, never long enough to be compressed).
                    long compressed = length();
                    length();
                    take((int) compressed);
                    yield "";
                }
                default -> throw new IndexOutOfBoundsException();
            };
        }

        private byte[] take(int n) {
            if (n < 0 || at + n > length) {
                throw new IndexOutOfBoundsException();
            }
            byte[] out = java.util.Arrays.copyOfRange(bytes, at, at + n);
            at += n;
            return out;
        }
    }
}
