package io.jipvs.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {

    private static byte[] v4(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    @Test
    void atonTakesOneToFourPartsInAnyCBase() {
        assertArrayEquals(v4(10, 0, 0, 1), Addresses.aton("10.0.0.1"));
        assertArrayEquals(v4(10, 0, 0, 1), Addresses.aton("10.1"));
        assertArrayEquals(v4(10, 1, 0, 2), Addresses.aton("10.1.2"));
        assertArrayEquals(v4(0x0a, 0, 0, 1), Addresses.aton("0xa.0.0.01"));
        assertArrayEquals(v4(0, 0, 0, 255), Addresses.aton("255"));
        assertArrayEquals(v4(10, 0, 0, 1), Addresses.aton("10.0.0.1 trailing"));
        assertNull(Addresses.aton("08.0.0.1"));
        assertNull(Addresses.aton("256.0.0.1"));
        assertNull(Addresses.aton("1.2.3.4.5"));
        assertNull(Addresses.aton(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4::", "1.2.3.4::1", "::1.2.3", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", ":1::",
        "\u0661::", "fe80::1%eth0", "::\u0661.2.3.4", ""})
    void pton6RejectsWhatGlibcRejects(String text) {
        assertNull(Addresses.pton6(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"01.2.3.4", "1.2.3", "1.2.3.4 ", "256.1.1.1", "1..2.3", "\u0661.2.3.4", "1.2.3.4."})
    void pton4RejectsWhatGlibcRejects(String text) {
        assertNull(Addresses.pton4(text), text);
    }

    @Test
    void pton6ReadsEveryForm() {
        assertEquals("2001:db8::1", Addresses.ntop(Addresses.of(Addresses.pton6("2001:DB8:0:0:0:0:0:1"))));
        assertEquals("::ffff:1.2.3.4", Addresses.ntop(Addresses.of(Addresses.pton6("::ffff:1.2.3.4"))));
        assertEquals("::", Addresses.ntop(Addresses.of(Addresses.pton6("::"))));
        assertEquals("1::", Addresses.ntop(Addresses.of(Addresses.pton6("1::"))));
    }

    @Test
    void ntopIsGlibcForm() {
        assertEquals("1:0:0:2::3", Addresses.ntop(Addresses.literal("1:0:0:2:0:0:0:3")));
        assertEquals("2001:db8::1:0:0:1", Addresses.ntop(Addresses.literal("2001:db8:0:0:1:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", Addresses.ntop(Addresses.literal("2001:db8:0:1:1:1:1:1")));
        assertEquals("::1", Addresses.ntop(Addresses.literal("::1")));
        assertEquals("::1.2.3.4", Addresses.ntop(Addresses.literal("::1.2.3.4")));
        assertEquals("10.0.0.1", Addresses.ntop(Addresses.literal("10.0.0.1")));
    }

    @Test
    void sixteenBytesStayIpv6EvenWhenV4Mapped() {
        // InetAddress.getByAddress would return an Inet4Address here and change the family.
        assertInstanceOf(Inet6Address.class, Addresses.of(Addresses.pton6("::ffff:10.0.0.1")));
        assertInstanceOf(Inet6Address.class, Addresses.literal("::ffff:10.0.0.1"));
    }

    @Test
    void v4MappedIsOnlyTheFfffPrefix() {
        assertTrue(Addresses.isV4Mapped(Addresses.literal("::ffff:10.0.0.1")));
        assertFalse(Addresses.isV4Mapped(Addresses.literal("::10.0.0.1")));
        assertFalse(Addresses.isV4Mapped(Addresses.literal("10.0.0.1")));
        assertFalse(Addresses.isV4Mapped(Addresses.literal("fd00::ffff:a00:1")));
    }

    @Test
    void hostPortIsAddressColonPortWithIpv6InBracketsBothWays() {
        assertEquals(new java.net.InetSocketAddress(Addresses.literal("10.0.0.11"), 80), Addresses.hostPort("10.0.0.11:80"));
        assertEquals(new java.net.InetSocketAddress(Addresses.literal("2001:db8::1"), 0), Addresses.hostPort("[2001:db8::1]:0"));
        assertEquals("[2001:db8::1]:8080", Addresses.hostPort(Addresses.literal("2001:db8::1"), 8080));
        assertEquals("10.0.0.11:80", Addresses.hostPort(Addresses.literal("10.0.0.11"), 80));
        for (String bad : new String[] {"2001:db8::1:80", "10.0.0.11", "10.0.0.11:", "10.0.0.11:65536", "10.0.0.11:+80",
                "[10.0.0.11]:80", "localhost:80", "10.0.0.11:8O"}) {
            assertNull(Addresses.hostPort(bad), bad);
        }
    }
}
