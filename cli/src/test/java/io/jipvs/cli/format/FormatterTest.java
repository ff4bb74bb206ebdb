package io.jipvs.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FormatterTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no look-up
    }

    private static ServiceKey tcp(String a, int port) throws Exception {
        return ServiceKey.of(Protocol.TCP, ip(a), port);
    }

    @Test
    void largeNumbers() {
        assertEquals(" 99999999", LargeNum.format(99_999_999L, false));
        assertEquals("  100000K", LargeNum.format(100_000_000L, false));
        assertEquals("  999999K", LargeNum.format(999_999_999L, false));
        assertEquals("    1000M", LargeNum.format(1_000_000_000L, false));
        assertEquals("   99999M", LargeNum.format(99_999_999_999L, false));
        assertEquals("     100G", LargeNum.format(100_000_000_000L, false));
        assertEquals("18446744T", LargeNum.format(-1L, false));
        assertEquals("        0", LargeNum.format(0, true));
        assertEquals(" 100000000", LargeNum.format(100_000_000L, true));
    }

    @Test
    void plainListingAsIpvsadmPrintsIt() throws Exception {
        ServiceEntry web = new ServiceEntry(Service.builder(tcp("192.168.1.10", 80)).scheduler("rr").build(), null);
        List<DestinationEntry> dests = List.of(
                new DestinationEntry(Destination.of(ip("10.1.1.1"), 80).withForwarding(ForwardingMethod.MASQ)
                        .withWeight(3), 0, 0, 0, null),
                new DestinationEntry(Destination.of(ip("10.1.1.4"), 80).withTunnel(TunnelType.GUE, 6080,
                        TunnelChecksum.CSUM), 0, 0, 0, null));
        ServiceEntry https = new ServiceEntry(Service.builder(tcp("192.168.1.10", 443)).persistent(1800)
                .netmask(0xFFFFFF00L).persistenceEngine("sip").build(), null);
        ServiceEntry dns = new ServiceEntry(Service.builder(ServiceKey.of(Protocol.UDP, ip("192.168.1.10"), 53))
                .scheduler("sh").flags(Set.of(ServiceFlag.SCHED2, ServiceFlag.ONE_PACKET)).build(), null);
        ServiceEntry fwm = new ServiceEntry(Service.builder(ServiceKey.ofFwmark(io.jipvs.model.AddressFamily.INET,
                4294967295L)).scheduler("rr").build(), null);
        List<ServiceView> views = List.of(new ServiceView(web, dests), new ServiceView(https, List.of()),
                new ServiceView(dns, List.of()), new ServiceView(fwm, List.of()));
        assertEquals("IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  192.168.1.10:80 rr\n"
                + "  -> 10.1.1.1:80                  Masq    3      0          0         \n"
                + "  -> 10.1.1.4:80                  Tunnel  1      0          0         \n"
                + "TCP  192.168.1.10:443 wlc persistent 1800 mask 255.255.255.0 pe sip\n"
                + "UDP  192.168.1.10:53 sh (sh-port) ops\n"
                + "FWM  -1 rr\n",
                ListFormatter.format(new IpvsInfo(0x010201, 4096), views, ListMode.PLAIN, false, Names.numeric()));
        assertEquals("-A -t 192.168.1.10:80 -s rr\n"
                + "-a -t 192.168.1.10:80 -r 10.1.1.1:80 -m -w 3\n"
                + "-a -t 192.168.1.10:80 -r 10.1.1.4:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum\n"
                + "-A -t 192.168.1.10:443 -s wlc -p 1800 -M 255.255.255.0 --pe sip\n"
                + "-A -u 192.168.1.10:53 -s sh -o -b sh-port\n"
                + "-A -f -1 -s rr\n", SaveFormatter.format(views, Names.numeric()));
        String tun = ListFormatter.format(null, views.subList(0, 1), ListMode.TUN_INFO, false, Names.numeric());
        assertEquals("Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n"
                + "TCP  192.168.1.10:80 rr\n"
                + "  -> 10.1.1.1:80                  Masq    n/a           3      0          0         \n"
                + "  -> 10.1.1.4:80                  Tunnel  gue:6080:+c   1      0          0         \n", tun);
    }

    @Test
    void statsShortenServiceNumbersAndCutDestinationCountersTo32Bits() throws Exception {
        Stats big = new Stats(99_999_999L, 100_000_000L, 999_999_999L, 1_000_000_000L, 99_999_999_999L, 0, 0, 0, 0, 0);
        Stats dest = new Stats(5_000_000_000L, 1, 0, 5_000_000_000L, 0, 0, 0, 0, 0, 0);
        ServiceView v = new ServiceView(new ServiceEntry(Service.builder(tcp("192.168.1.10", 80)).build(), big),
                List.of(new DestinationEntry(Destination.of(ip("10.1.1.2"), 80), 0, 0, 0, dest)));
        assertEquals("Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  192.168.1.10:80              99999999  100000K  999999K    1000M   99999M\n"
                + "  -> 10.1.1.2:80                   705032K        1        0    5000M        0\n",
                ListFormatter.format(null, List.of(v), ListMode.STATS, false, Names.numeric()));
        assertEquals("TCP  192.168.1.10:80              99999999 100000000 999999999 1000000000 99999999999\n",
                ListFormatter.format(null, List.of(new ServiceView(v.entry(), List.of())), ListMode.STATS, true,
                        Names.numeric()).split("\n", 3)[2]);
    }

    @Test
    void ipv6NamesAreCompressedAndBracketed() throws Exception {
        assertEquals("[2001:db8::abcd]:80", Names.numeric().of(ip("2001:DB8:0:0:0:0:0:ABCD"), 80, Protocol.TCP));
    }

    @Test
    void timeoutsAndDaemons() throws Exception {
        assertEquals("Timeout (tcp tcpfin udp): 900 120 300\n", ListFormatter.timeouts(new Timeouts(900, 120, 300)));
        assertEquals("master sync daemon (mcast=eth0, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n"
                + "backup sync daemon (mcast=lo, syncid=9)\n", ListFormatter.daemons(List.of(
                new SyncDaemon(SyncState.BACKUP, "lo", 9, 0, null, 0, 0),
                new SyncDaemon(SyncState.MASTER, "eth0", 0, 1472, ip("224.0.0.81"), 8848, 1))));
    }

    @Test
    void sortWrapsAt32BitsLikeIpvsadm() throws Exception {
        // The real binary's order for these services inserted in this order (spec §8.8).
        String[] inserted = {"10.0.0.1", "192.168.1.1", "172.16.0.1", "1.1.1.1", "200.1.1.1", "127.0.0.1",
            "128.0.0.1", "9.9.9.9", "255.1.1.1", "100.1.1.1", "64.1.1.1"};
        List<ServiceKey> keys = new ArrayList<>();
        for (String a : inserted) {
            keys.add(tcp(a, 80));
        }
        List<String> sorted = IpvsadmOrder.sort(keys, IpvsadmOrder.SERVICES).stream()
                .map(k -> k.address().getHostAddress()).toList();
        assertEquals(List.of("172.16.0.1", "192.168.1.1", "200.1.1.1", "255.1.1.1", "1.1.1.1", "9.9.9.9",
                "10.0.0.1", "64.1.1.1", "100.1.1.1", "127.0.0.1", "128.0.0.1"), sorted);
    }

    @Test
    void connectionsFromProc() {
        List<String> lines = List.of(
                "TCP C0A80164 D431 C0A8010A 0050 0A010101 0050 ESTABLISHED     899",
                "SCTP 0A000001 0BB8 0A000002 0BB8 0A000003 0BB8 ESTABLISHED    7000");
        assertEquals("IPVS connection entries\n"
                + "pro expire state       source             virtual            destination\n"
                + "TCP 14:59  ESTABLISHED 192.168.1.100:54321 192.168.1.10:80    10.1.1.1:80\n"
                + "SCTP 116:40 ESTABLISHED 10.0.0.1:3000      10.0.0.2:3000      10.0.0.3:3000\n",
                ConnectionFormatter.title(false) + lines.stream()
                        .map(line -> ConnectionFormatter.entry(line, false, Names.numeric()))
                        .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.joining()));
    }
}
