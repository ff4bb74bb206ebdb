package io.jipvs.it.ipvs;

import static io.jipvs.it.ipvs.OraclePair.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.TunnelChecksum;
import io.jipvs.model.TunnelType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real servers: every forwarding method, tunnel encapsulation, address family mix and
 * threshold, written by jipvs and by ipvsadm and compared in ipvsadm's listings and field by field.
 */
class DestinationIT {
    @RegisterExtension
    static final OraclePair pair = new OraclePair();

    @AfterEach
    void emptyTables() {
        pair.clear();
    }

    private static void serviceBothWays(Service service, String... ipvsadmArgs) {
        pair.jipvs().addService(service);
        pair.ipvsadm(ipvsadmArgs);
    }

    private static Set<Destination> destinations(List<DestinationEntry> entries) {
        return entries.stream().map(DestinationEntry::destination).collect(Collectors.toSet());
    }

    /** Adds through both, then compares ipvsadm's listings and jipvs's read-back of ipvsadm's table. */
    private static void destinationBothWays(ServiceKey service, Destination d, String... ipvsadmArgs) {
        pair.jipvs().addDestination(service, d);
        pair.ipvsadm(ipvsadmArgs);
        pair.assertSameTables();
        assertTrue(destinations(pair.reader().destinations(service)).contains(d),
                "jipvs reads ipvsadm's " + d + " in " + pair.reader().destinations(service));
    }

    @Test
    void masqueradeRouteAndTunnelOnOneService() throws Exception {
        ServiceKey svc = ServiceKey.of(Protocol.TCP, ip("192.168.1.10"), 80);
        serviceBothWays(Service.builder(svc).scheduler("rr").build(), "-A", "-t", "192.168.1.10:80", "-s", "rr");
        String vip = "192.168.1.10:80";
        destinationBothWays(svc, Destination.of(ip("10.1.1.1"), 80).withForwarding(ForwardingMethod.MASQ).withWeight(3),
                "-a", "-t", vip, "-r", "10.1.1.1:80", "-m", "-w", "3");
        destinationBothWays(svc, Destination.of(ip("10.1.1.2"), 8080).withForwarding(ForwardingMethod.MASQ),
                "-a", "-t", vip, "-r", "10.1.1.2:8080", "-m");
        destinationBothWays(svc, Destination.of(ip("10.1.1.3"), 80).withThresholds(100, 10),
                "-a", "-t", vip, "-r", "10.1.1.3", "-g", "-x", "100", "-y", "10");
        destinationBothWays(svc, Destination.of(ip("10.1.1.4"), 80).withTunnel(TunnelType.IPIP, 0,
                TunnelChecksum.NOCSUM), "-a", "-t", vip, "-r", "10.1.1.4", "-i");
        destinationBothWays(svc, Destination.of(ip("10.1.1.5"), 80).withWeight(0),
                "-a", "-t", vip, "-r", "10.1.1.5", "-g", "-w", "0");
        assertEquals(5, pair.jipvs().destinations(svc).size());
    }

    @Test
    void tunnelEncapsulationsPortsAndChecksums() throws Exception {
        ServiceKey svc = ServiceKey.of(Protocol.UDP, ip("192.168.2.10"), 4789);
        serviceBothWays(Service.builder(svc).scheduler("wrr").build(), "-A", "-u", "192.168.2.10:4789", "-s", "wrr");
        String vip = "192.168.2.10:4789";
        destinationBothWays(svc, Destination.of(ip("10.2.1.1"), 4789).withTunnel(TunnelType.GUE, 6080,
                TunnelChecksum.CSUM), "-a", "-u", vip, "-r", "10.2.1.1", "-i", "--tun-type", "gue", "--tun-port", "6080",
                "--tun-csum");
        destinationBothWays(svc, Destination.of(ip("10.2.1.2"), 4789).withTunnel(TunnelType.GUE, 5555,
                TunnelChecksum.REMCSUM), "-a", "-u", vip, "-r", "10.2.1.2", "-i", "--tun-type", "gue", "--tun-port",
                "5555", "--tun-remcsum");
        destinationBothWays(svc, Destination.of(ip("10.2.1.3"), 4789).withTunnel(TunnelType.GUE, 6081,
                TunnelChecksum.NOCSUM), "-a", "-u", vip, "-r", "10.2.1.3", "-i", "--tun-type", "gue", "--tun-port",
                "6081", "--tun-nocsum");
        destinationBothWays(svc, Destination.of(ip("10.2.1.4"), 4789).withTunnel(TunnelType.GRE, 0,
                TunnelChecksum.CSUM), "-a", "-u", vip, "-r", "10.2.1.4", "-i", "--tun-type", "gre", "--tun-csum");
        destinationBothWays(svc, Destination.of(ip("10.2.1.5"), 4789).withTunnel(TunnelType.GRE, 0,
                TunnelChecksum.NOCSUM), "-a", "-u", vip, "-r", "10.2.1.5", "-i", "--tun-type", "gre");
    }

