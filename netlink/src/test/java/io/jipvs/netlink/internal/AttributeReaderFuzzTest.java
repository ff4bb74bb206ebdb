package io.jipvs.netlink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jipvs.netlink.NetlinkException;

/**
 * The attribute cursor under every access pattern a decoder can use: each attribute is read with
 * the accessor its type picks, nests are entered, and the cursor's promises are checked — it
 * never throws, never reads outside its range, and reports the first problem through
 * {@link AttributeReader#error()} and {@link AttributeReader#check}.
 */
class AttributeReaderFuzzTest {
    private static final int MAX_DEPTH = 8;

    @FuzzTest
    void read(byte[] attributes) {
        AttributeReader r = AttributeReader.of(attributes);
        walk(r, attributes.length, 0);
        if (r.error() == null) {
            r.check("fuzz");
        } else {
            assertThrows(NetlinkException.class, () -> r.check("fuzz"));
        }
    }

    private static void walk(AttributeReader r, int range, int depth) {
        int seen = 0;
        while (r.next()) {
            int length = r.length();
            assertTrue(length >= 0 && length <= range - Netlink.NLA_HDRLEN, "length " + length + " in " + range);
            seen += Netlink.NLA_HDRLEN + length;
            switch (r.type() % 11) {
                case 0 -> r.u8();
                case 1 -> r.u16();
                case 2 -> r.u32();
                case 3 -> r.u64();
                case 4 -> r.unsigned();
                case 5 -> r.be16();
                case 6 -> r.be32();
                case 7 -> assertTrue(r.string().length() <= length);
                case 8 -> assertEquals(length, r.bytes().length);
                default -> {
                    if (depth < MAX_DEPTH) {
                        r.nested(n -> walk(n, length, depth + 1));
                    }
                }
            }
        }
        assertTrue(seen <= range, "attributes of " + seen + " bytes in " + range);
        if (r.error() != null) {
            // After a problem the cursor stays put and answers zero values.
            assertFalse(r.next());
            assertEquals(0, r.u32());
            assertEquals("", r.string());
        }
    }
}
