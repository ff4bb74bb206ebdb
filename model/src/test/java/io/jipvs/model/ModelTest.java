package io.jipvs.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void serviceKeyTakesItsFamilyFromTheAddress() throws Exception {
        assertEquals(AddressFamily.INET, ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 80).family());
        assertEquals(AddressFamily.INET6, ServiceKey.of(Protocol.UDP, ip("2001:db8::1"), 53).family());
    }

    @Test
    void fwmarkKeyHasNoProtocolAddressOrPort() {
        ServiceKey key = ServiceKey.ofFwmark(AddressFamily.INET6, 100);
        assertTrue(key.fwmarkBased());
        assertEquals(null, key.protocol());
        assertEquals(null, key.address());
        assertEquals(0, key.port());
        assertEquals("FWM 100 IPv6", key.toString());
        assertThrows(IllegalArgumentException.class, () -> ServiceKey.ofFwmark(AddressFamily.INET, 0));
        assertThrows(IllegalArgumentException.class, () -> ServiceKey.ofFwmark(AddressFamily.INET, 1L << 32));
    }

    @Test
    void keyRejectsMismatchedFamilyAndBadPort() throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> new ServiceKey(AddressFamily.INET6, Protocol.TCP, ip("10.0.0.1"), 80, 0));
        assertThrows(IllegalArgumentException.class, () -> ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 65536));
    }

    @Test
    void serviceBuilderHasIpvsadmDefaults() throws Exception {
        Service v4 = Service.builder(ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 80)).build();
        assertEquals("wlc", v4.scheduler());
        assertEquals(Set.of(), v4.flags());
        assertEquals(0xFFFF_FFFFL, v4.netmask());
        assertFalse(v4.persistent());
        Service v6 = Service.builder(ServiceKey.of(Protocol.TCP, ip("2001:db8::1"), 80)).persistent(360).build();
        assertEquals(128, v6.netmask());
        assertTrue(v6.persistent());
        assertEquals(360, v6.timeout());
    }

    @Test
    void ipv6NetmaskIsAPrefixLength() throws Exception {
        ServiceKey key = ServiceKey.of(Protocol.TCP, ip("2001:db8::1"), 80);
        assertThrows(IllegalArgumentException.class, () -> Service.builder(key).netmask(0).build());
        assertThrows(IllegalArgumentException.class, () -> Service.builder(key).netmask(129).build());
        assertEquals(64, Service.builder(key).netmask(64).build().netmask());
    }

    @Test
    void ipv4NetmaskFromPrefix() {
        assertEquals(0xFFFFFF00L, Service.ipv4Netmask(24));
        assertEquals(0xFFFFFFFFL, Service.ipv4Netmask(32));
        assertEquals(0L, Service.ipv4Netmask(0));
    }

    @Test
    void emptyPersistenceEngineMeansNone() throws Exception {
        Service s = Service.builder(ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 80)).persistenceEngine("").build();
        assertEquals(null, s.persistenceEngine());
        assertThrows(IllegalArgumentException.class, () -> Service.builder(ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 80))
                .scheduler("a-scheduler-name-too-long").build());
    }

    @Test
    void serviceFlagsDropTheInternalHashedBit() {
        assertEquals(EnumSet.of(ServiceFlag.PERSISTENT, ServiceFlag.SCHED2), ServiceFlag.fromBits(0x1 | 0x2 | 0x10));
        assertEquals(0x25, ServiceFlag.toBits(EnumSet.of(ServiceFlag.PERSISTENT, ServiceFlag.ONE_PACKET,
                ServiceFlag.SCHED3)));
    }

    @Test
    void destinationDefaultsAreThoseOfIpvsadm() throws Exception {
        Destination d = Destination.of(ip("10.1.1.1"), 80);
        assertEquals(ForwardingMethod.ROUTE, d.forwarding());
        assertEquals(1, d.weight());
        assertEquals(TunnelType.IPIP, d.tunnelType());
        assertEquals(TunnelChecksum.NOCSUM, d.tunnelChecksum());
        Destination gue = d.withTunnel(TunnelType.GUE, 6080, TunnelChecksum.CSUM);
        assertEquals(ForwardingMethod.TUNNEL, gue.forwarding());
        assertEquals(6080, gue.tunnelPort());
        assertEquals(80, gue.port());
        assertThrows(IllegalArgumentException.class, () -> d.withWeight(-1));
    }

    @Test
    void enumCodesMatchTheKernel() {
        assertEquals(6, Protocol.TCP.number());
        assertEquals(17, Protocol.UDP.number());
        assertEquals(132, Protocol.SCTP.number());
        assertEquals(0, ForwardingMethod.MASQ.code());
        assertEquals(2, ForwardingMethod.TUNNEL.code());
        assertEquals(3, ForwardingMethod.ROUTE.code());
        assertEquals(2, TunnelType.GRE.code());
        assertEquals(2, TunnelChecksum.REMCSUM.flags());
        assertEquals(2, SyncState.BACKUP.code());
        assertEquals(10, AddressFamily.INET6.number());
        assertEquals(Protocol.SCTP, Protocol.ofNumber(132).orElseThrow());
        assertTrue(Protocol.ofNumber(1).isEmpty());
    }

    @Test
    void infoFormatsTheVersionLikeIpvsadm() {
        assertEquals("1.2.1", new IpvsInfo(0x010201, 4096).version());
    }
}