    @Test
    void ipv6ServiceWithIpv6Destinations() throws Exception {
        ServiceKey svc = ServiceKey.of(Protocol.TCP, ip("2001:db8::10"), 80);
        serviceBothWays(Service.builder(svc).scheduler("wrr").build(), "-A", "-t", "[2001:db8::10]:80", "-s", "wrr");
        destinationBothWays(svc, Destination.of(ip("2001:db8::a"), 80).withForwarding(ForwardingMethod.MASQ)
                .withWeight(2), "-a", "-t", "[2001:db8::10]:80", "-r", "[2001:db8::a]:80", "-m", "-w", "2");
        destinationBothWays(svc, Destination.of(ip("2001:db8:1234:5678:9abc:def0:1234:5678"), 8080)
                        .withForwarding(ForwardingMethod.MASQ),
                "-a", "-t", "[2001:db8::10]:80", "-r", "[2001:db8:1234:5678:9abc:def0:1234:5678]:8080", "-m");
    }

    /** ipvsadm takes an IPv6 real server without brackets and port; -i forces the service port. */
    @Test
    void mixedFamilyTunnelDestinations() throws Exception {
        ServiceKey v4 = ServiceKey.of(Protocol.TCP, ip("192.168.3.10"), 80);
        serviceBothWays(Service.builder(v4).scheduler("rr").build(), "-A", "-t", "192.168.3.10:80", "-s", "rr");
        destinationBothWays(v4, Destination.of(ip("2001:db8::b"), 80).withTunnel(TunnelType.IPIP, 0,
                TunnelChecksum.NOCSUM), "-a", "-t", "192.168.3.10:80", "-r", "2001:db8::b", "-i");
        ServiceKey v6 = ServiceKey.of(Protocol.TCP, ip("2001:db8::20"), 80);
        serviceBothWays(Service.builder(v6).scheduler("rr").build(), "-A", "-t", "[2001:db8::20]:80", "-s", "rr");
        destinationBothWays(v6, Destination.of(ip("10.3.1.1"), 80).withTunnel(TunnelType.GUE, 6080,
                TunnelChecksum.CSUM), "-a", "-t", "[2001:db8::20]:80", "-r", "10.3.1.1", "-i", "--tun-type", "gue",
                "--tun-port", "6080", "--tun-csum");
        DestinationEntry read = pair.reader().destinations(v4).get(0);
        assertEquals(AddressFamily.INET6, read.destination().family());
    }

    @Test
    void fwmarkServiceDestinations() throws Exception {
        ServiceKey fw = ServiceKey.ofFwmark(AddressFamily.INET, 100);
        serviceBothWays(Service.builder(fw).scheduler("lc").persistent(360).build(), "-A", "-f", "100", "-s", "lc",
                "-p");
        destinationBothWays(fw, Destination.of(ip("10.1.1.6"), 0), "-a", "-f", "100", "-r", "10.1.1.6:0", "-g");
        destinationBothWays(fw, Destination.of(ip("10.1.1.7"), 0).withForwarding(ForwardingMethod.MASQ),
                "-a", "-f", "100", "-r", "10.1.1.7", "-m");
    }

