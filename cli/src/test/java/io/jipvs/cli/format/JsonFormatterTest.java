package io.jipvs.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.net.InetAddress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * --json, byte for byte as README.md's "JSON output" documents it. The expected texts are the
 * files under json/ beside this class (the output as it shipped before Jackson serialised records).
 */
class JsonFormatterTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no look-up
    }

    private static ServiceView alone(Service s) {
        return new ServiceView(new ServiceEntry(s, null), List.of());
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = JsonFormatterTest.class.getResourceAsStream("json/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int occurrences(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    @Test
    void emptyTableWithAndWithoutInfo() throws Exception {
        assertEquals(golden("empty-table.json"), JsonFormatter.services(new IpvsInfo(0x010201, 4096), List.of()));
        assertEquals(golden("empty-table-without-info.json"), JsonFormatter.services(null, List.of()));
    }

    @Test
    void ipv4Ipv6AndFwmarkServices() throws Exception {
        List<ServiceView> keys = List.of(
                alone(Service.builder(ServiceKey.of(Protocol.TCP, ip("192.168.1.10"), 80)).scheduler("rr").build()),
                alone(Service.builder(ServiceKey.of(Protocol.UDP, ip("2001:DB8:0:0:0:0:0:ABCD"), 53)).build()),
                alone(Service.builder(ServiceKey.of(Protocol.SCTP, ip("::ffff:10.0.0.1"), 3000)).build()),
                alone(Service.builder(ServiceKey.ofFwmark(AddressFamily.INET, 4294967295L)).scheduler("rr").build()),
                alone(Service.builder(ServiceKey.ofFwmark(AddressFamily.INET6, 5)).scheduler("sh").build()));
        assertEquals(golden("service-keys.json"), JsonFormatter.services(null, keys));
    }

    @Test
    void persistenceFlagsSchedulerFlagsAndPersistenceEngine() throws Exception {
        List<ServiceView> options = List.of(
                alone(Service.builder(ServiceKey.of(Protocol.TCP, ip("192.168.1.10"), 443)).persistent(1800)
                        .netmask(Service.ipv4Netmask(24)).persistenceEngine("sip").build()),
                alone(Service.builder(ServiceKey.of(Protocol.TCP, ip("2001:db8::1"), 443)).persistent(360)
                        .netmask(64).build()),
                alone(Service.builder(ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 1)).scheduler("rr")
                        .persistent(0).flags(Set.of(ServiceFlag.values())).build()),
                alone(Service.builder(ServiceKey.of(Protocol.UDP, ip("10.0.0.1"), 2)).scheduler("sh")
                        .flags(Set.of(ServiceFlag.SCHED1, ServiceFlag.SCHED2, ServiceFlag.SCHED3)).build()),
                alone(Service.builder(ServiceKey.of(Protocol.UDP, ip("10.0.0.1"), 3)).scheduler("mh")
                        .flags(Set.of(ServiceFlag.SCHED2, ServiceFlag.ONE_PACKET)).build()),
                alone(Service.builder(ServiceKey.of(Protocol.UDP, ip("10.0.0.1"), 4)).scheduler("wrr")
                        .flags(Set.of(ServiceFlag.SCHED3)).build()),
                // sh has no name for the third flag.
                alone(Service.builder(ServiceKey.of(Protocol.UDP, ip("10.0.0.1"), 5)).scheduler("sh")
                        .flags(Set.of(ServiceFlag.SCHED3)).build()));
        assertEquals(golden("service-options.json"), JsonFormatter.services(null, options));
    }

    @Test
    void destinationsOfEveryForwardingAndTunnelWithExactCounters() throws Exception {
        Stats service = new Stats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        Stats huge = new Stats(Long.MAX_VALUE, 4294967296L, 99_999_999_999L, 1L << 62, 5_000_000_000L, 0, 1, 2, 3,
                Long.MAX_VALUE);
        Destination base = Destination.of(ip("10.1.1.1"), 80);
        List<DestinationEntry> dests = List.of(
                new DestinationEntry(base.withForwarding(ForwardingMethod.MASQ).withWeight(3), 1, 2, 3, huge),
                new DestinationEntry(Destination.of(ip("10.1.1.2"), 8080).withThresholds(100, 10), 0, 0, 0, null),
                new DestinationEntry(Destination.of(ip("10.1.1.3"), 80).withForwarding(ForwardingMethod.LOCAL)
                        .withWeight(0), 0, 0, 0, null),
                new DestinationEntry(Destination.of(ip("10.1.1.4"), 80).withForwarding(ForwardingMethod.BYPASS), 0,
                        0, 0, null),
                new DestinationEntry(Destination.of(ip("10.1.1.5"), 80).withTunnel(TunnelType.IPIP, 0,
                        TunnelChecksum.NOCSUM), 0, 0, 0, null),
                new DestinationEntry(Destination.of(ip("10.1.1.6"), 80).withTunnel(TunnelType.GUE, 6080,
                        TunnelChecksum.CSUM), 0, 0, 0, null),
                new DestinationEntry(Destination.of(ip("10.1.1.7"), 80).withTunnel(TunnelType.GUE, 6081,
                        TunnelChecksum.REMCSUM), 0, 0, 0, null),
                new DestinationEntry(Destination.of(ip("2001:db8:0:1::7"), 80).withTunnel(TunnelType.GRE, 0,
                        TunnelChecksum.CSUM), 0, 0, 0, null),
                new DestinationEntry(Destination.of(ip("10.1.1.8"), 80).withTunnel(TunnelType.GRE, 0,
                        TunnelChecksum.NOCSUM), 0, 0, 0, null));
        ServiceEntry web = new ServiceEntry(
                Service.builder(ServiceKey.of(Protocol.TCP, ip("192.168.1.10"), 80)).scheduler("rr").build(), service);
        assertEquals(golden("destinations-and-stats.json"), JsonFormatter.services(new IpvsInfo(0x010203, 65536),
                List.of(new ServiceView(web, dests))));
    }

    @Test
    void countersAreUnsigned64Bit() throws Exception {
        // The kernel's counters are u64; Java's long holds them in two's complement.
        Stats top = new Stats(-1L, Long.MIN_VALUE, 0, 0, 0, 0, 0, 0, 0, -2L);
        ServiceKey key = ServiceKey.of(Protocol.TCP, ip("192.168.1.10"), 80);
        String json = JsonFormatter.services(null, List.of(new ServiceView(
                new ServiceEntry(Service.builder(key).build(), top),
                List.of(new DestinationEntry(Destination.of(ip("10.1.1.1"), 80), 0, 0, 0, top)))));
        // Once for the service, once for its destination.
        assertEquals(2, occurrences(json, "\"connections\" : 18446744073709551615,\n"), json);
        assertEquals(2, occurrences(json, "\"inPackets\" : 9223372036854775808,\n"), json);
        assertEquals(2, occurrences(json, "\"outByteRate\" : 18446744073709551614\n"), json);
    }

    @Test
    void timeouts() throws Exception {
        assertEquals(golden("timeouts.json"), JsonFormatter.timeouts(new Timeouts(900, 120, 300)));
    }

    @Test
    void daemonsWithAndWithoutGroup() throws Exception {
        assertEquals(golden("daemons.json"), JsonFormatter.daemons(List.of(
                new SyncDaemon(SyncState.MASTER, "eth0", 0, 1472, ip("224.0.0.81"), 8848, 1),
                new SyncDaemon(SyncState.BACKUP, "lo", 9, 0, null, 0, 0),
                new SyncDaemon(SyncState.BACKUP, "eth1", 255, 9000, ip("FF02:0:0:0:0:0:0:1234"), 9000, 5))));
        assertEquals(golden("no-daemons.json"), JsonFormatter.daemons(List.of()));
    }

    @Test
    void connectionsWithAndWithoutPersistenceEngine() throws Exception {
        assertEquals(golden("connections.json"), connections(List.of(
                "TCP C0A80164 D431 C0A8010A 0050 0A010101 0050 ESTABLISHED     899",
                "UDP  2001:0db8:0000:0000:0000:0000:0000:0001 0035 2001:0db8:0000:0000:0000:0000:0000:000a 0035 "
                        + "2001:0db8:0000:0000:0000:0000:0000:0100 0035 UDP             3",
                "SCTP 0A000001 0BB8 0A000002 0BB8 0A000003 0BB8 ESTABLISHED    7000",
                "UDP  0A000001 13C4 0A000002 13C4 0A000003 13C4 UDP            51 sip   3a6b2c1d",
                "short line"))); // fewer than nine fields: not a connection
        assertEquals(golden("no-connections.json"), connections(List.of()));
    }

    /** The connection table's JSON as -L -c --json writes it, line by line. */
    private static String connections(List<String> lines) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        JsonFormatter.ConnectionWriter writer = JsonFormatter.connections(out);
        lines.forEach(writer::add);
        writer.finish();
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
