package io.jipvs.netlink.internal;

import static io.jipvs.netlink.nltest.Hex.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.nltest.Hex;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The attribute format of include/uapi/linux/netlink.h: {u16 len, u16 type, payload, pad to 4}. */
class AttributeCodecTest {

    @BeforeAll
    static void littleEndianHost() {
        // The vectors below spell host-order fields little-endian (x86-64, arm64).
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void integersAreHostOrderAndPaddedToFourBytes() {
        byte[] encoded = new AttributeWriter().u8(1, 0xAB).u16(2, 0x1234).u32(3, 0x01020304).u64(4, 0x0102030405060708L)
                .toByteArray();
        assertEquals(Hex.of(bytes("05 00 01 00 ab 00 00 00"
                + "06 00 02 00 34 12 00 00"
                + "08 00 03 00 04 03 02 01"
                + "0c 00 04 00 08 07 06 05 04 03 02 01")), Hex.of(encoded));
    }

    @Test
    void bigEndianValuesAreNetworkOrder() {
        byte[] encoded = new AttributeWriter().be16(4, 80).be32(9, 0xFFFFFF00).toByteArray();
        assertArrayEquals(bytes("06 00 04 00 00 50 00 00 | 08 00 09 00 ff ff ff 00"), encoded);
    }

    @Test
    void stringsCarryTheirTerminatingNul() {
        assertArrayEquals(bytes("07 00 06 00 72 72 00 00"), new AttributeWriter().string(6, "rr").toByteArray());
        assertArrayEquals(bytes("09 00 02 00 49 50 56 53 | 00 00 00 00"),
                new AttributeWriter().string(2, "IPVS").toByteArray());
    }

    @Test
    void nestedLengthCoversItsChildrenWithoutTheNestedFlag() {
        byte[] encoded = new AttributeWriter().nested(1, w -> w.u16(1, 2).binary(3, new byte[] {10, 0, 0, 1}))
                .toByteArray();
        assertArrayEquals(bytes("14 00 01 00 | 06 00 01 00 02 00 00 00 | 08 00 03 00 0a 00 00 01"), encoded);
    }

    @Test
    void attributesLongerThanNlaLenCanHoldAreRejectedNotWrapped() {
        // nla_len is 16 bits: at most 65535 bytes, header and (for a nest) padded children included.
        byte[] fits = new AttributeWriter().nested(1, w -> w.binary(2, new byte[65524])).toByteArray();
        assertEquals(65532, fits.length);
        assertArrayEquals(bytes("fc ff 01 00 | f8 ff 02 00"), Arrays.copyOf(fits, 8));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AttributeWriter().nested(1, w -> w.binary(2, new byte[65528])));
        assertEquals("netlink attribute 1 of 65536 bytes is longer than the 65535 an nla_len can hold", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new AttributeWriter().nested(1, w -> w.binary(2, new byte[40000]).binary(3, new byte[40000])));
        assertThrows(IllegalArgumentException.class, () -> new AttributeWriter().binary(2, new byte[65532]));
        assertThrows(IllegalArgumentException.class, () -> new AttributeWriter().string(2, "x".repeat(65531)));
    }

    @Test
    void readerWalksAttributesAndSkipsUnknownOnes() {
        byte[] data = bytes("06 00 63 00 ff ff 00 00 | 08 00 03 00 04 03 02 01 | 06 00 04 00 00 50 00 00");
        AttributeReader r = AttributeReader.of(data);
        List<String> seen = new ArrayList<>();
        while (r.next()) {
            switch (r.type()) {
                case 3 -> seen.add("u32=" + Integer.toHexString(r.u32()));
                case 4 -> seen.add("port=" + r.be16());
                default -> seen.add("skip " + r.type());
            }
        }
        assertNull(r.error());
        assertEquals(List.of("skip 99", "u32=1020304", "port=80"), seen);
    }

    @Test
    void typeMasksTheNestedAndByteOrderBits() {
        AttributeReader r = AttributeReader.of(bytes("04 00 01 80"));
        assertTrue(r.next());
        assertEquals(1, r.type());
        assertTrue(r.nestedFlag());
    }

    @Test
    void lastAttributeMayOmitItsPadding() {
        AttributeReader r = AttributeReader.of(bytes("05 00 08 00 07"));
        assertTrue(r.next());
        assertEquals(7, r.u8());
        assertFalse(r.next());
        assertNull(r.error());
    }

    @Test
    void truncatedHeaderIsAnErrorNotAnException() {
        AttributeReader r = AttributeReader.of(bytes("08 00 01 00 01 00 00 00 | 05 00"));
        assertTrue(r.next());
        assertFalse(r.next());
        assertNotNull(r.error());
        assertTrue(r.error().contains("truncated"), r.error());
    }

    @Test
    void lengthShorterThanTheHeaderStopsTheCursor() {
        AttributeReader r = AttributeReader.of(bytes("02 00 01 00 00 00 00 00"));
        assertFalse(r.next());
        assertTrue(r.error().contains("shorter"), r.error());
    }

    @Test
    void lengthPastTheEndStopsTheCursor() {
        AttributeReader r = AttributeReader.of(bytes("10 00 01 00 00 00 00 00"));
        assertFalse(r.next());
        assertTrue(r.error().contains("past the end"), r.error());
        assertThrows(NetlinkException.class, () -> r.check("test"));
    }

    @Test
    void wrongWidthIsRecordedAndLaterReadsReturnZero() {
        AttributeReader r = AttributeReader.of(bytes("06 00 01 00 01 02 00 00 | 08 00 02 00 05 00 00 00"));
        assertTrue(r.next());
        assertEquals(0, r.u32());
        assertFalse(r.next());
        assertTrue(r.error().contains("expected 4"), r.error());
        NetlinkException e = assertThrows(NetlinkException.class, () -> r.check("decode"));
        assertEquals(Errno.EBADMSG, e.errno());
    }

    @Test
    void nestedErrorsPropagateToTheOuterReader() {
        byte[] data = bytes("0c 00 01 00 | 08 00 01 00 01 00 00 00 | 08 00 02 00 02 00 00 00");
        AttributeReader r = AttributeReader.of(data);
        assertTrue(r.next());
        r.nested(inner -> {
            while (inner.next()) {
                inner.u16(); // wrong width on purpose
            }
        });
        assertNotNull(r.error());
        assertTrue(r.error().startsWith("in attribute 1"), r.error());
    }

    @Test
    void unsignedReadsAnyIntegerWidth() {
        AttributeReader r = AttributeReader.of(bytes("08 00 01 00 ff ff ff ff | 0c 00 04 00 00 00 00 00 01 00 00 00"));
        assertTrue(r.next());
        assertEquals(0xFFFF_FFFFL, r.unsigned());
        assertTrue(r.next());
        assertEquals(1L << 32, r.unsigned());
    }

    @Test
    void stringStopsAtTheFirstNul() {
        AttributeReader r = AttributeReader.of(bytes("0a 00 06 00 77 6c 63 00 00 00 00 00"));
        assertTrue(r.next());
        assertEquals("wlc", r.string());
    }

    @Test
    void rangeOutsideTheBufferIsAnError() {
        AttributeReader r = AttributeReader.of(new byte[4], 2, 8);
        assertFalse(r.next());
        assertNotNull(r.error());
    }
}