    @Test
    void editReplacesForwardingWeightThresholdsAndTunnel() throws Exception {
        ServiceKey svc = ServiceKey.of(Protocol.TCP, ip("192.168.4.10"), 80);
        serviceBothWays(Service.builder(svc).build(), "-A", "-t", "192.168.4.10:80");
        destinationBothWays(svc, Destination.of(ip("10.4.1.1"), 80), "-a", "-t", "192.168.4.10:80", "-r", "10.4.1.1");
        Destination edited = Destination.of(ip("10.4.1.1"), 80).withTunnel(TunnelType.GRE, 0, TunnelChecksum.CSUM)
                .withWeight(9).withThresholds(500, 400);
        pair.jipvs().updateDestination(svc, edited);
        pair.ipvsadm("-e", "-t", "192.168.4.10:80", "-r", "10.4.1.1", "-i", "--tun-type", "gre", "--tun-csum",
                "-w", "9", "-x", "500", "-y", "400");
        pair.assertSameTables();
        assertEquals(Set.of(edited), destinations(pair.reader().destinations(svc)));
    }

    @Test
    void deleteRemovesOnlyThatDestination() throws Exception {
        ServiceKey svc = ServiceKey.of(Protocol.TCP, ip("192.168.5.10"), 80);
        serviceBothWays(Service.builder(svc).build(), "-A", "-t", "192.168.5.10:80");
        for (String rip : List.of("10.5.1.1", "10.5.1.2", "10.5.1.3")) {
            pair.jipvs().addDestination(svc, Destination.of(ip(rip), 80));
            pair.ipvsadm("-a", "-t", "192.168.5.10:80", "-r", rip);
        }
        pair.jipvs().deleteDestination(svc, ip("10.5.1.2"), 80);
        pair.ipvsadm("-d", "-t", "192.168.5.10:80", "-r", "10.5.1.2");
        pair.assertSameTables();
        assertEquals(Set.of(Destination.of(ip("10.5.1.1"), 80), Destination.of(ip("10.5.1.3"), 80)),
                destinations(pair.jipvs().destinations(svc)));
    }

    @Test
    void destinationsIpvsadmCreatedAreReadFieldForField() throws Exception {
        ServiceKey svc = ServiceKey.of(Protocol.TCP, ip("192.168.6.10"), 80);
        pair.ipvsadm("-A", "-t", "192.168.6.10:80", "-s", "wlc");
        pair.ipvsadm("-a", "-t", "192.168.6.10:80", "-r", "10.6.1.1:8080", "-m", "-w", "5", "-x", "50", "-y", "20");
        pair.ipvsadm("-a", "-t", "192.168.6.10:80", "-r", "10.6.1.2", "-i", "--tun-type", "gue", "--tun-port", "7000",
                "--tun-remcsum", "-w", "2147483647");
        pair.ipvsadm("-a", "-t", "192.168.6.10:80", "-r", "2001:db8::6", "-i", "--tun-type", "gre", "--tun-csum");
        Set<Destination> expected = new HashSet<>(List.of(
                Destination.of(ip("10.6.1.1"), 8080).withForwarding(ForwardingMethod.MASQ).withWeight(5)
                        .withThresholds(50, 20),
                Destination.of(ip("10.6.1.2"), 80).withTunnel(TunnelType.GUE, 7000, TunnelChecksum.REMCSUM)
                        .withWeight(Integer.MAX_VALUE),
                Destination.of(ip("2001:db8::6"), 80).withTunnel(TunnelType.GRE, 0, TunnelChecksum.CSUM)));
        List<DestinationEntry> read = pair.reader().destinations(svc);
        assertEquals(expected, destinations(read));
        for (DestinationEntry e : read) {
            assertEquals(0, e.activeConnections());
            assertEquals(0, e.inactiveConnections());
            assertEquals(0, e.persistentConnections());
        }
    }

    @Test
    void destinationsOfAMissingServiceAreEmpty() throws Exception {
        assertEquals(List.of(), pair.jipvs().destinations(ServiceKey.of(Protocol.TCP, ip("10.99.99.99"), 1)));
    }
}
