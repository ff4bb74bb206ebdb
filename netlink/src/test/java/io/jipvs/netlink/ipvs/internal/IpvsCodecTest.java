package io.jipvs.netlink.ipvs.internal;

import static io.jipvs.netlink.nltest.Hex.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Stats;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.Timeouts;
import io.jipvs.model.TunnelChecksum;
import io.jipvs.model.TunnelType;
import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.internal.AttributeWriter;
import io.jipvs.netlink.internal.genl.GenlMessage;
import io.jipvs.netlink.ipvs.IpvsMutation;
import io.jipvs.netlink.nltest.Hex;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests and replies byte for byte, as laid out by include/uapi/linux/ip_vs.h and the kernel's
 * parse/fill functions (vectors written by hand from the ABI notes; host order little-endian).
 */
class IpvsCodecTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static final ServiceKey TCP_10_0_0_1_80;

    static {
        try {
            TCP_10_0_0_1_80 = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.1"), 80);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final String SERVICE_IDENTITY_10_0_0_1_80 = ""
            + "06 00 01 00 02 00 00 00"      // AF = AF_INET
            + "06 00 02 00 06 00 00 00"      // PROTOCOL = TCP
            + "08 00 03 00 0a 00 00 01"      // ADDR = 10.0.0.1
            + "06 00 04 00 00 50 00 00";     // PORT = 80, big-endian

    @Test
    void newServiceTcpRoundRobinCarriesEveryRequiredAttribute() {
        GenlMessage m = IpvsCodec.encode(new IpvsMutation.AddService(
                Service.builder(TCP_10_0_0_1_80).scheduler("rr").build()));
        String expected = "01 01 00 00"               // genlmsghdr: NEW_SERVICE, version 1
                + "48 00 01 00"                       // CMD_ATTR_SERVICE, 72 bytes
                + SERVICE_IDENTITY_10_0_0_1_80
                + "07 00 06 00 72 72 00 00"           // SCHED_NAME "rr\0"
                + "0c 00 07 00 00 00 00 00 ff ff ff ff" // FLAGS {flags 0, mask ~0}
                + "08 00 08 00 00 00 00 00"           // TIMEOUT 0
                + "08 00 09 00 ff ff ff ff";          // NETMASK 255.255.255.255 (be32)
        assertEquals(Hex.of(bytes(expected)), Hex.of(m.encode()));
    }

    @Test
    void ipv6ServiceSendsItsNetmaskAsAHostOrderPrefixLength() throws Exception {
        Service s = Service.builder(ServiceKey.of(Protocol.TCP, ip("2001:db8::1"), 443)).scheduler("wlc")
                .persistent(1800).persistenceEngine("sip").build();
        GenlMessage m = IpvsCodec.encode(new IpvsMutation.UpdateService(s));
        String expected = "02 01 00 00"               // SET_SERVICE
                + "5c 00 01 00"
                + "06 00 01 00 0a 00 00 00"           // AF_INET6
                + "06 00 02 00 06 00 00 00"
                + "14 00 03 00 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01"
                + "06 00 04 00 01 bb 00 00"           // 443
                + "08 00 06 00 77 6c 63 00"           // "wlc"
                + "08 00 0b 00 73 69 70 00"           // PE_NAME "sip"
                + "0c 00 07 00 01 00 00 00 ff ff ff ff" // PERSISTENT
                + "08 00 08 00 08 07 00 00"           // 1800 s
                + "08 00 09 00 80 00 00 00";          // prefix 128, host order
        assertEquals(Hex.of(bytes(expected)), Hex.of(m.encode()));
    }

    @Test
    void fwmarkServiceIsKeyedByFamilyAndMarkOnly() {
        GenlMessage m = IpvsCodec.encode(new IpvsMutation.DeleteService(ServiceKey.ofFwmark(AddressFamily.INET, 100)));
        assertEquals(Hex.of(bytes("03 01 00 00 | 14 00 01 00 | 06 00 01 00 02 00 00 00 | 08 00 05 00 64 00 00 00")),
                Hex.of(m.encode()));
    }

    @Test
    void newDestinationWithGueTunnelSendsFamilyAndBigEndianTunnelPort() throws Exception {
        Destination d = Destination.of(ip("10.1.1.4"), 80).withTunnel(TunnelType.GUE, 6080, TunnelChecksum.CSUM);
        GenlMessage m = IpvsCodec.encode(new IpvsMutation.AddDestination(TCP_10_0_0_1_80, d));
        String expected = "05 01 00 00"               // NEW_DEST
                + "24 00 01 00" + SERVICE_IDENTITY_10_0_0_1_80
                + "54 00 02 00"                       // CMD_ATTR_DEST, 84 bytes
                + "06 00 0b 00 02 00 00 00"           // ADDR_FAMILY AF_INET
                + "08 00 01 00 0a 01 01 04"           // ADDR 10.1.1.4
                + "06 00 02 00 00 50 00 00"           // PORT 80
                + "08 00 03 00 02 00 00 00"           // FWD_METHOD TUNNEL
                + "08 00 04 00 01 00 00 00"           // WEIGHT 1
                + "05 00 0d 00 01 00 00 00"           // TUN_TYPE GUE
                + "06 00 0e 00 17 c0 00 00"           // TUN_PORT 6080, big-endian
                + "06 00 0f 00 01 00 00 00"           // TUN_FLAGS CSUM, host order
                + "08 00 05 00 00 00 00 00"           // U_THRESH
                + "08 00 06 00 00 00 00 00";          // L_THRESH
        assertEquals(Hex.of(bytes(expected)), Hex.of(m.encode()));
    }

    @Test
    void ipv6DestinationOfAnIpv4ServiceNamesItsOwnFamily() throws Exception {
        Destination d = Destination.of(ip("2001:db8::a"), 80).withTunnel(TunnelType.IPIP, 0, TunnelChecksum.NOCSUM);
        byte[] encoded = IpvsCodec.encode(new IpvsMutation.UpdateDestination(TCP_10_0_0_1_80, d)).encode();
        String hex = Hex.of(encoded);
        assertTrue(hex.startsWith("06 01 00 00"), hex);
        assertTrue(hex.contains(Hex.of(bytes("06 00 0b 00 0a 00 00 00 | 14 00 01 00 20 01 0d b8"))), hex);
    }

    @Test
    void deleteDestinationSendsOnlyItsIdentity() throws Exception {
        GenlMessage m = IpvsCodec.encode(new IpvsMutation.DeleteDestination(TCP_10_0_0_1_80, ip("10.1.1.1"), 8080));
        String expected = "07 01 00 00" + "24 00 01 00" + SERVICE_IDENTITY_10_0_0_1_80
                + "1c 00 02 00 | 06 00 0b 00 02 00 00 00 | 08 00 01 00 0a 01 01 01 | 06 00 02 00 1f 90 00 00";
        assertEquals(Hex.of(bytes(expected)), Hex.of(m.encode()));
    }

    @Test
    void destinationDumpRequestCarriesTheServiceIdentity() {
        assertEquals(Hex.of(bytes("08 01 00 00 24 00 01 00" + SERVICE_IDENTITY_10_0_0_1_80)),
                Hex.of(IpvsCodec.getDestinations(TCP_10_0_0_1_80).encode()));
    }

    @Test
    void zeroAllHasNoServiceAndFlushHasNoAttributes() {
        assertEquals(Hex.of(bytes("10 01 00 00")), Hex.of(IpvsCodec.encode(new IpvsMutation.Zero(null)).encode()));
        assertEquals(Hex.of(bytes("11 01 00 00")), Hex.of(IpvsCodec.encode(new IpvsMutation.Flush()).encode()));
        assertEquals(Hex.of(bytes("0f 01 00 00")), Hex.of(IpvsCodec.getInfo().encode()));
    }

    @Test
    void setTimeoutsSendsAllThree() {
        GenlMessage m = IpvsCodec.encode(new IpvsMutation.SetTimeouts(new Timeouts(900, 120, 300)));
        assertEquals(Hex.of(bytes("0c 01 00 00 | 08 00 04 00 84 03 00 00 | 08 00 05 00 78 00 00 00"
                + "| 08 00 06 00 2c 01 00 00")), Hex.of(m.encode()));
    }

    @Test
    void startDaemonSendsOptionalFieldsOnlyWhenChosen() throws Exception {
        GenlMessage minimal = IpvsCodec.encode(new IpvsMutation.StartDaemon(SyncDaemon.of(SyncState.MASTER, "lo", 7)));
        assertEquals(Hex.of(bytes("09 01 00 00 | 1c 00 03 00 | 08 00 01 00 01 00 00 00 | 07 00 02 00 6c 6f 00 00"
                + "| 08 00 03 00 07 00 00 00")), Hex.of(minimal.encode()));
        GenlMessage full = IpvsCodec.encode(new IpvsMutation.StartDaemon(
                new SyncDaemon(SyncState.BACKUP, "lo", 9, 9000, ip("239.1.2.3"), 9000, 5)));
        assertEquals(Hex.of(bytes("09 01 00 00 | 3c 00 03 00 | 08 00 01 00 02 00 00 00 | 07 00 02 00 6c 6f 00 00"
                + "| 08 00 03 00 09 00 00 00"
                + "| 06 00 04 00 28 23 00 00"     // SYNC_MAXLEN 9000
                + "| 08 00 05 00 ef 01 02 03"     // MCAST_GROUP as be32 address bytes
                + "| 06 00 07 00 28 23 00 00"     // MCAST_PORT 9000, host order
                + "| 05 00 08 00 05 00 00 00")),  // MCAST_TTL
                Hex.of(full.encode()));
    }

    @Test
    void stopDaemonSendsTheState() {
        assertEquals(Hex.of(bytes("0a 01 00 00 | 0c 00 03 00 | 08 00 01 00 02 00 00 00")),
                Hex.of(IpvsCodec.encode(new IpvsMutation.StopDaemon(SyncState.BACKUP)).encode()));
    }

    // ------------------------------------------------------------------ replies

    /** A NEW_SERVICE dump message as ip_vs_genl_fill_service builds it on x86-64. */
    static final String SERVICE_REPLY = "01 01 00 00"
            + "8c 00 01 00"
            + "06 00 01 00 02 00 00 00"
            + "06 00 02 00 06 00 00 00"
            + "14 00 03 00 0a 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00" // 16-byte nf_inet_addr
            + "06 00 04 00 00 50 00 00"
            + "07 00 06 00 72 72 00 00"
            + "0c 00 07 00 03 00 00 00 ff ff ff ff"   // PERSISTENT | HASHED, mask ~0
            + "08 00 08 00 2c 01 00 00"               // 300 s
            + "08 00 09 00 ff ff ff 00"               // 255.255.255.0
            + "18 00 0a 00"                           // STATS (legacy widths)
            + "  08 00 01 00 07 00 00 00"
            + "  0c 00 04 00 e8 03 00 00 00 00 00 00"
            + "20 00 0c 00"                           // STATS64
            + "  0c 00 01 00 00 f2 05 2a 01 00 00 00" // 5,000,000,000 connections
            + "  04 00 0b 00"                         // PAD
            + "  0c 00 04 00 e8 03 00 00 00 00 00 00";

    @Test
    void serviceReplyDecodesWithoutTheHashedFlagAndPrefersStats64() throws Exception {
        GenlMessage m = new GenlMessage(1, 1, java.util.Arrays.copyOfRange(bytes(SERVICE_REPLY), 4,
                bytes(SERVICE_REPLY).length));
        ServiceEntry entry = IpvsCodec.decodeService(m);
        Service expected = Service.builder(TCP_10_0_0_1_80).scheduler("rr").persistent(300)
                .netmask(Service.ipv4Netmask(24)).build();
        assertEquals(expected, entry.service());
        assertEquals(Set.of(ServiceFlag.PERSISTENT), entry.service().flags());
        assertEquals(new Stats(5_000_000_000L, 0, 0, 1000, 0, 0, 0, 0, 0, 0), entry.stats());
    }

    @Test
    void legacyStatsAreUsedWhenStats64IsAbsent() {
        byte[] attrs = new AttributeWriter().nested(1, w -> w.u16(1, 2).u16(2, 17)
                .binary(3, new byte[] {10, 0, 0, 2}).be16(4, 53).string(6, "wlc").binary(7, new byte[8])
                .u32(8, 0).be32(9, -1).nested(10, s -> s.u32(1, 4).u32(2, 10).u64(4, 1L << 40))).toByteArray();
        ServiceEntry e = IpvsCodec.decodeService(new GenlMessage(1, 1, attrs));
        assertEquals(Protocol.UDP, e.key().protocol());
        assertEquals(53, e.key().port());
        assertEquals(new Stats(4, 10, 0, 1L << 40, 0, 0, 0, 0, 0, 0), e.stats());
    }

    @Test
    void fwmarkServiceReplyOmitsProtocolAddressAndPort() {
        byte[] attrs = bytes("30 00 01 00 | 06 00 01 00 0a 00 00 00 | 08 00 05 00 c8 00 00 00"
                + "| 07 00 06 00 72 72 00 00 | 0c 00 07 00 02 00 00 00 ff ff ff ff"
                + "| 08 00 09 00 80 00 00 00");
        ServiceEntry e = IpvsCodec.decodeService(new GenlMessage(1, 1, attrs));
        assertEquals(ServiceKey.ofFwmark(AddressFamily.INET6, 200), e.key());
        assertEquals(128, e.service().netmask());
        assertEquals(Set.of(), e.service().flags());
        assertEquals(Stats.ZERO, e.stats());
    }

    @Test
    void mixedFamilyTunnelDestinationDecodes() throws Exception {
        byte[] v6 = Inet6Address.getByName("2001:db8::a").getAddress();
        byte[] attrs = new AttributeWriter().nested(2, w -> w.binary(1, v6).be16(2, 8080).u32(3, 2).u32(4, 7)
                .u32(5, 100).u32(6, 10).u32(7, 3).u32(8, 4).u32(9, 5).u16(11, 10).u8(13, 2).be16(14, 0).u16(15, 2)
                .nested(12, s -> s.u64(2, 99))).toByteArray();
        DestinationEntry e = IpvsCodec.decodeDestination(new GenlMessage(5, 1, attrs), AddressFamily.INET);
        Destination expected = new Destination(ip("2001:db8::a"), 8080, ForwardingMethod.TUNNEL, 7, 100, 10,
                TunnelType.GRE, 0, TunnelChecksum.REMCSUM);
        assertEquals(expected, e.destination());
        assertEquals(3, e.activeConnections());
        assertEquals(4, e.inactiveConnections());
        assertEquals(5, e.persistentConnections());
        assertEquals(99, e.stats().inPackets());
    }

    @Test
    void destinationWithoutFamilyAttributeTakesTheServiceFamily() throws Exception {
        byte[] addr = new byte[16];
        addr[0] = 10;
        addr[3] = 9;
        byte[] attrs = new AttributeWriter().nested(2, w -> w.binary(1, addr).be16(2, 80).u32(3, 0).u32(4, 1)
                .u32(5, 0).u32(6, 0)).toByteArray();
        DestinationEntry e = IpvsCodec.decodeDestination(new GenlMessage(5, 1, attrs), AddressFamily.INET);
        assertEquals(ip("10.0.0.9"), e.destination().address());
        assertEquals(ForwardingMethod.MASQ, e.destination().forwarding());
    }

    @Test
    void ipv4MappedIpv6AddressStaysIpv6() {
        byte[] mapped = bytes("00000000 00000000 0000ffff 01020304");
        InetAddress a = IpvsCodec.address(AddressFamily.INET6, mapped);
        assertTrue(a instanceof Inet6Address, a.toString());
    }

    @Test
    void daemonReplyDecodes() throws Exception {
        byte[] g6 = InetAddress.getByName("ff02::1234").getAddress();
        byte[] attrs = new AttributeWriter().nested(3, w -> w.u32(1, 2).string(2, "lo").u32(3, 9).u16(4, 9000)
                .binary(6, g6).u16(7, 9000).u8(8, 5)).toByteArray();
        assertEquals(new SyncDaemon(SyncState.BACKUP, "lo", 9, 9000, ip("ff02::1234"), 9000, 5),
                IpvsCodec.decodeDaemon(new GenlMessage(9, 1, attrs)));
    }

    @Test
    void infoAndTimeoutsDecode() {
        assertEquals(new IpvsInfo(0x010201, 4096),
                IpvsCodec.decodeInfo(new GenlMessage(14, 1, bytes("08 00 01 00 01 02 01 00 | 08 00 02 00 00 10 00 00"))));
        assertEquals(new Timeouts(900, 120, 300), IpvsCodec.decodeTimeouts(new GenlMessage(12, 1,
                bytes("08 00 04 00 84 03 00 00 | 08 00 05 00 78 00 00 00 | 08 00 06 00 2c 01 00 00"))));
    }

    @Test
    void unknownAttributesAreIgnored() {
        byte[] withExtra = new AttributeWriter().u32(99, 1).raw(java.util.Arrays.copyOfRange(bytes(SERVICE_REPLY), 4,
                bytes(SERVICE_REPLY).length)).toByteArray();
        assertEquals(TCP_10_0_0_1_80, IpvsCodec.decodeService(new GenlMessage(1, 1, withExtra)).key());
    }

    @Test
    void unknownForwardingMethodIsAMalformedReply() {
        byte[] attrs = new AttributeWriter().nested(2, w -> w.binary(1, new byte[] {10, 0, 0, 1}).be16(2, 80)
                .u16(11, 2).u32(3, 7)).toByteArray();
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> IpvsCodec.decodeDestination(new GenlMessage(5, 1, attrs), AddressFamily.INET));
        assertEquals(Errno.EBADMSG, e.errno());
    }

    @Test
    void serviceWithoutNestIsAMalformedReply() {
        assertThrows(NetlinkException.class, () -> IpvsCodec.decodeService(new GenlMessage(1, 1, new byte[0])));
    }

    @Test
    void encodeThenDecodeRoundTripsEveryFlag() throws Exception {
        Service s = Service.builder(ServiceKey.of(Protocol.SCTP, ip("192.168.1.10"), 3000)).scheduler("sh")
                .flags(EnumSet.allOf(ServiceFlag.class)).timeout(60).netmask(0x18).build();
        byte[] request = IpvsCodec.encode(new IpvsMutation.AddService(s)).encode();
        GenlMessage asReply = new GenlMessage(1, 1, java.util.Arrays.copyOfRange(request, 4, request.length));
        assertEquals(s, IpvsCodec.decodeService(asReply).service());
    }
}
