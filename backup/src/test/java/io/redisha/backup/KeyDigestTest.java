package io.redisha.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyDigestTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theOrderOfKeysAndTheSplitOverNodesDoNotMatter() {
        KeyDigest one = new KeyDigest();
        one.add(b("a"), b("d1"), -1);
        one.add(b("b"), b("d2"), 5_000);
        one.add(b("c"), b("d3"), -1);
        KeyDigest left = new KeyDigest();
        left.add(b("c"), b("d3"), -1);
        KeyDigest right = new KeyDigest();
        right.add(b("b"), b("d2"), 5_000);
        right.add(b("a"), b("d1"), -1);
        left.addAll(right);
        assertEquals(one.alive(0), left.alive(0));
        assertEquals(3, one.alive(0).keys());
    }

    @Test
    void aDifferentValueOrExpiryChangesTheDigest() {
        KeyDigest a = new KeyDigest();
        a.add(b("k"), b("v1"), -1);
        KeyDigest value = new KeyDigest();
        value.add(b("k"), b("v2"), -1);
        KeyDigest expiry = new KeyDigest();
        expiry.add(b("k"), b("v1"), 99_000);
        assertNotEquals(a.alive(0).digest(), value.alive(0).digest());
        assertNotEquals(a.alive(0).digest(), expiry.alive(0).digest());
    }

    @Test
    void keysExpiringByTheHorizonAreLeftOutOnBothSides() {
        KeyDigest sent = new KeyDigest();
        sent.add(b("stays"), b("v"), -1);
        sent.add(b("goes"), b("v"), 10_500);
        KeyDigest found = new KeyDigest();
        found.add(b("stays"), b("v"), -1);
        assertEquals(sent.alive(11_000), found.alive(11_000));
        assertNotEquals(sent.alive(9_000), found.alive(9_000));
    }

    @Test
    void aKeyAddedTwiceAndRemovedOnceCountsOnce() {
        KeyDigest twice = new KeyDigest();
        twice.add(b("k"), b("v"), -1);
        twice.add(b("k"), b("v"), -1);
        twice.remove(b("k"), b("v"), -1);
        KeyDigest once = new KeyDigest();
        once.add(b("k"), b("v"), -1);
        assertEquals(once.alive(0), twice.alive(0));
    }
}
