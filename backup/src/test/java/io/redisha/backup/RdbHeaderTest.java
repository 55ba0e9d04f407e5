package io.redisha.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RdbHeaderTest {
    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        out.write(b.length);
        out.writeBytes(b);
    }

    private static ByteArrayOutputStream start(String version) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("REDIS" + version).getBytes(StandardCharsets.US_ASCII));
        out.write(0xFA);
        string(out, "redis-ver");
        string(out, "7.0.15");
        out.write(0xFA);
        string(out, "redis-bits");
        out.write(0xC0); // an 8-bit integer-encoded string
        out.write(64);
        out.write(0xFA);
        string(out, "ctime");
        out.write(0xC2); // a 32-bit integer-encoded string
        out.writeBytes(new byte[] {1, 2, 3, 4});
        return out;
    }

    @Test
    void readsVersionRedisVersionAndTheKeyCountOfResizeDb() {
        ByteArrayOutputStream out = start("0010");
        out.write(0xFE);
        out.write(0);
        out.write(0xFB);
        out.write(0x40 | 0x01); // 14-bit length: 0x1 << 8 | 0x2C = 300 keys
        out.write(0x2C);
        out.write(7);
        byte[] bytes = out.toByteArray();
        RdbHeader header = RdbHeader.parse(bytes, bytes.length);
        assertEquals(10, header.version());
        assertEquals(Optional.of("7.0.15"), header.redisVersion());
        assertEquals(300, header.keys().getAsLong());
        assertEquals(7, header.volatileKeys().getAsLong());
    }

    @Test
    void anEmptyDatasetHasNoDatabaseSectionAndZeroKeys() {
        ByteArrayOutputStream out = start("0011");
        out.write(0xFF);
        byte[] bytes = out.toByteArray();
        RdbHeader header = RdbHeader.parse(bytes, bytes.length);
        assertEquals(11, header.version());
        assertEquals(0, header.keys().getAsLong());
    }

    @Test
    void aPrefixCutBeforeResizeDbLeavesTheCountUnknown() {
        ByteArrayOutputStream out = start("0010");
        byte[] bytes = out.toByteArray();
        assertTrue(RdbHeader.parse(bytes, bytes.length - 2).keys().isEmpty());
    }

    @Test
    void somethingElseIsNotAnRdb() {
        byte[] bytes = "-ERR not a snapshot\r\n".getBytes(StandardCharsets.US_ASCII);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RdbHeader.parse(bytes, bytes.length));
        assertTrue(e.getMessage().contains("not an RDB file"), e.getMessage());
    }
}
