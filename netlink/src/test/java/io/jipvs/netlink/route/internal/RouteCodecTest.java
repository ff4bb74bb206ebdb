package io.jipvs.netlink.route.internal;

import static io.jipvs.netlink.nltest.Hex.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jipvs.model.Addresses;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.nltest.Hex;
import io.jipvs.netlink.route.InterfaceAddress;
import io.jipvs.netlink.route.Link;
import io.jipvs.netlink.route.Route;
import io.jipvs.netlink.route.Rtnetlink;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * rtnetlink payloads byte for byte, laid out from include/uapi/linux/rtnetlink.h (struct
 * ifinfomsg, 16 bytes), if_addr.h (struct ifaddrmsg, 8 bytes) and if_link.h. Host order is
 * little-endian; addresses are in network order.
 */
class RouteCodecTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    }

    private static void assertBytes(String expected, byte[] actual) {
        assertArrayEquals(bytes(expected), actual, () -> "got " + Hex.of(actual));
    }

    @Test
    void getLinkByName() {
        assertBytes("00 00 0000 | 00000000 | 00000000 | 00000000"
                + "| 0a00 0300 | 74 75 6e 6c 30 00 | 0000", RouteCodec.getLinkByName("tunl0"));
    }

    @Test
    void getLinkByIndex() {
        assertBytes("00 00 0000 | 07000000 | 00000000 | 00000000", RouteCodec.getLinkByIndex(7));
    }

    @Test
    void setLinkUpChangesOnlyIffUp() {
        assertBytes("00 00 0000 | 03000000 | 01000000 | 01000000", RouteCodec.setLinkUp(3, true));
        assertBytes("00 00 0000 | 03000000 | 00000000 | 01000000", RouteCodec.setLinkUp(3, false));
    }

    @Test
    void newLinkCarriesNameAndKind() {
        // IFLA_IFNAME "tunl0"; IFLA_LINKINFO (18, len 12) { IFLA_INFO_KIND (1, len 9) "ipip\0" + pad }
        assertBytes("00 00 0000 | 00000000 | 00000000 | 00000000"
                + "| 0a00 0300 | 74756e6c3000 0000"
                + "| 1000 1200 | 0900 0100 | 69706970 00 000000", RouteCodec.newLink("tunl0", "ipip"));
    }

    @Test
    void deleteLink() {
        assertBytes("00 00 0000 | 09000000 | 00000000 | 00000000", RouteCodec.deleteLink(9));
    }

    @Test
    void ipv4HostAddressWithHostScope() throws Exception {
        InterfaceAddress a = InterfaceAddress.host(1, InetAddress.getByName("10.0.0.100"), 0, Rtnetlink.RT_SCOPE_HOST);
        // family 2, prefix 32, flags 0, scope 254 (host), index 1; IFA_LOCAL, IFA_ADDRESS
        assertBytes("02 20 00 fe | 01000000 | 0800 0200 0a000064 | 0800 0100 0a000064", RouteCodec.address(a));
    }

    @Test
    void ipv6HostAddressWithNodad() throws Exception {
        InterfaceAddress a = InterfaceAddress.host(1, InetAddress.getByName("fd00::100"), Rtnetlink.IFA_F_NODAD,
                Rtnetlink.RT_SCOPE_UNIVERSE);
        assertBytes("0a 80 02 00 | 01000000"
                + "| 1400 0200 fd000000 00000000 00000000 00000100"
                + "| 1400 0100 fd000000 00000000 00000000 00000100", RouteCodec.address(a));
    }

    @Test
    void wideFlagsGoToIfaFlags() throws Exception {
        // IFA_F_NOPREFIXROUTE (0x200) does not fit ifa_flags: the low byte stays, IFA_FLAGS holds all.
        InterfaceAddress a = InterfaceAddress.host(2, InetAddress.getByName("10.1.2.3"), 0x202, 0);
        assertBytes("02 20 02 00 | 02000000 | 0800 0200 0a010203 | 0800 0100 0a010203 | 0800 0800 02020000",
                RouteCodec.address(a));
    }

    @Test
    void dumpAddresses() {
        assertBytes("0a 00 00 00 00000000", RouteCodec.dumpAddresses(Rtnetlink.AF_INET6));
    }

    @Test
    void decodesLink() {
        // type 768 (ARPHRD_TUNNEL), index 5, flags UP|RUNNING|NOARP, MTU 1480, kind ipip
        byte[] payload = bytes("00 00 0003 | 05000000 | c1000000 | 00000000"
                + "| 0a00 0300 74756e6c3000 0000 | 0800 0400 c8050000"
                + "| 1000 1200 | 0900 0100 69706970 00 000000");
        Link link = RouteCodec.decodeLink(payload);
        assertEquals(new Link(5, "tunl0", 0xc1, 768, 1480, "ipip"), link);
        assertEquals(true, link.up());
    }

    @Test
    void decodesIpv4AddressPreferringLocal() throws Exception {
        // A point-to-point address: IFA_LOCAL is ours, IFA_ADDRESS the peer.
        byte[] payload = bytes("02 20 80 00 | 04000000 | 0800 0100 0a000002 | 0800 0200 0a000001");
        assertEquals(new InterfaceAddress(4, InetAddress.getByName("10.0.0.1"), 32, 0x80, 0),
                RouteCodec.decodeAddress(payload));
    }

    @Test
    void decodesIpv6AddressWithIfaFlags() throws Exception {
        byte[] payload = bytes("0a 80 00 fe | 01000000 | 1400 0100 fd000000 00000000 00000000 00000100"
                + "| 0800 0800 82000000");
        InterfaceAddress a = RouteCodec.decodeAddress(payload);
        assertEquals(new InterfaceAddress(1, InetAddress.getByName("fd00::100"), 128, 0x82, 254), a);
        assertEquals("fd00::100/128", a.cidr());
    }

    @Test
    void ipv4MappedIpv6AddressStaysIpv6() throws Exception {
        // "ip -6 addr add ::ffff:10.1.2.3/128 dev lo": family AF_INET6, 16-byte IFA_ADDRESS. Java's
        // InetAddress.getByAddress would turn it into the IPv4 10.1.2.3 with prefix 128 (invalid).
        byte[] payload = bytes("0a 80 80 00 | 01000000 | 1400 0100 00000000 00000000 0000ffff 0a010203");
        InterfaceAddress a = RouteCodec.decodeAddress(payload);
        assertInstanceOf(Inet6Address.class, a.address());
        assertEquals(Rtnetlink.AF_INET6, a.family());
        assertEquals(128, a.prefixLength());
        assertEquals("::ffff:10.1.2.3/128", a.cidr());
    }

    @Test
    void rejectsTruncatedAndMismatchedPayloads() {
        assertThrows(NetlinkException.class, () -> RouteCodec.decodeLink(bytes("00 00 0000 05000000")));
        assertThrows(NetlinkException.class, () -> RouteCodec.decodeAddress(bytes("02 20 00 00 01000000"
                + "| 1400 0200 fd000000 00000000 00000000 00000100")));
        assertThrows(NetlinkException.class, () -> RouteCodec.decodeLink(bytes("00 00 0000 | 05000000 | 00000000"
                + "| 00000000 | 0800 0400 c805")));
    }

    @Test
    void rejectsBadInterfaceNames() {
        assertThrows(IllegalArgumentException.class, () -> RouteCodec.getLinkByName("a-name-longer-than-15"));
        assertThrows(IllegalArgumentException.class, () -> RouteCodec.getLinkByName("../x"));
        assertThrows(IllegalArgumentException.class, () -> RouteCodec.getLinkByName(""));
    }

    @Test
    void getRouteAsksForOneFullLengthDestination() {
        // rtmsg { AF_INET, dst_len 32, rest 0 } then RTA_DST (1) 10.4.0.11
        assertBytes("02 20 00 00 | 00 00 00 00 | 00000000 | 0800 0100 | 0a 04 00 0b",
                RouteCodec.getRoute(Addresses.literal("10.4.0.11")));
        assertBytes("0a 80 00 00 | 00 00 00 00 | 00000000 | 1400 0100 | fd040000000000000000000000000011",
                RouteCodec.getRoute(Addresses.literal("fd04::11")));
    }

    @Test
    void aRouteAnswerGivesTypeOutputGatewayAndSource() {
        // rtmsg { AF_INET, 32, 0, 0, table 254, proto 0, scope 0, type RTN_UNICAST, flags } RTA_OIF 3,
        // RTA_GATEWAY 10.3.0.2, RTA_PREFSRC 10.3.0.1
        byte[] answer = bytes("02 20 00 00 | fe 00 00 01 | 00020000 | 0800 0400 | 03000000"
                + "| 0800 0500 | 0a 03 00 02 | 0800 0700 | 0a 03 00 01");
        assertEquals(new Route(Addresses.literal("10.4.0.11"), 1, 3, Addresses.literal("10.3.0.2"),
                Addresses.literal("10.3.0.1")), RouteCodec.decodeRoute(Addresses.literal("10.4.0.11"), answer));
        assertThrows(NetlinkException.class, () -> RouteCodec.decodeRoute(Addresses.literal("10.4.0.11"), new byte[4]));
    }
}
